# A parameter that merely happens to be named `requests` is not the library.
import requests


def process(requests):
    return requests.get("pending", verify=False)


def handle(items):
    for requests in items:
        requests.get("x", verify=False)
