# pycurl: SSL_VERIFYPEER 0 (with VERIFYHOST 0 folded into the same finding)
import io

import pycurl

buf = io.BytesIO()
c = pycurl.Curl()
c.setopt(pycurl.URL, "https://example.com")
c.setopt(pycurl.SSL_VERIFYPEER, 0)
c.setopt(pycurl.SSL_VERIFYHOST, 0)
c.setopt(c.WRITEDATA, buf)
c.perform()

d = pycurl.Curl()
d.setopt(d.SSL_VERIFYPEER, False)
