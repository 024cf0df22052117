#!/bin/sh
# Parser throughput: `dpoison ast --parse-only` over the whole Python 3.11 standard library (one
# process, one thread) against CPython reading and ast.parse'ing the same files, in the same run.
# CPython is timed inside the interpreter (parse only) and from outside (with interpreter
# startup). Each side gets the best of several runs; dpoison's run is some 20 times shorter, so
# it gets more of them (DP_RUNS, default 10, against PY_RUNS, default 3) to be as robust to a
# busy machine: about the same wall time is spent measuring each side.
# Target (issue): dpoison >= 20x faster. Usage: sh bench/parse.sh [LIBDIR]
DPOISON=${DPOISON:-build/dpoison}
LIB=${1:-/usr/lib/python3.11}
PY=/usr/bin/python3
[ -x "$DPOISON" ] || { echo "bench/parse.sh: $DPOISON not found (run make)" >&2; exit 1; }
[ -d "$LIB" ] || { echo "bench/parse.sh: $LIB not found" >&2; exit 1; }

DP_RUNS=${DP_RUNS:-10}
PY_RUNS=${PY_RUNS:-3}

exec "$PY" -c '
import os, subprocess, sys, time
dpoison, lib, py = sys.argv[1:4]
dp_runs, py_runs = int(sys.argv[4]), int(sys.argv[5])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(lib) for f in fs if f.endswith(".py"))
nbytes = sum(os.path.getsize(f) for f in files)
mb = nbytes / 1e6
for f in files:                      # warm the page cache for both sides
    open(f, "rb").read()

def best(cmd, runs, parse_stdout=False):
    times, inner = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit(f"{cmd[0]} failed (exit {r.returncode}): {r.stderr[-500:]}")
        if parse_stdout:
            inner.append(float(r.stdout.split()[0]))
    return min(times), (min(inner) if inner else None), r

d_wall, _, r = best([dpoison, "ast", "--parse-only"] + files, dp_runs)
summary = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "(no summary)"

prog = """
import ast, sys, time
t0 = time.perf_counter()
for p in sys.argv[1:]:
    with open(p, "rb") as f:
        ast.parse(f.read())
print(time.perf_counter() - t0)
"""
c_wall, c_inner, _ = best([py, "-c", prog] + files, py_runs, parse_stdout=True)

def line(name, t):
    print(f"{name:<38} {t:8.3f} s {len(files) / t:9.0f} files/s {mb / t:8.2f} MB/s")
print(f"files: {len(files)} ({mb:.2f} MB) under {lib}; best of {dp_runs} (dpoison) and {py_runs} (CPython) runs")
print(f"dpoison: {summary}")
line("dpoison ast --parse-only", d_wall)
line("CPython ast.parse (in-process)", c_inner)
line("CPython ast.parse (incl. startup)", c_wall)
print(f"dpoison is {c_inner / d_wall:.1f}x faster than CPython'"'"'s ast.parse "
      f"({c_wall / d_wall:.1f}x including interpreter startup); target >= 20x")
' "$DPOISON" "$LIB" "$PY" "$DP_RUNS" "$PY_RUNS"
