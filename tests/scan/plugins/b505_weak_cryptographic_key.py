# B505: weak DSA/RSA/EC key sizes.
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from Crypto.PublicKey import DSA as pycrypto_dsa
from Crypto.PublicKey import RSA as pycrypto_rsa
from Cryptodome.PublicKey import RSA as pycryptodomex_rsa

dsa.generate_private_key(key_size=512, backend=b)        # HIGH
dsa.generate_private_key(1024, b)                         # MEDIUM
dsa.generate_private_key(2048, b)                         # fine
rsa.generate_private_key(public_exponent=65537, key_size=1024, backend=b)   # MEDIUM
rsa.generate_private_key(3, 512, b)                       # HIGH: RSA reads position 1
rsa.generate_private_key(65537, 4096, b)                  # fine
rsa.generate_private_key(65537, key_size=0)               # 0 is falsy: then position 1 (absent): 2048
ec.generate_private_key(ec.SECP192R1, b)                  # MEDIUM: curve name by attribute
ec.generate_private_key(curve=ec.SECT163R2, backend=b)    # MEDIUM
ec.generate_private_key(ec.SECP192R1(), b)                # a call reads as None: 224, fine
ec.generate_private_key(ec.SECP256R1, b)                  # fine
pycrypto_dsa.generate(bits=512)                           # HIGH
pycrypto_rsa.generate(1024)                               # MEDIUM
pycryptodomex_rsa.generate(bits=2048)                     # fine
pycrypto_rsa.generate(512.0)                              # a float compares too: HIGH
pycrypto_rsa.generate("512")                              # a string: skipped
pycrypto_rsa.generate(512)  # nosec
