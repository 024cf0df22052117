import requests


def make_fetcher(base):
    session = requests.Session()

    def fetch(path):
        return session.get(base + path, timeout=5)

    return fetch


def other(session, url):
    return session.post(url, timeout=5)
