if a:
 if b:
  if c:
   if d:
    if e:
     x = 1
    else:
     x = 2
 y = 3
while True:
    for i in range(3):
        try:
            with open(p) as f:
                if i:
                    break
                else:
                    continue
        finally:
            pass
    else:
        pass
z = 4
