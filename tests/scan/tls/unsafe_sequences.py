# False taken out of a tuple or list.
import requests

requests.get("https://example.com", verify=[False][0])
requests.get("https://example.com", verify=(True, False)[-1])
timeout, check = 10, False
requests.get("https://example.com", timeout=timeout, verify=check)
pair = (5, 0)
t, v = pair
requests.get("https://example.com", verify=v)
