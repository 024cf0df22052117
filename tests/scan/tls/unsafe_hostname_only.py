# DP502: hostname checks off while certificates are still verified.
import ssl

import pycurl
import urllib3

ctx = ssl.create_default_context()
ctx.check_hostname = False

pool = urllib3.PoolManager(assert_hostname=False)

c = pycurl.Curl()
c.setopt(pycurl.SSL_VERIFYHOST, 0)
