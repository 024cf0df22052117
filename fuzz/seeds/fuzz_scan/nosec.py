import subprocess
import hashlib


def f(password="hunter2", *a, **k):
    assert a
    try:
        subprocess.call(f"ls {a}", shell=True)  # nosec
    except Exception:
        pass
    return hashlib.new("md5", usedforsecurity=False), eval(
        k)  # nosec: eval
