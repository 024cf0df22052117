# An SSLContext set to CERT_NONE.
import ssl
from ssl import CERT_NONE, PROTOCOL_TLS_CLIENT, SSLContext

context = ssl.SSLContext(ssl.PROTOCOL_TLS)
context.verify_mode = ssl.CERT_NONE

c2 = SSLContext(PROTOCOL_TLS_CLIENT)
c2.check_hostname = False
c2.verify_mode = CERT_NONE


def make(ctx):
    ctx.check_hostname = False
    ctx.verify_mode = ssl.VerifyMode.CERT_NONE
    return ctx
