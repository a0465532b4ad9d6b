#!/usr/bin/env bash
# Installs the pinned tools the package checks need (installer module, ScriptsLintTest) into a cache
# outside the clone: ${VIOFS_TOOLS:-$HOME/.cache/viofs-tools}. Safe to run again: what is there at the
# pinned version stays. Fails (never skips) when a tool cannot be had.
#   actionlint  github.com/rhysd/actionlint v1.7.12, built with `go install` (needs Go 1.25 or newer)
#   npm         web-tree-sitter 0.25.10 + tree-sitter-powershell 0.26.4 (its WebAssembly grammar, so
#               nothing is compiled) + yaml 2.8.1, with `npm install --ignore-scripts` (needs Node.js and npm)
set -euo pipefail

ACTIONLINT_VERSION=v1.7.12
NPM_PACKAGES=(web-tree-sitter@0.25.10 tree-sitter-powershell@0.26.4 yaml@2.8.1)
TOOLS=${VIOFS_TOOLS:-$HOME/.cache/viofs-tools}
mkdir -p "$TOOLS/bin" "$TOOLS/node"

fail() {
    echo "tools.sh: $*" >&2
    exit 1
}

stamp="$TOOLS/bin/actionlint.version"
if [ ! -x "$TOOLS/bin/actionlint" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$ACTIONLINT_VERSION" ]; then
    command -v go >/dev/null 2>&1 || fail "Go is missing: actionlint $ACTIONLINT_VERSION is built with 'go install' (Go 1.25 or newer; e.g. the Go toolchain from go.dev, or actions/setup-go in CI)"
    echo "tools.sh: installing actionlint $ACTIONLINT_VERSION into $TOOLS/bin (go install)" >&2
    GOBIN="$TOOLS/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" \
        || fail "go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION failed (Go $(go env GOVERSION); it needs 1.25 or newer)"
    echo "$ACTIONLINT_VERSION" > "$stamp"
fi

stamp="$TOOLS/node/packages.version"
if [ "$(cat "$stamp" 2>/dev/null)" != "${NPM_PACKAGES[*]}" ]; then
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
        || fail "Node.js and npm are missing: the PowerShell parse check uses tree-sitter-powershell from npm (Debian: apt-get install nodejs npm)"
    echo "tools.sh: installing ${NPM_PACKAGES[*]} into $TOOLS/node (npm, no install scripts)" >&2
    (cd "$TOOLS/node" && npm install --no-audit --no-fund --ignore-scripts --prefix "$TOOLS/node" "${NPM_PACKAGES[@]}" >&2) \
        || fail "npm install ${NPM_PACKAGES[*]} failed"
    echo "${NPM_PACKAGES[*]}" > "$stamp"
fi
"$TOOLS/bin/actionlint" -version | head -1 >&2
node -e "const r = require('module').createRequire('$TOOLS/node/'); r('web-tree-sitter'); r('yaml'); r.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')" \
    || fail "the npm packages in $TOOLS/node do not load; delete $TOOLS/node and run again"
echo "tools.sh: tools ready in $TOOLS" >&2
