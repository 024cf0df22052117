def f():
    return *a, *b
def g():
    return 1, *a
def h():
    yield *a, b
x = a[*b]
y = a[1, *b]
z = a[*b, *c]
for x in *a, *b: pass
del x[*a]
w = a[*b] = c
