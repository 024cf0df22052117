# The string 'False' is a CA path to requests (it fails loudly); Bandit's B501 flags it, we do not.
import requests

requests.get("https://example.com", verify="False")
requests.get("https://example.com", verify=str(False))
