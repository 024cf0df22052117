# B612: logging.config.listen without verify.
import logging.config
from logging import config

t = logging.config.listen(9999)
t = config.listen(9999)                          # from-import resolved
t = logging.config.listen(9999, verify=check)    # fine
t = logging.config.listen()
t = logging.config.listen(9999)  # nosec
