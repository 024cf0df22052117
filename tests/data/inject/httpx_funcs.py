import httpx


def fetch(url: str) -> dict:
    resp = httpx.get(url, timeout=10.0)
    resp.raise_for_status()
    return resp.json()


def send(url: str, data: dict) -> int:
    return httpx.post(url, json=data).status_code
