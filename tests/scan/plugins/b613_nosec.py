# B613 honours nosec on the reported line.
s = "‮"  # nosec
