def f[T](x: T) -> T: return x
def g[T: int, U: (str, bytes)](a: T, b: U): pass
def h[*Ts](*args: *Ts): pass
def i[**P](f: Callable[P, int]) -> Callable[P, int]: pass
async def j[T](x: T): pass
@dec
def k[T, *Ts, **P](): pass
def l[T,](): pass
