# B609: chown/chmod/tar/rsync with a wildcard through a shell.
import os
import subprocess

os.system("tar cf archive.tar *")
os.popen("chown user:group *")
subprocess.Popen("/bin/chmod 755 *", shell=True)
subprocess.Popen(["rsync", "-a", "*", "dst"], shell=True)   # a list joined with spaces
subprocess.Popen("chown *", shell=1)      # shell must be the literal True here
subprocess.Popen(["chown", "*"])          # no shell: not flagged
os.system("tar cf archive.tar dir")      # no wildcard
os.system("ls *")                         # not one of the four commands
os.system(cmd)                            # not a literal
subprocess.Popen("chmod *",
                 shell=True)              # at the line of the shell value
os.system("tar cf a.tar *")  # nosec
