# check_hostname = False, then verify_mode = CERT_NONE: one finding, with both lines.
import ssl
import urllib.request

ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
urllib.request.urlopen("https://example.com", context=ctx)
