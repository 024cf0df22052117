x = f"{x # c}"
