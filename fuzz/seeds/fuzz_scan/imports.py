import pickle as pk
from xml.etree import ElementTree as ET
from . import telnetlib
pk.loads(b)  # nosec B301
ET.parse(f)  # nosec B314,B101
__import__("ftplib")
importlib.import_module(name="dill")
