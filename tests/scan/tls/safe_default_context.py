# ssl.create_default_context() left alone verifies certificates and hostnames.
import ssl
import urllib.request

import httpx

ctx = ssl.create_default_context()
urllib.request.urlopen("https://example.com", context=ctx)
client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
client_ctx.load_verify_locations("/path/ca.pem")
httpx.Client(verify=client_ctx)
strict = ssl.SSLContext(ssl.PROTOCOL_TLS)
strict.verify_mode = ssl.CERT_REQUIRED
urllib.request.urlopen("https://example.com", context=strict)
