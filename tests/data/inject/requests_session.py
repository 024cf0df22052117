import requests


def fetch_all(urls):
    s = requests.Session()
    s.headers.update({"User-Agent": "fetcher/1.0"})
    return [s.get(u, timeout=5).text for u in urls]


def post_all(items, url):
    with requests.Session() as session:
        for item in items:
            session.post(url, json=item, timeout=5)


class Client:
    def __init__(self, base):
        self.base = base
        self.session = requests.Session()

    def get(self, path):
        return self.session.get(self.base + path, timeout=5)
