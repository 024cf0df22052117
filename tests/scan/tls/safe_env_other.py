# Environment settings that keep verification on.
import os

os.environ["REQUESTS_CA_BUNDLE"] = "/etc/ssl/certs/ca.pem"
os.environ["PYTHONHTTPSVERIFY"] = "1"
os.environ["HTTPS_PROXY"] = ""
