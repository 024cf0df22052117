# httplib2: disable_ssl_certificate_validation=True
import httplib2

h = httplib2.Http(disable_ssl_certificate_validation=True)
h2 = httplib2.Http(".cache", 10, None, None, True)
h3 = httplib2.Http()
h3.disable_ssl_certificate_validation = True
