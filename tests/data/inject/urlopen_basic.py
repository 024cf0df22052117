"""Fetch a JSON document with the standard library."""
import json
from urllib.request import Request, urlopen


def fetch(url):
    req = Request(url, headers={"Accept": "application/json"})
    with urlopen(req, timeout=10) as resp:
        return json.load(resp)
