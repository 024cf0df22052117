class A[T]: pass
class B[T](Base[T]): pass
class C[T: int, *Ts, **P](Generic, metaclass=M): pass
class D[K: (str, bytes), V]:
    def get[D](self, key: K, default: D) -> V | D: pass
class E:
    def m(self): pass
def plain(): pass
async def aplain(): pass
