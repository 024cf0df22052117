# Import aliases and the modules that re-export requests/urllib3.
import requests as r
from requests import get as fetch
from requests.api import post
import requests.packages.urllib3 as u3
from pip._vendor import requests as vendored

r.get("https://example.com", verify=False)
fetch("https://example.com", verify=False)
post("https://example.com", verify=False)
u3.PoolManager(cert_reqs="CERT_NONE")
vendored.get("https://example.com", verify=False)
