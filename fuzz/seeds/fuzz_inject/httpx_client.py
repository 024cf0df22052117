import asyncio

import httpx


def fetch(urls):
    with httpx.Client(timeout=10) as client:
        return [client.get(u).status_code for u in urls]


async def fetch_async(urls):
    async with httpx.AsyncClient() as client:
        responses = await asyncio.gather(*(client.get(u) for u in urls))
    return [r.json() for r in responses]
