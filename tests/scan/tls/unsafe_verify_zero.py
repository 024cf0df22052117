# verify=0: falsy, so requests turns certificate checks off.
import requests


def fetch(url):
    return requests.get(url, verify=0, timeout=5)
