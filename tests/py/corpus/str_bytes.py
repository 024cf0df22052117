a = b'\x00\x01\xff'
b = b'\n\t\r\\\'\"'
c = b'\0\07\377\1234'
d = b'abc' b'def'
e = b'\a\b\f\v'
f = rb'\x00' b'\x00'
g = b'\N{not a name}'
h = b'\u1234'
i = b'''multi
line'''
j = b'\
'
