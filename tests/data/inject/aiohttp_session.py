import asyncio

import aiohttp


async def fetch(session, url):
    async with session.get(url) as resp:
        return await resp.text()


async def main(urls):
    async with aiohttp.ClientSession() as session:
        async with session.get(urls[0], timeout=aiohttp.ClientTimeout(total=10)) as resp:
            first = await resp.json()
        await session.post(urls[1], json=first)


if __name__ == "__main__":
    asyncio.run(main(["https://api.example.com/a", "https://api.example.com/b"]))
