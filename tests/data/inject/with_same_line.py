import requests


def fetch(url):
    with requests.Session() as s: r = s.get(url, timeout=5)
    return r
