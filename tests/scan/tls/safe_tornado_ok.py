# tornado with verification on.
from tornado.httpclient import AsyncHTTPClient, HTTPRequest


async def fetch(url):
    client = AsyncHTTPClient()
    await client.fetch(HTTPRequest(url, validate_cert=True, ca_certs="/path/ca.pem"))
    return await client.fetch(url, validate_cert=None)
