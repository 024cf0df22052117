match x:
    case 1:
        pass
    case -1:
        pass
    case 1.5:
        pass
    case -1.5j:
        pass
    case 1 + 2j:
        pass
    case -1 - 2j:
        pass
    case "str":
        pass
    case b"bytes":
        pass
    case "implicit" "concat":
        pass
    case a.b:
        pass
    case a.b.c:
        pass
