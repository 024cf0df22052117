pass
assert x
assert x, "message"
assert (x, y)
raise
raise E
raise E("msg")
raise E from None
raise E from cause
x = y = z = 1
a, b = b, a
(a, b) = c
[a, b] = c
a.b = c
a[b] = c
a[b:c] = d
x = yield_
'docstring-like expression'
42
f(x); g(y)
x = 1;
import sys; sys.exit(0)
