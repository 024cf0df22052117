# PEP 493's PYTHONHTTPSVERIFY=0
import os

os.environ["PYTHONHTTPSVERIFY"] = "0"
os.environ.update({"PYTHONHTTPSVERIFY": "0"})
os.putenv("PYTHONHTTPSVERIFY", "0")
os.environ |= {"PYTHONHTTPSVERIFY": 0}
os.environ["NODE_TLS_REJECT_UNAUTHORIZED"] = "0"
