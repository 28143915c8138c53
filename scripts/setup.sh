#!/usr/bin/env bash
# Installs what kubeplay needs, idempotently, from package registries only
# (crates.io, npm, Debian). Versions are pinned; see ../shared/reference/toolchain.md.
#   scripts/setup.sh          Rust target + trunk + wasm-bindgen-cli + npm tools (wasm-opt)
#   scripts/setup.sh --browser  also Debian chromium + chromium-driver and playwright-core
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[setup] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION from crates.io (takes several minutes once)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io"
  # Not --locked: a pinned dependency in its lock file is not served by crates.io.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm tools: binaryen (wasm-opt 132; Debian's 108 is too old), playwright-core, axe-core.
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.stamp ]; then
  log "installing npm tools (binaryen, playwright-core, axe-core)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.stamp)
fi

if [ "$want_browser" = 1 ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing Debian chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
log "toolchain ready"
