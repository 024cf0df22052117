# B324: weak hashes without usedforsecurity=False, weak crypt methods.
import hashlib
import crypt
from hashlib import sha1

hashlib.md5(b"x")
hashlib.md4()
hashlib.sha1(data).hexdigest()
sha1(b"x")                                    # from-import resolved
hashlib.sha256(b"x")                          # fine
hashlib.md5(b"x", usedforsecurity=False)      # fine
hashlib.md5(b"x", usedforsecurity=True)       # flagged
hashlib.md5(b"x", usedforsecurity=flag)       # a name is not "True": fine
hashlib.new("MD5")                            # any case
hashlib.new(name="sha1")
hashlib.new("sha256")                         # fine
hashlib.new(algo)                             # a name: its id is "algo"
crypt.crypt("pw", crypt.METHOD_MD5)
crypt.crypt("pw", salt=crypt.METHOD_CRYPT)
crypt.mksalt(crypt.METHOD_BLOWFISH)
crypt.mksalt(method=crypt.METHOD_SHA512)      # fine
hashlib.md5()  # nosec
