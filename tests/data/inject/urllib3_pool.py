import json

import urllib3

http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2.0, read=5.0))


def get_json(url):
    resp = http.request("GET", url)
    return json.loads(resp.data.decode("utf-8"))
