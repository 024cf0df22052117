# .verify = False on objects that are not HTTP sessions.
import requests


class Options:
    def __init__(self):
        self.verify = False
        self.dry_run = True


opts = Options()
opts.verify = False
form = object()
form.verify = False
s = requests.Session()
s.trust_env = False
s.verify = True
