a = 1 .real
b = 1.0.real
c = 0x1.real
d = 1j.imag
e = 1 if x else 2
f = 0 in y
g = 1or 2
h = 0x1for x in y
