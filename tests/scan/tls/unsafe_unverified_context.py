# ssl._create_unverified_context() called.
import ssl
import urllib.request

ctx = ssl._create_unverified_context()
urllib.request.urlopen("https://example.com", context=ctx)
urllib.request.urlopen("https://example.com", context=ssl._create_unverified_context())
