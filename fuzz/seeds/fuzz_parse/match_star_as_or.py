match x:
    case [*rest]:
        pass
    case [*_]:
        pass
    case 1 as one:
        pass
    case [a, b] as pair:
        pass
    case (1 | 2) as n:
        pass
    case 1 | 2 | 3:
        pass
    case "a" | "b" as s:
        pass
    case [1 | 2, {"k": 3 | 4}]:
        pass
    case Point(x=1 as a) | Point(y=1 as a):
        pass
    case _ as anything:
        pass
