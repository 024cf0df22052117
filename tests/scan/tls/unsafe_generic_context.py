# DP505: contexts that do not verify unless told to, handed to clients.
import socket
import ssl
import urllib.request

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS)
urllib.request.urlopen("https://example.com", context=ctx)

sock = socket.create_connection(("example.com", 443))
s = ssl.wrap_socket(sock)

raw = ssl.SSLContext()
conn = raw.wrap_socket(sock, server_hostname="example.com")
