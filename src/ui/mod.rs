//! The playground page (Yew, client-side rendering): a thin view over [`crate::kubectl`]. Every
//! button runs the command line a learner could type in the console, through
//! [`crate::kubectl::Session::run`]; the page adds no cluster logic.
//!
//! - [`state`]: the [`state::Playground`] reducer; [`view_model`], [`commands`], [`yaml`],
//!   [`scenario`]: pure functions, tested natively.
//! - [`app`] and [`components`]: the view; [`hooks`] and [`storage`]: browser plumbing.

pub mod app;
pub mod commands;
pub mod components;
pub mod hooks;
pub mod lesson;
pub mod scenario;
pub mod state;
pub mod storage;
pub mod view_model;
pub mod yaml;

pub use app::App;
