//! The scheduler (stub until the scheduler work lands): binds pods to the first node.

use crate::engine::clock::SimTime;
use crate::engine::controller::Outcome;
use crate::engine::store::Store;

/// Scheduler state (retry bookkeeping).
#[derive(Debug, Clone, Default)]
pub struct Scheduler {}

impl Scheduler {
    /// Schedules every pending pod.
    pub fn sync(&mut self, _store: &Store, _now: SimTime) -> Outcome {
        Outcome::none()
    }
}
