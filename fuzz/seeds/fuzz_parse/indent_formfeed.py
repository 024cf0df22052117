import os

def f():
    x = 1

    y = 2
      z = 3
    return x

class C:
    pass
# comment after form feed
x = 1+ 2
