# Monkeypatching every Session request to skip verification.
import functools

import requests

requests.Session.request = functools.partialmethod(requests.Session.request, verify=False)
requests.get = functools.partial(requests.get, verify=False)
