del x
del x, y
del (x)
del (x, y)
del [x, y]
del x.attr
del x[0]
del x[1:2]
del x[a][b].c
del (x), [y]
del x,
del (a, [b, (c, d)])
