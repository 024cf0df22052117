# urllib.request.urlopen(..., context=<unverified>) built in several ways.
import ssl
from urllib.request import urlopen, HTTPSHandler, build_opener


def get(url):
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return urlopen(url, context=c).read()


opener = build_opener(HTTPSHandler(context=ssl._create_unverified_context()))
