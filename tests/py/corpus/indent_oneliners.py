if x: y = 1
else: y = 2
while x: x -= 1; continue
for i in r: print(i); print(i + 1);
def f(): return 1
class C: pass
with a as b: pass
try: pass
except E: pass
x = 1; y = 2;  z = 3
