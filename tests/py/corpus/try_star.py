try:
    pass
except* ValueError:
    pass
try:
    pass
except* (TypeError, KeyError) as eg:
    pass
except *OSError as e:
    pass
else:
    pass
finally:
    pass
try:
    raise ExceptionGroup("g", [ValueError(1)])
except* ValueError:
    pass
except* Exception:
    raise
