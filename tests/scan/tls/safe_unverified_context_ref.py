# Naming the factory without calling it, and a context built unverified then fixed.
import ssl

factory = ssl.create_default_context
strict = ssl._create_unverified_context(cert_reqs=ssl.CERT_REQUIRED, check_hostname=True)
server = ssl._create_unverified_context(purpose=ssl.Purpose.CLIENT_AUTH)
