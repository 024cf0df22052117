x = (1 +
     2)
y = [
    1,
  2,
        3,
]
z = {
'a': 1,
    'b':
        2
}
f(a,
  b,
      c=3
)
def g(a,
      b=2,
         *args):
    return (a
+ b)
s = ('abc'
     'def'
  # a comment inside brackets
     'ghi')
t = (
)
