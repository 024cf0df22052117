# ssl.wrap_socket(cert_reqs=CERT_NONE)
import socket
import ssl

sock = socket.create_connection(("example.com", 443))
tls = ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)
tls2 = ssl.wrap_socket(sock, None, None, False, ssl.CERT_NONE)
