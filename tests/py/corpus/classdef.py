class A: pass
class B(): pass
class C(A): pass
class D(A, B): pass
class E(metaclass=M): pass
class F(A, metaclass=M, **kw): pass
class G(*bases): pass
class H(A, *bases, key=1, **kw): pass
class I:
    """Docstring."""
    x = 1
    def m(self): pass
    class Inner: pass
class J(Generic[T], x=(1, 2)):
    pass
