x = 1 + \
    2
if a and \
   b:
    pass
y = \
3
assert x, \
       "msg"
with open('a') as f, \
     open('b') as g:
    pass
z = "abc" \
    "def"
w = [1, \
2]
def f(): \
    return 1
