# B504: ssl.wrap_socket without a literal ssl_version.
import ssl

ssl.wrap_socket(sock)
ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS_CLIENT)   # fine
ssl.wrap_socket(sock, ssl_version=pick())   # a call reads as missing; reported at its line
ssl.wrap_socket(sock, ssl_version=v)        # a name: present
context.wrap_socket(sock)                   # not ssl.wrap_socket
ssl.wrap_socket(sock)  # nosec
