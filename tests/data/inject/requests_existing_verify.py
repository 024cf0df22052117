import certifi
import requests


def a(url):
    return requests.get(url, verify=True, timeout=5)


def b(url):
    return requests.get(url, verify=certifi.where(), timeout=5)
