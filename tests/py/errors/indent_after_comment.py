x = 1
# comment
   # comment
  y = 2
