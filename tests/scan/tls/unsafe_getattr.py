# getattr(requests, 'get') hides the call from name-based scanners.
import requests

fetch = getattr(requests, "get")
fetch("https://example.com", verify=False)
getattr(requests, "post")("https://example.com", verify=False)


def call(method, url):
    return getattr(requests, method)(url, verify=False)
