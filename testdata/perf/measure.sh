#!/usr/bin/env bash
# Whole-process start-up timings of #9, side by side in one run:
#   hello-world             a Go hello-world (the floor for any Go CLI)
#   authdoctor token        on one token from stdin
#   authdoctor verify       on the same token with a local JWKS file
#   jose jws ver            (Debian package jose) same token, same JWKS
#   floor                   authdoctor with everything linked and
#                           initialised, exiting at the first line of main
#   token-only binary       a what-if: the token command in a binary of
#                           its own (not shipped)
#
#   bash testdata/perf/measure.sh [RUNS]      (default 200)
#
# Commands run interleaved, one run of each in turn, so that a change in
# machine load moves every figure alike; the medians, their ratios and the
# median minor page faults come from testdata/perf/startup. Binaries are
# built the way releases are (-trimpath, CGO off, -s -w). Every timed run
# must exit 0: a timing of an error path is not a timing of the command.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-200}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

build() { CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/$1" "$2"; }
build authdoctor ./cmd/authdoctor
build floor ./testdata/perf/floor
build tokenonly ./testdata/perf/tokenonly
go build -o "$tmp/startup" ./testdata/perf/startup
mkdir -p "$tmp/hello" && cat > "$tmp/hello/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
GO
printf 'module hello\n\ngo 1.26\n' > "$tmp/hello/go.mod"
(cd "$tmp/hello" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/hello-bin" .)

# jose refuses a token followed by a newline, so every tool gets the bare
# compact JWS.
tr -d '\n' < testdata/examples/azure-id-token.jwt > "$tmp/token.jwt"
tok="$tmp/token.jwt"
jwks=testdata/examples/azure-tenant-jwks.json
now=2026-11-20T09:20:00Z

cmds=("hello-world=$tmp/hello-bin"
      "authdoctor token (stdin)=$tmp/authdoctor token --now $now < $tok"
      "authdoctor verify (local JWKS)=$tmp/authdoctor verify @$tok --jwks @$jwks --offline --now $now")
if command -v jose >/dev/null; then
  cmds+=("jose jws ver=jose jws ver -i $tok -k $jwks")
else
  echo "measure.sh: jose is not installed (apt-get install jose): no verify/jose ratio" >&2
fi
cmds+=("floor (exits at main)=$tmp/floor"
       "token-only binary (what-if)=$tmp/tokenonly token --now $now < $tok")
"$tmp/startup" -runs "$runs" -warmup 10 "${cmds[@]}" | tee "$tmp/out.txt"
python3 - "$tmp/out.txt" <<'PY'
import re, sys
ms = {}
for line in open(sys.argv[1]):
    m = re.match(r"(.+?)\s+([\d.]+)ms\s", line)
    if m:
        ms[m.group(1).strip()] = float(m.group(2))
hello = ms["hello-world"]
print(f"token / hello-world  = {ms['authdoctor token (stdin)'] / hello:.2f}x (budget <= 1.5x)")
if "jose jws ver" in ms:
    print(f"verify / jose        = {ms['authdoctor verify (local JWKS)'] / ms['jose jws ver']:.2f}x (budget <= 1.0x)")
print(f"floor / hello-world  = {ms['floor (exits at main)'] / hello:.2f}x (authdoctor's command code excluded)")
PY
