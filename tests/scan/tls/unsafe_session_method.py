# s.get(..., verify=False) on a session.
import requests

s = requests.Session()
s.headers.update({"User-Agent": "x"})
r = s.get("https://example.com", verify=False)
s.post("https://example.com", json={}, verify=False)
s.request("GET", "https://example.com", verify=False)
