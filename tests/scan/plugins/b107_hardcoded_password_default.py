# B107: a password-like positional parameter defaulting to a string literal.
def login(user, password="admin"):
    pass


def connect(host, port=22, passwd=""):
    pass


def ok(user, password=None):
    pass


def ok2(user, password=DEFAULT):
    pass


def kwonly(*, password="x"):      # keyword-only parameters are not checked
    pass


async def alogin(password="x"):   # async def is not checked (no visit_AsyncFunctionDef)
    pass


def shifted(a="p", /, password=None, token="t"):   # defaults shift: password pairs with "p"
    pass


def posonly(password="x", /):     # a positional-only parameter is not in args.args
    pass


class C:
    def m(self, secret="s", n=1):
        pass


lam = lambda password="x": 0      # lambda: not a FunctionDef


def quiet(password="x"):  # nosec
    pass
