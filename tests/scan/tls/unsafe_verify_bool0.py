# verify=bool(0) and friends.
import requests

requests.get("https://example.com", verify=bool(0))
requests.get("https://example.com", verify=bool(""))
requests.get("https://example.com", verify=bool())
