"abc" = x
