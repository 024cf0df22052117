# A CA bundle path is verification with a custom trust store.
import os

import requests

requests.get("https://example.com", verify="/etc/ssl/certs/ca-certificates.crt")
requests.get("https://example.com", verify=os.environ["CA_BUNDLE"])
s = requests.Session()
s.verify = "/path/ca.pem"
