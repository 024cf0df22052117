# B110: an except clause catching everything whose whole body is `pass`.
try:
    a()
except:
    pass

try:
    a()
except Exception:
    pass

try:
    a()
except Exception as e:
    pass

try:
    a()
except ValueError:        # a specific type: skipped (check_typed_exception is False)
    pass

try:
    a()
except (Exception,):      # a tuple: skipped
    pass

try:
    a()
except builtins.Exception:   # an attribute: skipped
    pass

try:
    a()
except Exception:         # two statements
    log()
    pass

try:
    a()
except:
    ...                   # not a pass

try:
    a()
except* Exception:        # try/except* handlers too
    pass

for i in x:
    try:
        a()
    except:
        continue          # B112, not B110

try:
    a()
except:  # nosec
    pass
