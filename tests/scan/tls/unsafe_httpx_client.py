# httpx.Client / AsyncClient(verify=False)
import httpx


def sync():
    with httpx.Client(verify=False) as client:
        return client.get("https://example.com")


async def run():
    async with httpx.AsyncClient(verify=False, timeout=10) as client:
        return await client.get("https://example.com")

transport = httpx.HTTPTransport(verify=False)
