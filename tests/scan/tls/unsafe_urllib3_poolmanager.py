# urllib3.PoolManager(cert_reqs='CERT_NONE')
import urllib3

http = urllib3.PoolManager(cert_reqs="CERT_NONE")
r = http.request("GET", "https://example.com")
http2 = urllib3.PoolManager(cert_reqs="NONE")
proxy = urllib3.ProxyManager("http://proxy:3128", cert_reqs="CERT_NONE")
