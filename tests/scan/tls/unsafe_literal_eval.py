# False spelled as a string and parsed back.
import ast
import json

import requests

requests.get("https://example.com", verify=eval("False"))
requests.get("https://example.com", verify=ast.literal_eval("0"))
requests.get("https://example.com", verify=json.loads("false"))
