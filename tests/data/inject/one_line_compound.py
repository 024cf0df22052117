import requests

if True: s = requests.Session()


def f(url):
    return s.get(url, timeout=5)
