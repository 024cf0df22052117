# A setting that falls back to False when it is absent.
import os

import requests

requests.get("https://example.com", verify=os.getenv("VERIFY_SSL", False))
requests.get("https://example.com", verify=os.environ.get("VERIFY_SSL", 0))
settings = load_settings()
requests.get("https://example.com", verify=settings.get("verify_ssl", False))
config = {"timeout": 5}
requests.get("https://example.com", verify=config.get("verify", False))
