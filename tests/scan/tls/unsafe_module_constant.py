# Module and class constants bound to false values, used inside functions.
import requests

VERIFY_SSL = False


class Config:
    VERIFY = 0


def fetch(url):
    return requests.get(url, verify=VERIFY_SSL)


def fetch2(url):
    return requests.get(url, verify=Config.VERIFY)
