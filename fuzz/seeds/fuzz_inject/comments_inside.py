import requests


def fetch(url, token):
    return requests.get(  # fetch the page
        url,  # where
        # the auth header
        headers={"Authorization": token},
        timeout=5,  # seconds
    )  # done
