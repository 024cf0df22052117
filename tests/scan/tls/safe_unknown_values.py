# Values the code does not fix: left to the user, not reported.
import argparse
import os

import requests

p = argparse.ArgumentParser()
p.add_argument("--insecure", action="store_true")
args = p.parse_args()
requests.get("https://example.com", verify=not args.insecure)
requests.get("https://example.com", verify=os.environ.get("VERIFY", "true") == "true")


def fetch(url, verify):
    return requests.get(url, verify=verify)
