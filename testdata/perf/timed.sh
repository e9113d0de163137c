# Sourced by the perf harnesses (scan.sh, batch.sh).
#
# timed OUT CMD... runs CMD with its stdout in OUT (stderr dropped) and
# prints "wall-s cpu-s peakKiB": wall time from a monotonic clock, CPU
# time (user + sys) and peak RSS from getrusage of the children, all to
# the microsecond. GNU time reads times to 10 ms, which is 3% of a 0.3 s
# run: as much as the margins the harnesses judge.
timed() {
  python3 -c '
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    t = time.perf_counter()
    subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.4f} {r.ru_utime + r.ru_stime:.4f} {r.ru_maxrss}")' "$@"
}
