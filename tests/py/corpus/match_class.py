match x:
    case Point():
        pass
    case Point(0, 0):
        pass
    case Point(x=0, y=0):
        pass
    case Point(1, y=2):
        pass
    case a.b.Point(c, d=[e]):
        pass
    case int(n) | float(n):
        pass
    case C(D(E(x)), k=F()):
        pass
    case Point(x, y,):
        pass
