#!/usr/bin/env bash
# Runs every kubeplay test. Installs what is missing first (scripts/setup.sh --browser), from
# package registries only, idempotently.
#   1. cargo fmt --check, cargo clippy -D warnings (native)
#   2. cargo test: engine, kubectl, CLI transcripts (twice, for determinism), UI reducers; then the
#      component tests (tests/web.rs) in headless Chromium through wasm-bindgen-test-runner
#   3. the release page build (trunk, wasm-opt -Oz) and its size budget
#   4. end-to-end tests: playwright-core drives Debian Chromium against dist/ on 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/tools/node_modules/.bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "cargo fetch"
cargo fetch --quiet

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets)"
cargo clippy --all-targets --quiet -- -D warnings

step "cargo clippy (wasm32 page)"
cargo clippy --target wasm32-unknown-unknown --lib --bin kubeplay-web --test web --quiet -- -D warnings

step "cargo test"
cargo test --quiet

step "component tests in headless Chromium (wasm-bindgen-test, tests/web.rs)"
# (no --quiet: wasm-bindgen-test-runner 0.2.130 rejects it)
cargo test --target wasm32-unknown-unknown --test web

step "trunk build --release"
trunk build --release

step "page size budget"
node scripts/size-budget.mjs dist

if ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
  step "end-to-end tests (headless Chromium)"
  node --test --test-concurrency=1 tests/e2e/
fi
