# B602: subprocess calls with a truthy shell keyword.
import subprocess
from subprocess import Popen as P

subprocess.Popen("ls -l", shell=True)          # LOW: a plain string
subprocess.call(cmd, shell=True)               # HIGH
subprocess.check_call("ls %s" % d, shell=True) # HIGH
subprocess.check_output(["ls"], shell=True)    # HIGH: a list is not a str literal
subprocess.run(f"ls {d}", shell=True)          # HIGH: an f-string is not a str literal
P("ls", shell=True)                            # alias resolved
subprocess.Popen("ls", shell=False)            # B603 instead
subprocess.Popen("ls", shell=0)                # B603
subprocess.Popen("ls", shell=1)                # truthy number
subprocess.Popen("ls", shell=flag)             # a name counts as true
subprocess.Popen("ls", shell=[])               # empty list: false
subprocess.Popen("ls", shell=[0])              # non-empty list: true
subprocess.Popen("ls", shell={})               # empty dict: false
subprocess.Popen("ls", shell=())               # an empty tuple still counts as true
subprocess.Popen("ls", shell=None)             # false
subprocess.Popen("ls", shell="")               # an empty string constant: false
subprocess.Popen(shell=True)                   # no positional argument: not B602
subprocess.Popen("ls",
                 shell=True)                   # reported at the line of the value
subprocess.Popen(cmd, shell=True)  # nosec
subprocess.Popen(cmd, shell=True)  # nosec B602
subprocess.getoutput("ls", shell=True)         # not in the subprocess list: B604
