# Closures and lambdas.
import requests


def outer(url):
    check = False

    def inner():
        return requests.get(url, verify=check)

    return inner


fetch = lambda u: requests.get(u, verify=False)
