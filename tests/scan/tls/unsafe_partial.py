# functools.partial binds verify=False once; the later calls inherit it.
import functools
from functools import partial

import requests

insecure_get = functools.partial(requests.get, verify=False)
insecure_get("https://example.com")
post = partial(requests.post, timeout=5)
post("https://example.com", verify=False)
