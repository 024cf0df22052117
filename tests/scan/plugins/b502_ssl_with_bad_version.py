# B502: broken SSL/TLS protocol constants.
import ssl
from OpenSSL import SSL
from pyOpenSSL import SSL as PSSL

ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_SSLv2)       # HIGH
ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_TLSv1_1)     # HIGH (1.9.4 list)
ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_TLS_CLIENT)  # fine
PSSL.Context(method=PSSL.SSLv3_METHOD)                   # HIGH: pyOpenSSL.SSL.Context
SSL.Context(method=SSL.TLSv1_METHOD)                     # MEDIUM: OpenSSL.SSL.Context is "other"
SSL.Context(SSL.SSLv23_METHOD)                           # positional: not checked
herp_derp(ssl_version=PROTOCOL_SSLv3)                    # MEDIUM: a bare name counts
f(method="TLSv1_METHOD")                                 # MEDIUM: a string counts too
f(x,
  method=ssl.PROTOCOL_SSLv2)                             # at the line of the value
ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_SSLv3)  # nosec
