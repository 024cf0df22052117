# **kw where kw is built up in scope.
import requests


def call(url):
    kw = {}
    kw["verify"] = False
    return requests.get(url, **kw)


def call2(url):
    options = {"timeout": 10}
    options.update(verify=False)
    return requests.get(url, **options)


def call3(url):
    base = {"timeout": 10}
    merged = {**base, "verify": False}
    return requests.get(url, **merged)


def call4(url):
    settings = {"timeout": 10}
    settings.setdefault("verify", False)
    return requests.post(url, **settings)
