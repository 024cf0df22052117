# B101: every assert statement, wherever it is.
assert True
assert x == 1, "message"


def f(x):
    assert isinstance(x, int)
    if x:
        assert (
            x > 0
        )
    return lambda: None


class C:
    assert C  # in a class body too


assert x  # nosec
assert y  # nosec B101
assert z  # nosec B102
assertion = 1  # not an assert
