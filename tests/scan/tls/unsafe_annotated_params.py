# Parameters annotated with a client type are that client, whoever passes them.
import ssl
from typing import Optional

import requests


def fetch(session: requests.Session, url):
    return session.get(url, verify=False)


def configure(s: Optional[requests.Session] = None):
    s.verify = False


def loosen(ctx: ssl.SSLContext):
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
