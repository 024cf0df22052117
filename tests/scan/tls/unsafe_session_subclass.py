# A Session subclass that turns verification off for itself.
import requests


class InsecureSession(requests.Session):
    def __init__(self):
        super().__init__()
        self.verify = False

    def request(self, method, url, **kwargs):
        return super().request(method, url, verify=False, **kwargs)
