a < b
a < b < c
a == b != c <= d >= e > f < g
a in b
a not in b
a is b
a is not b
a not in b not in c
a is not b is c
not a in b
not a is not b
a < b == c in d not in e is f is not g
(a < b) < c
a < (b < c)
x = 1 < 2 or 3 > 4 and not 5 == 6
