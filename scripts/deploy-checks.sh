#!/usr/bin/env bash
# Static checks of the deployment files; no container engine or cluster needed.
#   helm lint --strict        chart with default values and with each ci/*-values.yaml
#   helm template             same value sets, rendered into $MPCTL_DEPLOY_RENDER_DIR
#   values schema             a wrong-type values file must fail and name the key
#   helm-unittest             suites in deploy/helm/mpctl/tests
#   docker-compose config     full stack and core-only file, against the compose spec
#   hadolint                  Dockerfile
# Tools come from scripts/deploy-tools.sh (cached). Exit: 0 all passed, 1 a check
# failed, 3 the tools cannot be installed on this machine (see deploy-tools.sh).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHART="$ROOT/deploy/helm/mpctl"
OUT="${MPCTL_DEPLOY_RENDER_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/mpctl-deploy.XXXXXX")}"
mkdir -p "$OUT"

bin=$("$ROOT/scripts/deploy-tools.sh") || exit $?
export PATH="$bin:$PATH"

passed=0 failed=0
check() { # check NAME CMD...: runs CMD, keeps its output in $OUT/NAME.log
  local name=$1; shift
  local log="$OUT/${name//[^A-Za-z0-9._-]/_}.log"
  if "$@" > "$log" 2>&1; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$log" | tail -n 40
  fi
}

render() { # render OUTFILE [helm args...]
  local outfile=$1; shift
  helm template mpctl "$CHART" --namespace mpctl "$@" > "$outfile"
}
expect_schema_error() { # a wrong type must fail the render and name the offending key
  local bad="$OUT/wrong-type-values.yaml"
  printf 'worker:\n  replicaCount: "three"\n' > "$bad"
  if helm template mpctl "$CHART" -f "$bad" > "$OUT/wrong-type.out" 2>&1; then
    echo "render with worker.replicaCount: \"three\" succeeded; the schema should reject it"
    return 1
  fi
  cat "$OUT/wrong-type.out"
  grep -q "/worker/replicaCount" "$OUT/wrong-type.out"
}
compose_config() { # compose_config FILE: validate against the compose spec, print the model
  docker-compose --project-directory "$ROOT" -f "$ROOT/$1" config
}

value_sets=("default")
for f in "$CHART"/ci/*-values.yaml; do value_sets+=("$f"); done
for v in "${value_sets[@]}"; do
  label=$(basename "$v" .yaml)
  args=(); [[ "$v" == default ]] || args=(-f "$v")
  check "helm-lint:$label" helm lint --strict "$CHART" "${args[@]}"
  check "helm-template:$label" render "$OUT/$label.rendered.yaml" "${args[@]}"
done
check "values-schema:wrong-type-fails" expect_schema_error
check "helm-unittest" helm-unittest --color=false "$CHART"
check "compose:docker-compose.yml" compose_config docker-compose.yml
check "compose:docker-compose.core.yml" compose_config docker-compose.core.yml
check "hadolint:Dockerfile" hadolint "$ROOT/Dockerfile"

echo "rendered manifests and logs: $OUT"
echo "deploy-checks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
