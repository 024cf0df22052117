# verify=None means "use the session's setting", which verifies.
import requests

requests.get("https://example.com", verify=None)
s = requests.Session()
s.get("https://example.com", verify=None)
