# setattr instead of an assignment.
import ssl

import requests

s = requests.Session()
setattr(s, "verify", False)
setattr(ssl, "_create_default_https_context", ssl._create_unverified_context)
