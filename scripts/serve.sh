#!/usr/bin/env bash
# Serves the playground on http://127.0.0.1:8080 (release build, rebuilt on change).
# Installs what is missing first (scripts/setup.sh), from package registries only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cargo fetch --quiet
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}" "$@"
