# B603: subprocess calls without a truthy shell keyword.
import subprocess
from subprocess import check_output

subprocess.Popen(["ls", "-l"])
subprocess.call(cmd)
subprocess.run(cmd, check=True, shell=False)
check_output(args)
subprocess.Popen(cmd,
                 shell=False)              # reported at the line of the value
subprocess.Popen(cmd, shell=True)          # B602 instead
subprocess.Popen()                         # no argument: still B603
subprocess.getoutput("ls")                 # the shell list: B605
os.system("ls")                            # B605
subprocess.run(cmd)  # nosec
