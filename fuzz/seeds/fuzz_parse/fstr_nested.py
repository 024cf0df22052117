a = f'{f"{x}"}'
b = f"{f'{x}' + f'{y}'}"
c = f'''{f"""{f'{x}'}"""}'''
d = f'{x:{y}}'
e = f'{f"{x!r}":>10}'
f = f"{[f'{i}' for i in r]}"
