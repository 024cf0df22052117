# Executors and threads that call requests.get for you.
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

with ThreadPoolExecutor() as pool:
    fut = pool.submit(requests.get, "https://example.com", verify=False)

t = threading.Thread(target=requests.get, args=("https://example.com",), kwargs={"verify": False})
