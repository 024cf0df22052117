import httpx

client = httpx.Client(verify="/etc/ssl/certs/ca.pem", timeout=5)


def fetch(url):
    return client.get(url).text
