a = """triple
double"""
b = '''triple
single'''
c = r"""raw \n
triple"""
d = b'''bytes
triple'''
e = """contains "quotes" and 'single' and "" pairs"""
f = '''ends with quote"'''
g = """line one \
continued"""
h = """
"""
i = f"""{x}
{y!r}
"""
def doc():
    """Docstring.

    Indented body.
    """
