match x:
    case {}:
        pass
    case {"a": 1}:
        pass
    case {"a": 1, "b": b}:
        pass
    case {1: _, 2.0: [x], None: y}:
        pass
    case {**rest}:
        pass
    case {"k": v, **rest}:
        pass
    case {a.b: 1, -1: 2, b"x": 3}:
        pass
    case {True: t, False: f}:
        pass
