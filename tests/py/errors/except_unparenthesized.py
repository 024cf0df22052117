try:
    pass
except E1, E2:
    pass
