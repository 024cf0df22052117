# B112: an except clause catching everything whose whole body is `continue`.
for i in x:
    try:
        a()
    except:
        continue

    try:
        a()
    except Exception:
        continue

    try:
        a()
    except KeyError:      # specific type: skipped
        continue

    try:
        a()
    except Exception:     # two statements
        log()
        continue

    try:
        a()
    except Exception:
        pass              # B110, not B112

while True:
    try:
        a()
    except Exception as exc:  # nosec B112
        continue
    try:
        a()
    except Exception as exc:  # nosec B110
        continue
