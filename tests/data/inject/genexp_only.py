import requests

urls = ["https://a.example.com", "https://b.example.com"]
weird = requests.post(u for u in urls)
