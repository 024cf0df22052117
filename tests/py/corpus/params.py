def f(): pass
def f(a, b): pass
def f(a, b=1): pass
def f(a: int, b: str = 'x') -> None: pass
def f(*args: int, **kwargs: str): pass
def f(a, /): pass
def f(a, b, /, c, d): pass
def f(a, b=1, /, c=2, *, d, e=3, **f): pass
def f(a: int = 1, /, b: int = 2, *, c: int = 3, d: int): pass
def f(*, a): pass
def f(*, a=1, b): pass
def f(a, *args, b=1, **kw): pass
def f(a, /, *, b): pass
def f(a,): pass
def f(a, /,): pass
def f(*args,): pass
def f(**kw,): pass
def f(*, a,): pass
def f(a=(1, 2), b=[x for x in y], c=lambda: 0): pass
def f(self, *, key: 'Callable[[T], Any]' = None) -> 'list[T]': pass
def f(x: (yield) = 1): pass
