x = "böm"
print(x)
