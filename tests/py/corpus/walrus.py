if (n := len(a)) > 10:
    pass
while chunk := f.read(10):
    pass
x = [y := f(x), y ** 2]
z = [y for x in data if (y := f(x)) is not None]
print(a := 1)
f(x, (y := 2))
f(k=(y := 2))
t = (a := 1, b := 2)
s = {a := 1}
d = {(k := 1): (v := 2)}
q = a[b := 1]
r = a[(b := 1):(c := 2)]
def g(x=(y := 1)): pass
lam = lambda: (x := 1)
v = (w := 3) + 1
if any((m := x) for x in y): pass
assert (v := 1), (w := 2)
elif_ = [i for i in (j := range(3))]
with (f := open('x')): pass
[(k := i) for i in range(3)]
u = f'{(x := 1)}'
