# The flag travels through a helper's parameters or **kwargs.
import requests


def fetch(url, check):
    return requests.get(url, verify=check)


def fetch_kw(url, **kwargs):
    return requests.get(url, **kwargs)


fetch("https://example.com", False)
fetch_kw("https://example.com", verify=False)
