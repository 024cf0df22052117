# Settings that fall back to verifying.
import os

import requests

requests.get("https://example.com", verify=os.getenv("VERIFY_SSL", True))
requests.get("https://example.com", verify=os.environ.get("CA_BUNDLE", "/etc/ssl/ca.pem"))
cfg = {"verify": True}
requests.get("https://example.com", verify=cfg.get("verify", False))
requests.get("https://example.com", verify=cfg["verify"])
