# A conditional expression with a false branch: may be False.
import os
import requests

DEBUG = os.environ.get("DEBUG") == "1"
requests.get("https://example.com", verify=False if DEBUG else True)
verify = True if os.environ.get("PROD") else False
requests.get("https://example.com", verify=verify)
