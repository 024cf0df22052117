import httpx
import requests


def a(url):
    return requests.Session().get(url, timeout=5)


def b(url):
    return httpx.Client().get(url)
