x: int
x: int = 1
(x): int = 1
(x): int
a.b: int
a.b: int = 2
a[0]: int
a[0]: int = 3
x: list[int] = []
x: 'forward' = None
x: int = yield
x: tuple = 1, 2
x: tuple = *a, b
def f():
    y: int
    z: str = 'z'
class C:
    attr: int = 0
    other: 'C'
