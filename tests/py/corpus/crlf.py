import os

def f(a,
      b):
    x = """one
two
"""
    y = 1 + \
        2
    return x
# comment
class C:
    pass
