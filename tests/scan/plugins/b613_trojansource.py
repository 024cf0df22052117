# B613: the first line holding a bidirectional control character; one finding per file.
x = 1
access_level = "user‮ ⁦// Check if admin⁩ ⁦"  # RLO first in the list
y = "‏"  # a later line is not reported: one issue per file
