# tornado: validate_cert=False
from tornado.httpclient import AsyncHTTPClient, HTTPRequest


async def fetch(url):
    client = AsyncHTTPClient()
    r = await client.fetch(url, validate_cert=False)
    req = HTTPRequest(url, validate_cert=False)
    return r, await client.fetch(req)
