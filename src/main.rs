//! Wasm entry point for Trunk.
fn main() {}
