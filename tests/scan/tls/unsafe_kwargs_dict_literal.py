# **{'verify': False}
import requests

requests.get("https://example.com", **{"verify": False})
requests.post("https://example.com", **{"timeout": 3, "verify": 0})
