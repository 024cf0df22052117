a = f"{"nested same quotes"}"
b = f'{'single in single'}'
c = f"{f"{f"{x}"}"}"
d = f"{'\n'.join(lines)}"
e = f"{x:{"<"}10}"
f = f"""{
    x  # a comment inside a replacement field
}"""
g = f"{x!r:{y}}"
h = f"{ x = }"
i = f"{x:{y}.{z}}"
j = f'{"a" "b"}'
k = f"abc{x}def" "ghi"
l = f"{x}" f"{y}"
m = f"{{}}"
n = f"{x:}"
o = f'{x:>10}'
