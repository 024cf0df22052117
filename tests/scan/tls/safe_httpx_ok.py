# httpx with verification on.
import ssl

import httpx

httpx.get("https://example.com", verify=True)
httpx.Client(verify="/path/ca.pem")
httpx.AsyncClient(verify=ssl.create_default_context())
httpx.Client()
