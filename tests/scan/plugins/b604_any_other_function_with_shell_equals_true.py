# B604: any other call with a truthy shell keyword.
import subprocess

utils.execute(cmd, shell=True)
run_cmd(cmd, shell=flag)
self._start(args=a, shell=shell)
foo(shell=False)                 # fine
foo(shell=0)                     # fine
foo(shell="x")                   # a non-empty string is truthy
subprocess.Popen(cmd, shell=True)   # B602, not B604
foo(x,
    shell=True)                  # at the line of the value
foo(shell=True)  # nosec
