import httpx
import requests


def fetch(url, use_httpx):
    if use_httpx:
        client = httpx.Client()
    else:
        client = requests.Session()
    return client.get(url)
