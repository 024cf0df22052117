# verify=not True folds to False.
import requests

requests.get("https://example.com", verify=not True)
requests.get("https://example.com", verify=not 1)
