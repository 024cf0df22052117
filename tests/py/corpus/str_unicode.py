s = 'héllo wörld'
t = "日本語のテキスト"
u = 'emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'
v = f'{s} → {t}'
w = b'ascii only'
x = '''mixed
ünïcödé'''
y = 'é' + 'e\u0301'
z = len('ß')
