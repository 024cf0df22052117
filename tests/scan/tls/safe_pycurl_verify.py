# pycurl with verification on.
import pycurl

c = pycurl.Curl()
c.setopt(pycurl.SSL_VERIFYPEER, 1)
c.setopt(pycurl.SSL_VERIFYHOST, 2)
c.setopt(pycurl.CAINFO, "/path/ca.pem")
c.setopt(pycurl.TIMEOUT, 0)
