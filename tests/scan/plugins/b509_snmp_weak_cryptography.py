# B509: pysnmp.hlapi.UsmUserData with fewer than three positional arguments.
from pysnmp.hlapi import UsmUserData

UsmUserData("user")
UsmUserData("user", "authkey")
UsmUserData("user", "authkey", "privkey")                 # fine
UsmUserData("user", authKey="a", privKey="p")             # keywords do not count: flagged
UsmUserData("user")  # nosec
