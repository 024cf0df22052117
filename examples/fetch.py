"""Fetch a few JSON endpoints and summarise them: a small example of the kind of code dpoison
scans. Every request verifies TLS certificates and sets a timeout."""
import sys

import requests

API = "https://api.example.org/v1"
TIMEOUT = 10  # seconds


def get_json(path, session=None, **params):
    """GET API/path and return the decoded JSON body; raises on HTTP errors."""
    http = session or requests
    response = http.get(f"{API}/{path}", params=params, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def post_event(name, payload):
    response = requests.post(f"{API}/events", json={"name": name, **payload},
                             headers={"User-Agent": "fetch-example/1.0"}, timeout=TIMEOUT)
    return response.status_code == 201


def main(argv):
    with requests.Session() as session:
        session.headers.update({"Accept": "application/json"})
        users = get_json("users", session, limit=5)
        for user in users:
            print(f"{user['id']:>6}  {user.get('name', '?')}")
    if len(argv) > 1 and not post_event("listed", {"count": len(users)}):
        print("could not record the event", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
