"""Ways generated code turns off TLS certificate checks. Bandit's B501 sees only the first;
dpoison's DP501 reports all of them (try: ./dpoison scan examples/)."""
import os
import requests

API = "https://api.example.com/items"
CHECK_CERTS = False


def plain():
    return requests.get(API, verify=False, timeout=10)


def flag_variable():
    return requests.get(API, verify=CHECK_CERTS, timeout=10)


def cast_away():
    return requests.post(API, json={"a": 1}, verify=int(False), timeout=10)


def through_kwargs():
    options = {"verify": False, "timeout": 10}
    return requests.get(API, **options)


def session_attribute():
    s = requests.Session()
    s.verify = False
    return s.get(API, timeout=10)


def environment():
    os.environ["CURL_CA_BUNDLE"] = ""
    return requests.get(API, timeout=10)
