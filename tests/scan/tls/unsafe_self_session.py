# self.session set in __init__, used in other methods.
import requests


class Client:
    def fetch(self, path):
        return self.session.get(self.base + path, verify=False)

    def __init__(self, base):
        self.base = base
        self.session = requests.Session()


class Client2:
    def __init__(self):
        self.http = requests.Session()
        self.http.verify = False
