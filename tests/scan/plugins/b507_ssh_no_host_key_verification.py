# B507: paramiko host key policies that accept unknown keys.
import paramiko
from paramiko import client

ssh = paramiko.SSHClient()
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())   # a call of the policy class
ssh.set_missing_host_key_policy(paramiko.WarningPolicy)
ssh.set_missing_host_key_policy(client.AutoAddPolicy)
ssh.set_missing_host_key_policy(AutoAddPolicy())             # a bare name call
ssh.set_missing_host_key_policy(paramiko.RejectPolicy())     # fine
ssh.set_missing_host_key_policy(policy)                      # a name that is not one of them
ssh.set_missing_host_key_policy()                            # no argument
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # nosec
