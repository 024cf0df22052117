# asyncio.to_thread and run_in_executor call requests for you.
import asyncio
import functools

import requests


async def main(url):
    r = await asyncio.to_thread(requests.get, url, verify=False)
    loop = asyncio.get_running_loop()
    r2 = await loop.run_in_executor(None, functools.partial(requests.get, url, verify=False))
    return r, r2
