return 1
yield x
await x
nonlocal n
break
continue
def f(a, a): pass
f(a=1, a=2)
*a, *b = c
x = *a
a[*b] = 1
[(yield) for x in y]
async with a: pass
async for x in y: pass
[x async for x in y]
from __future__ import braces
from __future__ import annotations
del __debug__
__debug__ = 1
match x:
    case a:
        pass
    case b:
        pass
    case {1: _, 1: _}:
        pass
    case [*a, *b]:
        pass
    case C(x=1, x=2):
        pass
    case a | b:
        pass
x = (
	1,
        2)
def g():
    global g
    x = 1
    global x
class C:
    nonlocal y
def h(*, a, a): pass
lambda x, x: 0
