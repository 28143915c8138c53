//! The native `kubeplay` CLI.
fn main() {}
