# The false value is overwritten before the call.
import requests

verify = False
verify = True
requests.get("https://example.com", verify=verify)


def f(url):
    check = 0
    check = "/etc/ssl/ca.pem"
    return requests.get(url, verify=check)
