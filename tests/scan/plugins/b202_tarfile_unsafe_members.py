# B202: tarfile extractall without a members filter.
import tarfile

tar = tarfile.open("a.tar")
tar.extractall()                                   # HIGH: no validation
tar.extractall(path, members=safe_members(tar))    # LOW: a function
tar.extractall(path, members=members)              # MEDIUM: a name
tar.extractall(path, filter="data")                # fine
tar.extractall(path, filter="tar")                 # HIGH: only "data" is accepted
tar.extractall(path, members=m.filter(tar))        # Bandit's test raises: no finding
tar.extract("x")                                   # not extractall
tar.extractall(path)  # nosec
