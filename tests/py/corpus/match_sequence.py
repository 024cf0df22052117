match x:
    case []:
        pass
    case ():
        pass
    case [a]:
        pass
    case (a,):
        pass
    case [a, b]:
        pass
    case (a, b):
        pass
    case a, b:
        pass
    case [a, [b, c], (d, e)]:
        pass
    case [1, 2, *rest]:
        pass
    case (*_, last):
        pass
    case *first, 0:
        pass
    case [a, *_, b]:
        pass
    case (a):
        pass
    case [(a), ((b))]:
        pass
