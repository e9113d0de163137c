#!/usr/bin/env bash
# verify --batch throughput, scaling and memory (#9), whole process:
#  - the raw RSA-2048 PKCS#1 v1.5 verify rate (BenchmarkRawRSA2048Verify,
#    one core: the floor for RS256);
#  - verify --batch over 30,000 distinct RS256 tokens with GOMAXPROCS=1 and
#    =2 (distinct: a repeated line is verified once, from the cache);
#  - peak RSS for 10,000 vs 30,000 tokens (the cache fills up to 32,768
#    entries, then stays).
# The three are measured in turn, ROUNDS times (default 3), and the
# medians are compared, so that a change in machine load moves them alike.
# The in-process figure from one benchmark run is
#   go test ./pkg/cmd/verify -run XXX -bench BatchVsRaw -cpu 1,2
#
#   bash testdata/perf/batch.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
source testdata/perf/timed.sh
rounds="${1:-3}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/authdoctor" ./cmd/authdoctor
go test -c -o "$tmp/verify.test" ./pkg/verify
go run ./testdata/perf/gentokens -n 30000 -out "$tmp"
head -n 10000 "$tmp/tokens.txt" > "$tmp/tokens10k.txt"

batch() { # GOMAXPROCS FILE -> "seconds peakRSSKiB lines valid"
  read -r wall _ kib < <(timed "$tmp/out.jsonl" env GOMAXPROCS="$1" "$tmp/authdoctor" verify --batch "@$2" --jwks "@$tmp/jwks.json" \
    --expect-issuer https://idp.example.com --audience app --offline --now 2026-11-20T09:20:00Z)
  echo "$wall $kib $(wc -l < "$tmp/out.jsonl") $(grep -c '"verdict":"valid"' "$tmp/out.jsonl" || true)"
}
: > "$tmp/rounds"
for r in $(seq "$rounds"); do
  raw=$(GOMAXPROCS=1 "$tmp/verify.test" -test.run XXX -test.bench 'RawRSA2048Verify$' -test.benchtime 2s | awk '/RawRSA2048Verify/ {print $3}')
  read -r s1 m1 l1 v1 < <(batch 1 "$tmp/tokens.txt")
  read -r s2 m2 l2 v2 < <(batch 2 "$tmp/tokens.txt")
  read -r s3 m3 l3 v3 < <(batch 2 "$tmp/tokens10k.txt")
  echo "$raw $s1 $s2 $m1 $m2 $m3 $l1 $v1 $l2 $v2 $l3" | tee -a "$tmp/rounds"
done
python3 - "$tmp/rounds" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
for r in rows:
    assert r[6] == r[7] == r[8] == r[9] == 30000 and r[10] == 10000, f"not every token was verified valid: {r}"
# One ratio per round (raw and batch measured back to back), then medians.
pct = [3e4 / r[1] / (1e9 / r[0]) * 100 for r in rows]
up = [r[1] / r[2] for r in rows]
med = lambda xs: statistics.median(xs)
print("round  raw ns   1-core s  2-core s  batch/raw  2 vs 1")
for i, r in enumerate(rows):
    print(f"{i+1:5d}  {r[0]:7.0f}  {r[1]:8.2f}  {r[2]:8.2f}  {pct[i]:8.0f}%  {up[i]:5.2f}x")
print(f"GOMAXPROCS=1: batch rate = {med(pct):.0f}% of the raw RSA rate (median of {len(rows)} rounds; budget >= 85%)")
print(f"GOMAXPROCS=2: {med(up):.2f}x faster than GOMAXPROCS=1 (median; budget >= 1.8x)")
print(f"peak RSS: 10k tokens {med([r[5] for r in rows])/1024:.1f} MiB, 30k tokens {med([r[4] for r in rows])/1024:.1f} MiB (GOMAXPROCS=2)")
PY
