# httplib2 with validation on.
import httplib2

h = httplib2.Http(disable_ssl_certificate_validation=False, ca_certs="/path/ca.pem")
h2 = httplib2.Http(".cache")
