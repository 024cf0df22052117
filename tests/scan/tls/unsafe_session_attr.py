# s = requests.Session(); s.verify = False
import requests

s = requests.Session()
s.verify = False
s.get("https://example.com")

sess = requests.session()
sess.verify = 0
