import aiohttp
import requests


def sync_get(url):
    return requests.get(url, timeout=5).json()


async def async_get(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as r:
            return await r.json()
