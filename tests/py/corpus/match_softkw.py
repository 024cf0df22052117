match = 1
case = 2
_ = 3
match.attr = 4
match[0] = 5
match(x)
case(y)
print(match, case)
match: int = 1
match -x:
    case case:
        pass
match match:
    case match:
        pass
def match(case): return case
class case: pass
match = [match for case in match]
match + 1
match[a, b]
match is None
def f():
    type = 1
    type(x)
