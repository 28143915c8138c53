//! The DaemonSet controller (stub until its issue lands).

use crate::engine::clock::SimTime;
use crate::engine::controller::Outcome;
use crate::engine::store::Store;

/// Controller state that survives between syncs (back-off caches, expectations).
#[derive(Debug, Clone, Default)]
pub struct DaemonSetController {}

impl DaemonSetController {
    /// Reconciles every DaemonSet against the observed cluster.
    pub fn sync(&mut self, _store: &Store, _now: SimTime) -> Outcome {
        Outcome::none()
    }
}
