a = f"{'single'}"
b = f'{"double"}'
c = f"""{'a' + "b"}"""
d = f'''{"x" 'y'}'''
e = f"{d['key']}"
f = f'{d["key"]}'
g = f"{', '.join(items)}"
h = f'''{f"{x}"}'''
