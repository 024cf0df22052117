# B102: calls whose qualified name is exactly "exec".
exec("print(1)")
exec(code, {}, {})
x = exec(compile(src, "f", "exec"))
builtins.exec("x")        # not flagged: qualified name is builtins.exec
obj.exec("x")             # not flagged
execute("x")              # not flagged
eval("1")                 # not B102
from somewhere import run as exec
exec("y")                 # not flagged: the alias resolves to somewhere.run
exec("z")  # nosec
