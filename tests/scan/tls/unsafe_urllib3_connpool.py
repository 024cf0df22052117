# urllib3.HTTPSConnectionPool with ssl.CERT_NONE
import ssl

import urllib3
from urllib3 import HTTPSConnectionPool

pool = urllib3.HTTPSConnectionPool("example.com", 443, cert_reqs=ssl.CERT_NONE)
pool2 = HTTPSConnectionPool("example.com", cert_reqs=ssl.CERT_NONE)
pool3 = urllib3.connection_from_url("https://example.com", cert_reqs="CERT_NONE")
