# with requests.Session() as s
import requests

with requests.Session() as s:
    s.get("https://example.com", verify=False)

with requests.Session() as session:
    session.verify = False
    session.get("https://example.com")
