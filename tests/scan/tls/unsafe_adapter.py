# An HTTPAdapter that builds its pool manager without verification.
import requests
from requests.adapters import HTTPAdapter
from urllib3.poolmanager import PoolManager


class NoVerifyAdapter(HTTPAdapter):
    def init_poolmanager(self, connections, maxsize, block=False, **kwargs):
        self.poolmanager = PoolManager(num_pools=connections, maxsize=maxsize, cert_reqs="CERT_NONE")


class NoVerifyAdapter2(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        kwargs["cert_reqs"] = "CERT_NONE"
        return super().init_poolmanager(*args, **kwargs)


s = requests.Session()
s.mount("https://", NoVerifyAdapter())


class InsecureAdapter(HTTPAdapter):
    def cert_verify(self, conn, url, verify, cert):
        super().cert_verify(conn, url, False, cert)
