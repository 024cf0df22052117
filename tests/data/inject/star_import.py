from requests import *


def fetch(url):
    return get(url, timeout=5).text
