# B601: exec_command calls in a file importing paramiko.
import paramiko

client = paramiko.SSHClient()
client.exec_command("ls " + path)
stdin, out, err = client.exec_command(cmd)
client.invoke_shell()                  # not exec_command
exec_command("x")                      # any call named exec_command
client.exec_command("ls")  # nosec
