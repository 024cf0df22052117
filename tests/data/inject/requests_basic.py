import requests


def get_users(base_url):
    response = requests.get(f"{base_url}/users", timeout=10)
    response.raise_for_status()
    return response.json()


def create_user(base_url, name):
    r = requests.post(base_url + "/users", json={"name": name}, timeout=10)
    return r.json()["id"]
