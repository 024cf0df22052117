# websocket-client: sslopt={'cert_reqs': ssl.CERT_NONE}
import ssl

import websocket

ws = websocket.create_connection("wss://example.com", sslopt={"cert_reqs": ssl.CERT_NONE})
app = websocket.WebSocketApp("wss://example.com")
app.run_forever(sslopt={"cert_reqs": ssl.CERT_NONE, "check_hostname": False})
ws2 = websocket.WebSocket(sslopt={"check_hostname": False})
