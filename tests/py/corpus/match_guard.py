match command.split():
    case [action] if action in ACTIONS:
        pass
    case [action, obj] if (n := len(obj)) > 1:
        pass
    case Point(x, y) if x == y:
        pass
    case {"x": x} if x:
        pass
    case _ if True:
        pass
match a, b:
    case 1, 2:
        pass
match *a, b:
    case _:
        pass
match (x):
    case y: z = 1
