import requests, ssl, urllib3
s = requests.Session()
s.verify = False
kw = {"verify": False}
requests.get(u, **kw)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
http = urllib3.PoolManager(cert_reqs="CERT_NONE")
