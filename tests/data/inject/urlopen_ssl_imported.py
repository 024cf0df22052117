import ssl
import urllib.request


def fetch(url):
    with urllib.request.urlopen(url, context=ssl.create_default_context()) as resp:
        return resp.read()
