# A class attribute or dataclass field read through self.
from dataclasses import dataclass

import requests


class Client:
    verify_ssl = False

    def get(self, url):
        return requests.get(url, verify=self.verify_ssl)


@dataclass
class Settings:
    url: str
    verify: bool = False

    def fetch(self):
        return requests.get(self.url, verify=self.verify)
