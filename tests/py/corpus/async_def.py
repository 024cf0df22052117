async def f():
    await x
    await f(y)
    r = await g()
    return await h() + await i()

async def g():
    async for i in aiter():
        pass
    else:
        pass
    async with a as b, c:
        pass
    async with (a as b, c as d):
        pass
    async for x, y in z:
        await x

async def h():
    x = [await y async for y in z]
    return await (await x)

class C:
    async def m(self):
        yield await self.x
await_ = 2
