"""Module docstring."""
'''Second string expression.'''
def f():
    "Function docstring."
    return 1
class C:
    r'''Raw class docstring \n.'''
    b'not a docstring'
async def g():
    f"""f-string docstring {x}"""
