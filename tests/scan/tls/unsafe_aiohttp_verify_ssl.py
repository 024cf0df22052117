# aiohttp: the deprecated verify_ssl=False.
import aiohttp


async def fetch(url):
    async with aiohttp.ClientSession() as session:
        resp = await session.post(url, data=b"x", verify_ssl=False)
        return resp
