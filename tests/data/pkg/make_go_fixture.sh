#!/usr/bin/env bash
# Regenerates tests/data/pkg/go/: the bytes of real Go binaries that
# go_buildinfo_test.cc needs, not the binaries. Run by hand; needs Debian's
# golang-go and binutils (readelf), no network. For each link mode
# (internal, pie, external) it builds a hello world in module
# example.com/whittlehello with -trimpath -ldflags='-s -w' and keeps:
#
#   NAME.head       the first 4096 bytes (ELF header + program headers)
#   NAME.buildinfo  the .go.buildinfo section's bytes
#   NAME.txt        "offset=<file offset of .go.buildinfo>", then
#                   `go version -m` of the binary (the cross-check)
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)/go
mkdir -p "$OUT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat >"$W/go.mod" <<'GO'
module example.com/whittlehello

go 1.19
GO
cat >"$W/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello") }
GO
export GOCACHE="$W/cache" GOPATH="$W/gopath" GOPROXY=off GOFLAGS=-mod=mod
for mode in internal pie external; do
  case $mode in
    internal) flags=(-ldflags='-s -w') ;;
    pie) flags=(-buildmode=pie -ldflags='-s -w') ;;
    external) flags=(-ldflags='-s -w -linkmode=external') ;;
  esac
  (cd "$W" && go build -trimpath "${flags[@]}" -o "hello-$mode" . 2>/dev/null)
  bin="$W/hello-$mode"
  read -r off size < <(readelf -SW "$bin" | awk '{for (i = 1; i <= NF; i++) if ($i == ".go.buildinfo") print $(i + 3), $(i + 4)}')
  head -c 4096 "$bin" >"$OUT/hello-$mode.head"
  dd if="$bin" of="$OUT/hello-$mode.buildinfo" bs=1 skip=$((16#$off)) count=$((16#$size)) status=none
  { echo "offset=$((16#$off))"; go version -m "$bin" | sed "s|^$bin|hello-$mode|"; } >"$OUT/hello-$mode.txt"
done
