import requests


def fetch(base, uid):
    return requests.get(f"{base}/users/{uid}?x={(1, 2)}", params={"a": (1, 2)}, timeout=5)
