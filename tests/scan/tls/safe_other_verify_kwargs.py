# verify=False that has nothing to do with TLS.
import jwt
import requests

payload = jwt.decode("token", verify=False)
cache = {}
cache.get("key", False)


def validate(data, verify=False):
    return data


validate({}, verify=False)


class Signer:
    def sign(self, data, verify=False):
        return data


Signer().sign(b"x", verify=False)
