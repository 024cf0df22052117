# aiohttp with verification on.
import ssl

import aiohttp


async def fetch(url):
    ctx = ssl.create_default_context(cafile="/path/ca.pem")
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx)) as session:
        async with session.get(url, ssl=None) as r:
            return await r.text()
    async with aiohttp.ClientSession() as s2:
        await s2.get(url, ssl=True)
