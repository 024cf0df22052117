# B606: exec/spawn/startfile calls.
import os
from os import execv

os.execl("/bin/ls", "ls")
os.execvpe(prog, args, env)
os.spawnv(os.P_WAIT, "/bin/ls", ["ls"])
os.startfile(path)
execv("/bin/sh", ["sh"])
os.posix_spawn(path, argv, env)      # not in the list
os.system("ls")                      # B605 instead
os.execl("/bin/ls", "ls")  # nosec
