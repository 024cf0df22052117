"""Health check helper."""


def check(url):
    import requests

    return requests.get(url, timeout=3).status_code == 200
