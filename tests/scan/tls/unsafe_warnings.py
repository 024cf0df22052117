# DP503: silencing the InsecureRequestWarning that verify=False would print.
import warnings

import requests
import urllib3
from urllib3.exceptions import InsecureRequestWarning

urllib3.disable_warnings()
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
requests.packages.urllib3.disable_warnings(InsecureRequestWarning)
warnings.filterwarnings("ignore", category=InsecureRequestWarning)
warnings.simplefilter("ignore", InsecureRequestWarning)
warnings.filterwarnings("ignore", message="Unverified HTTPS request")
requests.get("https://example.com", verify=False)
import os

os.environ["PYTHONWARNINGS"] = "ignore:Unverified HTTPS request"
