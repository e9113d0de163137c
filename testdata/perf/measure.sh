#!/usr/bin/env bash
# Whole-process timings, side by side in one run, medians of many runs:
# a Go hello-world (the floor for any Go CLI), `authdoctor token` on one token
# from stdin, `authdoctor verify` with a local JWKS, and `jose jws ver` (Debian
# package jose) on the same token and key when installed.
#
#   bash testdata/perf/measure.sh [RUNS]      (default 200; needs hyperfine)
#
# The binaries are built the way releases are (-trimpath, CGO off, -s -w).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-200}"
command -v hyperfine >/dev/null || { echo "measure.sh: install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/authdoctor" ./cmd/authdoctor
mkdir -p "$tmp/hello" && cat > "$tmp/hello/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
GO
(cd "$tmp/hello" && cat > go.mod <<'MOD'
module hello

go 1.26
MOD
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/hello-bin" .)

tok=testdata/examples/azure-id-token.jwt
jwks=testdata/examples/azure-tenant-jwks.json
now=2026-11-20T09:20:00Z
# jose wants a bare JWK for -k.
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["keys"][0]))' "$jwks" > "$tmp/key.jwk"

cmds=(-n hello-world "$tmp/hello-bin"
      -n "authdoctor token (stdin)" "$tmp/authdoctor token --now $now < $tok"
      -n "authdoctor verify (local JWKS)" "$tmp/authdoctor verify @$tok --jwks @$jwks --offline --now $now")
if command -v jose >/dev/null; then
  cmds+=(-n "jose jws ver" "jose jws ver -i $tok -k $tmp/key.jwk")
fi
hyperfine -N --warmup 10 --runs "$runs" --ignore-failure --export-json "$tmp/h.json" "${cmds[@]}" >/dev/null 2>&1 \
  || hyperfine --warmup 10 --runs "$runs" --ignore-failure --export-json "$tmp/h.json" "${cmds[@]}" >/dev/null
python3 - "$tmp/h.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
hello = r["hello-world"]
print(f"{'command':34} {'median':>9}  ratio")
for name, ms in r.items():
    print(f"{name:34} {ms:8.2f}ms  {ms / hello:4.2f}x hello-world")
if "jose jws ver" in r:
    v = r["authdoctor verify (local JWKS)"] / r["jose jws ver"]
    print(f"verify / jose jws ver = {v:.2f}x (budget <= 1.0x)")
print(f"token / hello-world = {r['authdoctor token (stdin)'] / hello:.2f}x (budget <= 1.5x)")
PY
