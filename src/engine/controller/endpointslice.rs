//! The EndpointSlice controller (stub until the Services work lands).

use crate::engine::clock::SimTime;
use crate::engine::controller::Outcome;
use crate::engine::store::Store;

/// Keeps one EndpointSlice per Service in sync with the ready pods it selects.
pub fn sync(_store: &Store, _now: SimTime) -> Outcome {
    Outcome::none()
}
