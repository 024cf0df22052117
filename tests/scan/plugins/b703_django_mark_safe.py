# B703: django mark_safe and friends on data not proven literal.
from django.utils import safestring
from django.utils.safestring import mark_safe


def f(request, x):
    mark_safe(request.GET["q"])                  # a subscript: unsafe
    mark_safe(x)                                 # a parameter: unsafe
    mark_safe("literal")                         # a literal: fine
    y = "<b>hi</b>"
    mark_safe(y)                                 # assigned a literal: fine
    z = "<b>{}</b>".format(x)
    mark_safe(z)                                 # format of a parameter: unsafe
    w = "<b>{}</b>".format("lit")
    mark_safe(w)                                 # format of literals: fine
    mark_safe("<b>%s</b>" % ("a", "b"))          # % of literals: fine
    mark_safe("<b>%s</b>" % x)                   # % of a parameter: unsafe
    if x:
        v = "a"
    else:
        v = "b"
    mark_safe(v)                                 # assigned in both branches: fine
    u = "a"
    u += x
    mark_safe(u)                                 # augmented with a parameter: unsafe
    safestring.SafeText(x)
    safestring.SafeString(str(x))                # a call other than format: unsafe
    mark_safe(*args)                             # starred: unsafe


def g():
    a, b = "x", "y"
    mark_safe(a)                                 # tuple assignment of literals: fine
    with open("f") as fh:
        t = fh.read()
    mark_safe(t)                                 # read from a file: unsafe
    with open("f"):
        s = "x"
    mark_safe(s)                                 # a `with` without a target makes Bandit's test raise


def h():
    mark_safe(data)  # nosec
