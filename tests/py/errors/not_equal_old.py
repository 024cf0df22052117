x = a <> b
