import requests


def fetch():
    print("données"); r = requests.get("https://例え.jp/データ", params={"q": "é"}, timeout=5)
    return r.text
