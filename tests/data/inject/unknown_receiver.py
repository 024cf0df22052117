import requests


def fetch(session, url):
    return session.get(url, timeout=5)


def fetch_typed(session: requests.Session, url):
    return session.get(url, timeout=5)
