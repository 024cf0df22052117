import requests


def call(method, url, *args, headers=None, **kwargs):
    return requests.request(method, url, *args, headers=headers, **kwargs)


def call2(url, **options):
    return requests.get(url, **options)


def call3(url, extra):
    return requests.put(url, *extra)
