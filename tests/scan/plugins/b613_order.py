# B613: per line the characters are tried in Bandit's order, not left to right.
s = "⁩ then ‪"  # reported: U+202A comes first in the list, at its own column
