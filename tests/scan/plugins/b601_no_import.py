# B601 needs an import containing "paramiko".
client.exec_command("ls")
