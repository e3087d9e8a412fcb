#!/usr/bin/env bash
# Builds the production Temporal server and its SQL schema tool from the Go module proxy
# (go.temporal.io/server, no release-page downloads, no container engine) into the same
# per-user cache as scripts/deploy-tools.sh, so the cluster tests run the multi-service
# server on PostgreSQL that the chart and the compose file deploy:
#   temporal-server     go.temporal.io/server/cmd/server (all services, or --service per process)
#   temporal-sql-tool   go.temporal.io/server/cmd/tools/sql (create / setup-schema / update-schema)
#   schema/             the module's schema/postgresql/v12 files, copied beside the binaries
# The version is the one docker-compose.core.yml runs (TEMPORAL_VERSION there).
# Idempotent: an installed pinned version is left alone. A first build takes several
# minutes on a small machine; the Go build cache makes a rebuild quick.
#
#   scripts/temporal-server.sh          install or confirm; prints the install folder
#   scripts/temporal-server.sh --check  exit 0 if installed, 3 if not (never builds)
# Exit: 0 ready; 3 the environment cannot build (no go, proxy unreachable) or --check found
#       nothing; 1 anything else (a broken pin or build: a real defect).
set -euo pipefail

TEMPORAL_SERVER_VERSION=v1.31.2

TOOLS_DIR="${MPCTL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mpctl/tools}"
DEST="$TOOLS_DIR/temporal-server-$TEMPORAL_SERVER_VERSION"
STAMP="$DEST/.installed"
LOG="$TOOLS_DIR/install.log"

say() { echo "temporal-server: $*" >&2; }
ready() { [[ -f "$STAMP" && -x "$DEST/bin/temporal-server" && -x "$DEST/bin/temporal-sql-tool" ]]; }

if [[ "${1:-}" == "--check" ]]; then
  ready && { echo "$DEST"; exit 0; }
  say "$TEMPORAL_SERVER_VERSION not built (run scripts/temporal-server.sh)"; exit 3
fi
if ready; then echo "$DEST"; exit 0; fi

command -v go >/dev/null 2>&1 || { say "go not found: cannot build go.temporal.io/server"; exit 3; }
mkdir -p "$TOOLS_DIR"
# One build at a time: tests may call this script concurrently.
exec 9>"$TOOLS_DIR/.temporal-server.lock"
flock 9
if ready; then echo "$DEST"; exit 0; fi

out="$TOOLS_DIR/temporal-server-$TEMPORAL_SERVER_VERSION.log"
classify_failure() {
  if grep -Eqi 'dial tcp|no such host|connection refused|i/o timeout|Temporary failure in name resolution|Network is unreachable|TLS handshake timeout' "$out"; then
    say "registry unreachable (see $out)"; tail -n 5 "$out" >&2; exit 3
  fi
  say "build failed (see $out)"; tail -n 20 "$out" >&2; exit 1
}

say "building go.temporal.io/server $TEMPORAL_SERVER_VERSION (several minutes the first time; log: $out)"
t0=$(date +%s)
stage="$DEST.partial"
rm -rf "$stage"
mkdir -p "$stage/bin"
{
  # `go install pkg@version` builds in module mode with the server's own go.mod and go.sum
  # (checked against the checksum database), exactly as its release is built.
  GOBIN="$stage/bin" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
    "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
} > "$out" 2>&1 || classify_failure
mv "$stage/bin/server" "$stage/bin/temporal-server"
mv "$stage/bin/sql" "$stage/bin/temporal-sql-tool"
src=$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION
[[ -d "$src/schema/postgresql/v12" ]] || { say "no schema/postgresql/v12 in $src"; exit 1; }
mkdir -p "$stage/schema/postgresql"
cp -r "$src/schema/postgresql/v12" "$stage/schema/postgresql/"
chmod -R u+w "$stage/schema"
"$stage/bin/temporal-sql-tool" --version >/dev/null 2>&1 \
  || { say "temporal-sql-tool built but does not run"; exit 1; }
"$stage/bin/temporal-server" --help >/dev/null 2>&1 \
  || { say "temporal-server built but does not run"; exit 1; }
rm -rf "$DEST"
mv "$stage" "$DEST"
touch "$STAMP"
secs=$(( $(date +%s) - t0 ))
echo "$(date -u +%FT%TZ) temporal-server $TEMPORAL_SERVER_VERSION ${secs}s" >> "$LOG"
say "built in ${secs}s"
echo "$DEST"
