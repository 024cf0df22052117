# from requests import *
from requests import *

get("https://example.com", verify=False)
s = Session()
s.verify = False
