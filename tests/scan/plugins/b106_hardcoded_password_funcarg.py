# B106: a string literal passed to a password-like keyword argument.
connect(user="app", password="hunter2")
connect(password=secret_from_env)          # not a literal
connect(password=None)                     # not a string
login(token="abc", passwd="def")           # the first match only
login(
    user="u",
    secret="multi-line",                   # reported at this line, column of the call
)
f(api_key="k")                              # not password-like
f(my_password="x")                          # _password$
f(passwordfile="x")                         # not delimited
f(**{"password": "x"})                      # ** with a dict: not a keyword with a name
f(password="x")  # nosec
