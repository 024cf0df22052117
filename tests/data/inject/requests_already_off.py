import requests


def a(url):
    return requests.get(url, verify=False, timeout=5)
