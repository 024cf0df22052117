# verify=True, spelled several ways.
import requests

requests.get("https://example.com", verify=True)
requests.get("https://example.com", verify=1)
requests.get("https://example.com", verify=not False)
requests.get("https://example.com", verify=bool(1))
requests.get("https://example.com")
