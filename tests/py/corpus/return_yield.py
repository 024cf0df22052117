def f():
    return
def g():
    return 1
def h():
    return 1, 2
def i():
    yield
def j():
    yield 1
def k():
    yield 1, 2
def l():
    yield from x
def m():
    x = yield
    y = yield 1
    z = yield from w
    f((yield))
    await_ = (yield)
def n():
    return (yield)
def o():
    return [(yield x) for x in ()] if 0 else None
def p():
    yield from (yield)
