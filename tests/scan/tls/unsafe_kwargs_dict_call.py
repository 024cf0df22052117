# **dict(verify=False)
import requests

requests.get("https://example.com", **dict(verify=False))
opts = dict(timeout=5, verify=False)
requests.get("https://example.com", **opts)
