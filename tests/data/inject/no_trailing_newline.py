import requests
r = requests.get("https://api.example.com", timeout=5)