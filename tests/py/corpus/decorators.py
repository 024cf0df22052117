@dec
def f(): pass

@dec.attr.chain
@dec(1, key=2)
@dec[0]
def g(): pass

@(lambda fn: fn)
@x if y else z
@a := b
@f()()
@x + y
@not_a_call
class C:
    @property
    def p(self): return 1

    @p.setter
    def p(self, v): pass

    @staticmethod
    @functools.cache
    async def s(): pass

@ decorated  # comment after decorator
def h(): pass
