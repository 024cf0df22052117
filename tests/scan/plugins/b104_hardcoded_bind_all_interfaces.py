# B104: the string literal "0.0.0.0" anywhere but a docstring.
"""0.0.0.0 in a docstring is not flagged"""
import socket

s = socket.socket()
s.bind(("0.0.0.0", 80))
HOST = '0.0.0.0'
app.run(host="0.0.0.0", port=5000)
"0.0.0.0"                     # a bare string statement: skipped like a docstring
x = "0.0.0.0:80"              # not exactly 0.0.0.0
y = "::"                      # not flagged
z = f"0.0.0.0"                # an f-string without fields is a JoinedStr with one str piece: flagged
b = b"0.0.0.0"                # bytes: not a string test
s.bind(("0.0.0.0", 81))  # nosec
