# urllib3 with certificate checks required.
import ssl

import certifi
import urllib3

http = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
pool = urllib3.HTTPSConnectionPool("example.com", cert_reqs=ssl.CERT_REQUIRED)
http2 = urllib3.PoolManager()
