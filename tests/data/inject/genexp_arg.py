import requests

urls = ["https://a.example.com", "https://b.example.com"]
responses = list(requests.get(u) for u in urls)
weird = requests.post(u for u in urls)
