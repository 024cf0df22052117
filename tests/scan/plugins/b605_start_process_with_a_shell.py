# B605: calls that always use a shell.
import os
import subprocess
import commands
import popen2

os.system("clear")                      # LOW: a plain string
os.system("rm -rf " + path)             # HIGH
os.popen(cmd)                           # HIGH
os.popen2("ls")                         # LOW
popen2.Popen3(cmd)
commands.getoutput("ls %s" % d)
subprocess.getoutput("ls")              # 1.9.4 list: LOW
subprocess.getstatusoutput(cmd)         # HIGH
os.system()                             # no argument: not flagged
os.spawnl(os.P_WAIT, "/bin/ls")         # B606 instead
os.system(cmd)  # nosec
