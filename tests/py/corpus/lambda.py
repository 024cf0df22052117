f = lambda: 0
f = lambda x: x
f = lambda x, y: x + y
f = lambda x=1, y=2: x
f = lambda *args: args
f = lambda **kw: kw
f = lambda *args, **kw: 0
f = lambda a, b=1, *c, d, e=2, **f: 0
f = lambda a, /, b: 0
f = lambda a, b=1, /, c=2, *, d=3: 0
f = lambda *, k: k
f = lambda *, k=1, j: k
f = lambda a=1, /: a
f = lambda: (yield)
f = lambda x: lambda y: x + y
f = lambda x: (x, x)
f = lambda: lambda: 1 if x else 2
f = lambda a, /, *, b: 0
