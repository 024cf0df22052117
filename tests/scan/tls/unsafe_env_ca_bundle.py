# Empty CURL_CA_BUNDLE / REQUESTS_CA_BUNDLE (requests < 2.28 then skips verification).
import os
import subprocess
from os import environ

os.environ["CURL_CA_BUNDLE"] = ""
environ["REQUESTS_CA_BUNDLE"] = ""
os.environ.setdefault("CURL_CA_BUNDLE", "")
env = os.environ.copy()
env["REQUESTS_CA_BUNDLE"] = ""
subprocess.run(["python", "client.py"], env=env)
# empty whenever SSL_CERT_FILE is unset: a may-be (MEDIUM)
os.environ["CURL_CA_BUNDLE"] = os.environ.get("SSL_CERT_FILE", "")
