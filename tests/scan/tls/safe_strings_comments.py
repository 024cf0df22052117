"""Docs that mention requests.get(url, verify=False) are not code."""
import requests

# requests.get(url, verify=False)  <- do not do this
EXAMPLE = "requests.get(url, verify=False)"
msg = f"never pass verify={False!r}"
requests.get("https://example.com")
