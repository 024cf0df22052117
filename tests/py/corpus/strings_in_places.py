x = 'a'[0]
y = 'a'.upper()
z = f(*'abc')
w = {'k': 'v'}['k']
v = 'a' if 'b' else 'c'
u = 'a' 'b'.upper()
t = ('a'
     'b')[0]
s = -'a' if 0 else +b''
