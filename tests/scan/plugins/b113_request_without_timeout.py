# B113: requests calls without a timeout, requests/httpx calls with timeout=None.
import requests
import httpx
import requests as r
from requests import get

requests.get(url)
requests.post(url, data=d, timeout=5)     # fine
requests.put(url, timeout=None)           # with timeout set to None
requests.delete(url, timeout=cfg.t)       # an attribute: present
requests.head(url, timeout=t)             # a name: present
requests.patch(url, timeout=get_t())      # a call reads as missing (Bandit's literal is None)
requests.options(url, timeout=(3, 10))    # a tuple: present
requests.request("GET", url)              # request is not among requests' verbs
requests.Session().get(url)               # qualified name ".get": not flagged
r.get(url)                                # alias resolved: requests.get
get(url)                                  # from-import resolved: requests.get
httpx.get(url)                            # httpx without timeout: not flagged
httpx.Client(timeout=None)                # httpx with timeout=None
httpx.stream("GET", url, timeout=None)
httpx.AsyncClient(timeout=10)             # fine
requests.get(url, timeout="None")         # the string "None" also reads as None
requests.get(url)  # nosec
requests.get(
    url,
    timeout=None,
)
