x = a == b = c
