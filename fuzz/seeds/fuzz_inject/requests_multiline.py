import requests

API = "https://api.example.com/v1"


def upload(path, token):
    with open(path, "rb") as fh:
        response = requests.post(
            f"{API}/files",
            files={"file": fh},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
    return response


def search(query):
    return requests.get(
        f"{API}/search",
        params={"q": query},  # the search terms
        timeout=5  # seconds
    )


def ping():
    return requests.head(
        API, timeout=2)


def empty():
    return requests.get(  # nothing yet
    )
