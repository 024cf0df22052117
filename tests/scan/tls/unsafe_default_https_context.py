# The process-wide monkeypatch.
import ssl

ssl._create_default_https_context = ssl._create_unverified_context

# the widely copied form
try:
    _create_unverified_https_context = ssl._create_unverified_context
except AttributeError:
    pass
else:
    ssl._create_default_https_context = _create_unverified_https_context
