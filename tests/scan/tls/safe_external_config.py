# A class default overridden by the code that configures the object.
import requests


class Client:
    def __init__(self):
        self.verify = False

    def get(self, url):
        return requests.get(url, verify=self.verify)


def make():
    c = Client()
    c.verify = "/etc/ssl/certs/ca.pem"
    return c
