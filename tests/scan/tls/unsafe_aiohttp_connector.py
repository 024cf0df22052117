# aiohttp: TCPConnector(ssl=False) for the whole session.
import aiohttp


async def fetch(url):
    connector = aiohttp.TCPConnector(ssl=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.get(url) as resp:
            return await resp.read()


async def fetch2(url):
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(verify_ssl=False)) as s:
        return await s.get(url)
