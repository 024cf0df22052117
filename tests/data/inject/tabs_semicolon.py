import requests


def fetch(url):
	s = requests.Session(); s.headers["X-Trace"] = "1"
	if url:
		return s.get(url, timeout=5)
