# B503: functions whose positional defaults name a broken protocol (by attribute).
import ssl


def open_ssl_socket(version=ssl.PROTOCOL_SSLv2):
    pass


def f(a, b=SSL.TLSv1_METHOD, c=1):
    pass


def ok(version=ssl.PROTOCOL_TLS_CLIENT):
    pass


def bare(version=PROTOCOL_SSLv3):        # a bare name: get_qual_attr returns "" for it
    pass


def kwonly(*, version=ssl.PROTOCOL_SSLv3):   # keyword-only defaults are not checked
    pass


def deep(v=a.b.c.SSLv3_METHOD):           # any attribute chain: only the last part matters
    pass


def quiet(v=ssl.PROTOCOL_TLSv1):  # nosec
    pass
