//! kubeplay: a Kubernetes teaching playground.
//!
//! The crate is layered; each layer may only import the ones below it:
//!
//! - [`engine`]: the deterministic cluster (API objects, validation, store, simulated clock, seeded
//!   RNG, controllers, scheduler, kubelet). Pure Rust, no browser crate, no IO, no wall clock.
//! - [`kubectl`]: parses kubectl-style command lines and prints kubectl-shaped output over the engine.
//!   The native CLI (`src/bin/kubeplay.rs`) and the page both run commands through it.
//! - [`ui`]: the Yew page, a thin view over the two layers above.

pub mod engine;
pub mod kubectl;
pub mod lessons;
pub mod ui;
