def f():
    if x:
        for i in y:
            z = [1, 2
    return 3
