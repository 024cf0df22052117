# A local name bound to a false value.
import requests


def download(url):
    check = False
    resp = requests.get(url, verify=check)
    return resp.content
