# B501: verify=False on requests/httpx calls (Bandit compares the literal with "False").
import requests
import httpx
from requests import post

requests.get(url, verify=False, timeout=5)
requests.get(url, verify='False', timeout=5)    # the string 'False' reads the same: flagged
requests.get(url, verify=True, timeout=5)       # fine
requests.get(url, verify=0, timeout=5)          # 0 is not "False": not flagged (DP501 sees it)
requests.get(url, verify=None, timeout=5)       # fine
requests.get(url, verify=flag, timeout=5)       # a variable: not flagged
post(url, timeout=5,
     verify=False)                              # reported at the line of the value
requests.request("GET", url, verify=False)      # request() is not a requests verb here
requests.Session().get(url, verify=False)       # ".get": not flagged
httpx.get(url, verify=False)
httpx.Client(verify=False)
httpx.AsyncClient(verify=False)
httpx.stream("GET", url, verify=False)
session.get(url, verify=False)                  # qualified name "session.get"
requests.get(url, verify=False, timeout=5)  # nosec
requests.get(url, verify=False, timeout=5)  # nosec B501
