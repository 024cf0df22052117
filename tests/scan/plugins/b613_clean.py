# B613 with no bidirectional characters.
s = "plain été"
