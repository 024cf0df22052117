import json
import requests as rq
from requests import get, post as http_post


def fetch(url):
    return rq.get(url).json()


def fetch2(url):
    data = get(url, params={"page": 1})
    return json.loads(data.text)


def send(url, payload):
    return http_post(url, data=payload)
