#!/bin/sh
# Scanner throughput: `dpoison scan -r` against Debian's `bandit -r` (1.6.2) on the same tree in
# the same run, JSON output, Bandit's profile on both sides (dpoison: --profile bandit; the
# default profile adds the DP TLS pass, timed too). dpoison best of 5 per thread count, bandit
# once (it takes ~20 s). Prints the ratio (target: >= 200x) and files/s on 1 and 2 threads; wall
# and CPU time both, since on a shared machine the wall time also measures the neighbours.
# Usage: sh bench/scan.sh [LIBDIR]   (BANDIT=0 skips bandit and uses REF_SECONDS instead)
DPOISON=${DPOISON:-build/dpoison}
LIB=${1:-/usr/lib/python3.11}
[ -x "$DPOISON" ] || { echo "bench/scan.sh: $DPOISON not found (run make)" >&2; exit 1; }
[ -d "$LIB" ] || { echo "bench/scan.sh: $LIB not found" >&2; exit 1; }
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac

exec python3 - "$DPOISON" "$LIB" "${BANDIT:-1}" "${REF_SECONDS:-17}" <<'PY'
import os, resource, shutil, subprocess, sys, time
dpoison, lib, run_bandit, ref = sys.argv[1], sys.argv[2], sys.argv[3] == "1", float(sys.argv[4])
files = [os.path.join(d, f) for d, _, fs in os.walk(lib) for f in fs if f.endswith((".py", ".pyw"))]
mb = sum(os.path.getsize(f) for f in files) / 1e6
for f in files:                                   # warm the page cache for both sides
    open(f, "rb").read()

def timed(cmd, n):
    """Best wall time of n runs, and that run's CPU time (user + sys of the child): on a busy
    machine the wall time includes waiting for a core, the CPU time does not."""
    best = None
    for _ in range(n):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        if r.returncode not in (0, 1):
            sys.exit(f"{cmd[0]} failed (exit {r.returncode}): {r.stderr[-500:]}")
        if best is None or dt < best[0]:
            best = (dt, cpu)
    return best

ncpu = os.cpu_count() or 1
with open("/proc/loadavg") as f:
    load = f.read().split()[0]
dp = {}
for j in sorted({1, 2, ncpu}):
    dp[j] = timed([dpoison, "scan", "-r", lib, "-f", "json", "--profile", "bandit", "-j", str(j)], 5)
dp_all = timed([dpoison, "scan", "-r", lib, "-f", "json"], 5)
dp_all1 = timed([dpoison, "scan", "-r", lib, "-f", "json", "-j", "1"], 5)
print(f"tree: {lib}: {len(files)} files, {mb:.1f} MB; {ncpu} CPUs, load average {load}")
for j, (t, c) in dp.items():
    print(f"dpoison scan --profile bandit -j {j}: {t*1000:7.1f} ms wall {c*1000:7.1f} ms CPU"
          f"  {len(files)/t:8.0f} files/s  {mb/t:6.1f} MB/s")
print(f"dpoison scan (default profile, DP TLS pass too), {ncpu} threads: {dp_all[0]*1000:.1f} ms wall")
print(f"dpoison scan (default profile) -j 1: {dp_all1[0]*1000:7.1f} ms wall {dp_all1[1]*1000:7.1f} ms CPU"
      f"  ({dp_all1[1]/dp[1][1]:.2f}x the bandit profile's CPU time)")
best = min(dp.values())
if run_bandit and shutil.which("bandit"):
    tb, cb = timed(["bandit", "-r", lib, "-f", "json", "-q"], 1)
    print(f"bandit (Debian 1.6.2) -r: {tb:.2f} s wall {cb:.2f} s CPU  {len(files)/tb:.0f} files/s")
    print(f"ratio bandit / dpoison, wall, best thread count: {tb/best[0]:.0f}x (target >= 200x)")
    print(f"ratio bandit / dpoison, wall, 1 thread: {tb/dp[1][0]:.0f}x")
    print(f"ratio bandit / dpoison, CPU time (load-independent): {cb/dp[1][1]:.0f}x; "
          f"on {min(ncpu, 2)} idle cores that is ~{cb/(dp[1][1]/min(ncpu, 2)):.0f}x wall")
else:
    print(f"bandit not run; against the issue's reference of {ref:.0f} s: {ref/best[0]:.0f}x (target >= 200x)")
