global x
global a, b, c
def f():
    global g
    x = 1
    def inner():
        nonlocal x
        nonlocal x, y
        global z
    class C:
        global h
        nonlocal x
