# B108: string literals starting with /tmp, /var/tmp or /dev/shm.
"""/tmp in a docstring is not flagged"""
open("/tmp/x", "w")
p = "/var/tmp/cache"
q = "/dev/shm/seg"
r = "/tmpfiles"                 # starts with /tmp: flagged (a plain prefix test)
s = "/usr/tmp/x"                # not in the list
t = "tmp/x"                     # relative
u = f"/tmp/{name}.lock"         # the "/tmp/" piece of the f-string
v = f"{base}/tmp/x"             # the piece after the field is "/tmp/x": flagged
w = "/tmp" + name               # operand of a binary operation
x = b"/tmp/x"                   # bytes: not a string test
y = "/tmp/y"  # nosec
z = [
    "/var/tmp",
]
