async def f():
    a = [x async for x in y]
    b = {x async for x in y}
    c = {k: v async for k, v in y}
    d = (x async for x in y)
    e = [x async for x in y if await x]
    f = [x for y in z async for x in y]
    g = [await x for x in y]
    h = [x async for x in y async for z in x if z]
