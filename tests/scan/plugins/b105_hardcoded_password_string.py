# B105: string literals assigned to / compared with password-like names.
password = "hunter2"                  # name
DB_PASSWORD = "x"                     # _password$
api_token = 'abc'                     # _token$
token_type = "bearer"                 # ^token_
passwd = pwd = "secret"               # several targets: one finding
self.secret = "s3cr3t"                # attribute target
o.a.passphrase = "words"              # attribute target
mypassword = "nope"                   # not delimited by '_' or the ends
password_hash = "x"                   # ^password_
PASSWORD_ = ""                        # empty strings count too
d["password"] = "p"                   # reported at the key, value quoted
d['api_key'] = "k"                    # not password-like
d["token"] = 42                       # value not a string: nothing
d[password] = "p"                     # Name subscript: not checked by 1.9.4
cfg = {"password": "p", "user": "u"}  # dict key: reported at the key
cfg2 = {"secret": 1, "token": None}   # any constant value: '1' and 'None'
cfg3 = {"password": get()}            # value not a constant
cfg4 = {"p": "password"}              # a value that looks like a password name: nothing
if password == "root":                # comparison with a name on the left
    pass
if user.token != "":                  # attribute on the left
    pass
if "root" == password:                # name on the right: not flagged
    pass
if password in ("a", "b"):            # not a Compare parent for the strings
    pass
if token == "a" == other:             # the first comparator is reported
    pass
password: str = "annotated"           # AnnAssign: not checked by 1.9.4
password = f"x{y}"                    # f-string: the piece's parent is the JoinedStr
secret = "s"  # nosec
secrete = "s"  # nosec B105
Password = "CASE"                     # any case
x = password = "multi"                # one target matches
