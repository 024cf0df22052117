# requests.Session().get(...) without a name in between.
import requests

requests.Session().get("https://example.com", verify=False)
