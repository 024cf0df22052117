# httpx module functions.
import httpx

httpx.get("https://example.com", verify=False)
httpx.post("https://example.com", json={}, verify=False)
httpx.request("GET", "https://example.com", verify=False)
with httpx.stream("GET", "https://example.com", verify=False) as r:
    pass
