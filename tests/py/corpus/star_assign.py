a, *b = c
*a, b = c
a, *b, c = d
[a, *b] = c
(a, *b) = c
*a, = b
[*a] = b
a, (b, *c), d = e
for a, *b in c: pass
for *a, b in c: pass
x = *a, *b
x = [*a, *b]
x = {*a, *b}
x = (*a,)
x = {**a, 'b': 1, **c}
