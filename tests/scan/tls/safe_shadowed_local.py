# A local name that shadows the module.
import requests


def f():
    requests = {"get": print}
    requests.get("x", verify=False)


class Queue:
    def get(self, item, verify=True):
        return item


def g():
    requests = Queue()
    return requests.get("x", verify=False)
