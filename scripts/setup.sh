#!/usr/bin/env bash
# Makes sure the Temporal binaries are available, building from the Go module proxy into the project-local
# tools dir what is not found: the CLI (dev server), and the production server, its SQL schema tool and
# the Web UI server that `shopkit-sync temporal-server` runs. Idempotent and fast once they exist.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_bin="$root/.tools/bin"
cli_version="v1.5.1"     # later tags carry a replace directive that `go install` refuses
server_version="v1.29.1" # the server the CLI embeds
ui_version="v2.42.1"     # the Web UI the CLI embeds

say() { printf 'setup: %s\n' "$*"; }

# find <name> <env var>: the env var's file, else PATH, else the tools dir; prints the path or nothing.
find_tool() {
  local name="$1" var="$2"
  if [ -n "${!var:-}" ]; then
    if [ -x "${!var}" ]; then
      printf '%s' "${!var}"
      return 0
    fi
    say "$var=${!var} is not an executable file" >&2
    exit 1
  fi
  command -v "$name" 2>/dev/null && return 0
  if [ -x "$tools_bin/$name" ]; then printf '%s' "$tools_bin/$name"; fi
}

# build <name> <package@version> <binary go install makes>: go install into a scratch dir, then rename.
build() {
  local name="$1" package="$2" built="$3" scratch
  if ! command -v go >/dev/null 2>&1; then
    say "no $name found and no Go toolchain to build one: install Go >= 1.25, or put $name on PATH" >&2
    exit 1
  fi
  say "no $name found: building $package into $tools_bin (a few minutes the first time)"
  scratch="$(mktemp -d)"
  GOBIN="$scratch" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "$package"
  mkdir -p "$tools_bin"
  mv "$scratch/$built" "$tools_bin/$name"
  rmdir "$scratch"
  say "built $tools_bin/$name"
}

ensure() {
  local name="$1" var="$2" package="$3" built="$4" found
  found="$(find_tool "$name" "$var")"
  if [ -n "$found" ]; then
    say "using $found"
  else
    build "$name" "$package" "$built"
  fi
}

ensure temporal TEMPORAL_CLI "github.com/temporalio/cli/cmd/temporal@$cli_version" temporal
ensure temporal-server TEMPORAL_SERVER "go.temporal.io/server/cmd/server@$server_version" server
ensure temporal-sql-tool TEMPORAL_SQL_TOOL "go.temporal.io/server/cmd/tools/sql@$server_version" sql
ensure temporal-ui-server TEMPORAL_UI_SERVER "github.com/temporalio/ui-server/v2/cmd/server@$ui_version" server
