#!/usr/bin/env bash
# Makes sure a Temporal CLI (with its dev server) is available; builds it from the Go module proxy
# into the project-local tools dir when none is found. Idempotent and fast once the binary exists.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_bin="$root/.tools/bin"
version="v1.5.1" # later tags carry a replace directive that `go install` refuses

say() { printf 'setup: %s\n' "$*"; }

if [ -n "${TEMPORAL_CLI:-}" ]; then
  if [ -x "$TEMPORAL_CLI" ]; then
    say "using TEMPORAL_CLI=$TEMPORAL_CLI"
    exit 0
  fi
  say "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file" >&2
  exit 1
fi

if found="$(command -v temporal 2>/dev/null)"; then
  say "using temporal from PATH: $found"
  exit 0
fi

if [ -x "$tools_bin/temporal" ]; then
  say "using $tools_bin/temporal"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "no temporal CLI found and no Go toolchain to build one: install Go >= 1.25, or put temporal on PATH, or set TEMPORAL_CLI" >&2
  exit 1
fi

say "no temporal CLI found: building github.com/temporalio/cli/cmd/temporal@$version into $tools_bin (a few minutes the first time)"
mkdir -p "$tools_bin"
GOBIN="$tools_bin" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "github.com/temporalio/cli/cmd/temporal@$version"
say "built $("$tools_bin/temporal" --version)"
