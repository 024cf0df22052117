# requests.request with an explicit method.
import requests

requests.request("GET", "https://example.com", verify=False)
requests.api.request("POST", "https://example.com", verify=False)
