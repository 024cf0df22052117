# Other false values requests treats as "do not verify".
import requests

requests.get("https://example.com", verify="")
requests.get("https://example.com", verify=[])
requests.get("https://example.com", verify=1 - 1)
requests.get("https://example.com", verify="yes" == "no")
requests.get("https://example.com", verify=0.0)
requests.get("https://example.com", verify=False or 0)
requests.get("https://example.com", verify=(lambda: False) and False)
