#!/usr/bin/env bash
# verify --scan (#21), whole process, the figures of the issue side by side
# in one run. Each round measures, back to back:
#   raw       the raw RSA-2048 PKCS#1 v1.5 verify (BenchmarkRawRSA2048Verify,
#             one core): the cost of verifying one occurrence;
#   repeat    verify --scan over 1,000,000 log lines holding 10,000 tokens
#             each 100 times (shuffled), GOMAXPROCS=1 and =2: how many times
#             faster than verifying every occurrence with RSA (budget ≥ 20×);
#   distinct  verify --scan over 60,000 lines each with a different token,
#             GOMAXPROCS=1 and =2: the rate per core against the raw rate
#             (budget ≥ 0.9), and on 2 cores both against the 1-core run
#             and against the raw 1-core rate (budget ≥ 1.85×, read either
#             way);
#   batch     verify --batch over the same 60,000 tokens, one per line,
#             GOMAXPROCS=1: the per-core rate of the existing fast path, as
#             a reference for the distinct figure;
#   raw2      the raw verify on two goroutines, GOMAXPROCS=2: how far RSA
#             itself scales on this machine (the ceiling for 2 cores);
#   notoken   token --scan over 500 MB of access-log lines without a token,
#             GOMAXPROCS=1: the scanner's MB/s (budget ≥ 200);
#   RSS       peak RSS of the repeat log at 1/4, 1 and 3 times its length
#             (stdin), and of token --scan over 50,000 and 400,000 distinct
#             tokens (more than the cache holds): flat.
# Medians over the rounds are printed with the machine's load average.
# Rates are given twice: from wall time, and from CPU time (user + sys,
# getrusage), which a machine shared with other work disturbs less; the
# 2-core speed-up can only be a wall-time figure. Times are read to the
# microsecond (GNU time's are to 10 ms: 3% of a 0.3 s run, as much as the
# margins measured), and the distinct log is long enough (about 0.6 s on 2
# cores) that the process's start (about 14 ms) weighs little.
#
#   bash testdata/perf/scan.sh [ROUNDS]     (default 3; needs ~3 GB in $TMPDIR)
# PERF_DATA=DIR keeps the generated logs in DIR and reuses them.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
if [ -n "${PERF_DATA:-}" ]; then tmp="$PERF_DATA"; mkdir -p "$tmp"; else tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT; fi
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/authdoctor" ./cmd/authdoctor
go build -o "$tmp/rawrsa" ./testdata/perf/rawrsa
distinct=60000 # under the summary's exact count of distinct tokens (65,536)
if [ ! -s "$tmp/unsigned.log" ] || [ "$(wc -l < "$tmp/tokens.txt")" != "$distinct" ]; then
  go run ./testdata/perf/gentokens -n "$distinct" -logs -unsigned 400000 -out "$tmp"
  head -n 50000 "$tmp/unsigned.log" > "$tmp/unsigned50k.log"
  head -n 250000 "$tmp/repeat.log" > "$tmp/repeat250k.log"
fi
keys=(--jwks "@$tmp/jwks.json" --expect-issuer https://idp.example.com --audience app --offline --now 2026-11-20T09:20:00Z)

source testdata/perf/timed.sh
# thousands N -> N with thousands separators, as the summary writes it.
thousands() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }
dn="$(thousands "$distinct")"

# run NAME GOMAXPROCS WANT CMD... -> "wall-s cpu-s peakKiB" after checking
# the summary's first line starts with WANT (every token found and valid).
run() {
  local name="$1" procs="$2" want="$3"; shift 3
  timed "$tmp/$name.out" env GOMAXPROCS="$procs" "$@" > "$tmp/t"
  if ! head -n 1 "$tmp/$name.out" | grep -q "^$want"; then
    echo "$name: unexpected summary: $(head -n 1 "$tmp/$name.out")" >&2; exit 1
  fi
  cat "$tmp/t"
}
: > "$tmp/rounds"
for r in $(seq "$rounds"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  read -r raw rawcpu < <(GOMAXPROCS=1 "$tmp/rawrsa" -n 20000)
  read -r rp1 rp1c _ < <(run repeat1 1 "1,000,000 tokens (10,000 distinct)" "$tmp/authdoctor" verify --scan "$tmp/repeat.log" "${keys[@]}")
  read -r rp2 _ rss1m < <(run repeat2 2 "1,000,000 tokens (10,000 distinct)" "$tmp/authdoctor" verify --scan "$tmp/repeat.log" "${keys[@]}")
  read -r d1 d1c _ < <(run distinct1 1 "$dn tokens ($dn distinct).*: $dn valid" "$tmp/authdoctor" verify --scan "$tmp/distinct.log" "${keys[@]}")
  read -r d2 _ _ < <(run distinct2 2 "$dn tokens ($dn distinct).*: $dn valid" "$tmp/authdoctor" verify --scan "$tmp/distinct.log" "${keys[@]}")
  read -r nt ntc _ < <(run notoken 1 "0 tokens" "$tmp/authdoctor" token --scan "$tmp/notoken.log")
  read -r b1 b1c _ < <(timed "$tmp/batch.out" env GOMAXPROCS=1 "$tmp/authdoctor" verify --batch "@$tmp/tokens.txt" "${keys[@]}")
  [ "$(grep -c '"verdict":"valid"' "$tmp/batch.out")" = "$distinct" ] || { echo "batch: not every token valid" >&2; exit 1; }
  read -r raw2 _ < <(GOMAXPROCS=2 "$tmp/rawrsa" -n 20000 -workers 2)
  read -r _ _ rss250k < <(run r250k 2 "250,000 tokens" "$tmp/authdoctor" verify --scan "$tmp/repeat250k.log" "${keys[@]}")
  read -r _ _ rss3m < <(run r3m 2 "3,000,000 tokens (10,000 distinct)" sh -c "cat '$tmp/repeat.log' '$tmp/repeat.log' '$tmp/repeat.log' | '$tmp/authdoctor' verify --scan - ${keys[*]}")
  read -r _ _ rssu50k < <(run u50k 2 "50,000 tokens (50,000 distinct)" "$tmp/authdoctor" token --scan "$tmp/unsigned50k.log" --now 2026-11-20T09:20:00Z)
  read -r _ _ rssu400k < <(run u400k 2 "400,000 tokens (≈" "$tmp/authdoctor" token --scan "$tmp/unsigned.log" --now 2026-11-20T09:20:00Z)
  echo "$load $raw $rawcpu $rp1 $rp1c $rp2 $d1 $d1c $d2 $nt $ntc $rss250k $rss1m $rss3m $rssu50k $rssu400k $b1 $b1c $raw2" | tee -a "$tmp/rounds"
done
notoken_mb=$(( $(stat -c %s "$tmp/notoken.log") / 1000000 ))
python3 - "$tmp/rounds" "$notoken_mb" "$distinct" <<'PY'
import os, statistics, sys
rows = [[float(x) for x in l.split()] for l in open(sys.argv[1])]
mb, dn = float(sys.argv[2]), float(sys.argv[3])
med = statistics.median
print("round load  raw µs wall/cpu  raw 2c/1c   repeat ×RSA 1c wall/cpu, 2c wall   distinct %raw/core wall/cpu, 2c/1c   batch %raw/core wall/cpu   notoken MB/s wall/cpu")
R = []
for i, r in enumerate(rows):
    load, raw, rawc, rp1, rp1c, rp2, d1, d1c, d2, nt, ntc = r[:11]
    b1, b1c, raw2 = r[16:19]
    x1, x1c = 1e6 * raw / 1e9 / rp1, 1e6 * rawc / 1e9 / rp1c   # RSA-verifying 1M occurrences on one core
    x2 = 1e6 * raw / 1e9 / 2 / rp2                              # ... on two
    pct, pctc = dn / d1 / (1e9 / raw) * 100, dn / d1c / (1e9 / rawc) * 100
    bp, bpc = dn / b1 / (1e9 / raw) * 100, dn / b1c / (1e9 / rawc) * 100
    up, rup = d1 / d2, raw / raw2
    two = dn / d2 / (1e9 / raw)                                # 2-core rate ÷ raw 1-core rate
    R.append((x1, x1c, x2, pct, pctc, up, mb / nt, mb / ntc, bp, bpc, rup, two))
    print(f"{i+1:5d} {load:5.1f}  {raw/1000:6.1f} {rawc/1000:6.1f}  {rup:6.2f}    {x1:6.1f} {x1c:6.1f} {x2:6.1f}   {pct:6.0f}% {pctc:6.0f}% {up:5.2f}   {bp:6.0f}% {bpc:6.0f}%   {mb/nt:6.0f} {mb/ntc:6.0f}")
c = lambda j: med([x[j] for x in R])
print(f"repeat log (1M lines, 10k tokens ×100): {c(0):.1f}× (wall) / {c(1):.1f}× (CPU) faster than RSA-verifying every occurrence on 1 core; {c(2):.1f}× on 2 cores (budget ≥ 20×)")
print(f"distinct tokens: {c(3):.0f}% (wall) / {c(4):.0f}% (CPU) of the raw RSA rate per core (budget ≥ 90%); 2 cores {c(5):.2f}× 1 core (raw RSA itself {c(10):.2f}×) and {c(11):.2f}× the raw 1-core rate (budget ≥ 1.85×)")
print(f"verify --batch on the same tokens: {c(8):.0f}% (wall) / {c(9):.0f}% (CPU) of the raw rate per core")
print(f"no-token lines: {c(6):.0f} MB/s (wall) / {c(7):.0f} MB/s (CPU) on 1 core (budget ≥ 200)")
kib = lambda j: med([r[j] for r in rows]) / 1024
print(f"peak RSS, verify --scan of the repeat log: 250k lines {kib(11):.1f} MiB, 1M {kib(12):.1f} MiB, 3M {kib(13):.1f} MiB")
print(f"peak RSS, token --scan of distinct tokens (cache 32,768 entries): 50k {kib(14):.1f} MiB, 400k {kib(15):.1f} MiB")
loads = ", ".join("%.1f" % r[0] for r in rows)
print(f"load average (1 min) at the start of each round: {loads}, on {os.cpu_count()} cores")
PY
