# B202 needs `import tarfile` exactly.
from tarfile import open as topen

t = topen("a.tar")
t.extractall()               # not flagged: "tarfile" was never imported as such
