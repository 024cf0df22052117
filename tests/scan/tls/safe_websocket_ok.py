# websocket-client with verification on.
import ssl

import websocket

ws = websocket.create_connection("wss://example.com", sslopt={"cert_reqs": ssl.CERT_REQUIRED})
ws2 = websocket.create_connection("wss://example.com", sslopt={"ca_certs": "/path/ca.pem"})
