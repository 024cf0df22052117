if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass
if a:
    pass
else:
    if b:
        pass
for x in y:
    break
else:
    continue
for x, y in z:
    pass
for (x, y) in z:
    pass
for [x, y] in z:
    pass
for x.a in y:
    pass
for x[0] in y:
    pass
for x in 1, 2, 3:
    pass
for x, in y:
    pass
while a:
    continue
else:
    pass
while 1:
    if x: break
