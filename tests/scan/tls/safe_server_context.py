# Server-side contexts: not requiring client certificates is the normal case.
import ssl

srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv.verify_mode = ssl.CERT_NONE
srv.load_cert_chain("cert.pem", "key.pem")

srv2 = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
srv2.verify_mode = ssl.CERT_NONE

# a generic context that turns out to serve
import asyncio
import socket

generic = ssl.SSLContext(ssl.PROTOCOL_TLS)
generic.load_cert_chain("cert.pem", "key.pem")
generic.verify_mode = ssl.CERT_NONE
listener = generic.wrap_socket(socket.socket(), server_side=True)

legacy = ssl.wrap_socket(socket.socket(), server_side=True, certfile="cert.pem", cert_reqs=ssl.CERT_NONE)


async def serve(handler):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS)
    ctx.verify_mode = ssl.CERT_NONE
    return await asyncio.start_server(handler, "0.0.0.0", 8443, ssl=ctx)


def make_server_context(version=None):
    ctx = ssl.SSLContext(version if version is not None else ssl.PROTOCOL_TLS_SERVER)
    ctx.verify_mode = ssl.CERT_NONE
    return ctx
