# B103: chmod-like calls with a literal mode that lets group/others write or execute.
import os
import stat

os.chmod("/etc/passwd", 0o777)      # HIGH: others may write
os.chmod(path, 0o755)               # MEDIUM: group/others execute
os.chmod(path, 0o664)               # MEDIUM: group write (1.9.4 adds S_IWGRP)
os.chmod(path, 0o701)               # MEDIUM: others execute (1.9.4 adds S_IXOTH)
os.chmod(path, 0o600)               # fine
os.chmod(path, 0o644)               # fine
os.chmod(path, 511)                 # HIGH: decimal 511 == 0o777
os.chmod(path, mode)                # not a literal
os.chmod(path, stat.S_IRWXO)        # not a literal
os.chmod(path, 0o777, follow_symlinks=False)   # keywords do not count: two positional args
os.fchmod(fd, 0o777)                # HIGH: "chmod" is a substring of fchmod
os.lchmod(p, 0o722)                 # HIGH
chmod(p, 0o2777)                    # HIGH
os.chmod(0o777)                     # one argument: not checked
os.chmod("f", True)                 # True reads as the string "True"
os.chmod(path)  # nosec
os.chmod(path, 0o777)  # nosec
os.chmod(
    "x",
    0o757,
)
os.chmod(get_path(), 0o777)         # a call reads as None: "NOT PARSED"
os.chmod("", 0o777)                 # an empty name is kept: "()"
os.chmod(["a", 1, None], 0o777)     # a list prints as Python's str()
