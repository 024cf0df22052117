# B607: a process started by a partial path (a string literal not starting with / \ . or X:).
import os
import subprocess

subprocess.Popen(["ls", "-l"])
subprocess.Popen("ls -l", shell=True)
subprocess.Popen(["/bin/ls", "-l"])      # fine
subprocess.Popen(["./run.sh"])           # fine
subprocess.Popen(["..\\run.bat"])        # fine
subprocess.Popen(["C:\\tool.exe"])       # fine: drive letter
subprocess.Popen([])                     # empty list: nothing to check
subprocess.Popen([prog, "-x"])           # not a literal
subprocess.Popen(cmd)                    # not a literal
os.system("")                            # an empty string is a partial path
os.execl("ls", "ls")
os.popen("osascript", "w")
subprocess.getoutput("rpm -q x")
f("ls")                                  # not a process call
subprocess.Popen(["ls"])  # nosec
