# The plain form, on every verb.
import requests

URL = "https://example.com/api"

r = requests.get(URL, verify=False)
requests.post(URL, data={"a": 1}, verify=False)
requests.put(URL, verify=False)
requests.patch(URL, verify=False)
requests.delete(URL, verify=False)
requests.head(URL, verify=False)
requests.options(URL, verify=False)
resp = requests.get(
    URL,
    timeout=10,
    verify=False,
)
