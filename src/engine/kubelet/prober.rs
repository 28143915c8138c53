//! The kubelet's probe workers, after `pkg/kubelet/prober/worker.go` (`worker.doProbe`) and
//! `prober_manager.go` (`UpdatePodStatus`): one worker per container and probe type, ticking
//! every `periodSeconds` from when the pod was added to the kubelet. A tick skips probing
//! while the container has no running instance (readiness turns Failure), during
//! `initialDelaySeconds` (whole seconds since the container started, truncated), and until
//! the startup probe succeeded (the startup probe itself stops after it). The probe's
//! result changes only after `successThreshold` / `failureThreshold` equal results in a row;
//! a liveness or startup Failure puts the worker on hold until the next container instance.
//!
//! Initial results as upstream: readiness Failure, liveness Success, startup unknown. What a
//! probe finds (exec, HTTP, TCP, gRPC) is decided by the caller; this module only times it.
//!
//! Simplifications: no random start offset for the first tick (upstream sleeps a random part
//! of the period when the kubelet itself just started); a probe takes no time (a timeout is
//! a failure at the tick).

use k8s_openapi::api::core::v1::Probe;

use crate::engine::clock::{Millis, SimTime, SECOND};

/// Which probe a worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeType {
    /// `startupProbe`: gates the other two; a Failure kills the container.
    Startup,
    /// `livenessProbe`: a Failure kills the container.
    Liveness,
    /// `readinessProbe`: the container is ready while it succeeds.
    Readiness,
}

impl ProbeType {
    /// The word the kubelet's events start with (`Liveness probe failed: ...`).
    pub fn title(self) -> &'static str {
        match self {
            ProbeType::Startup => "Startup",
            ProbeType::Liveness => "Liveness",
            ProbeType::Readiness => "Readiness",
        }
    }

    /// The lowercase word of the kill message (`failed liveness probe`).
    pub fn word(self) -> &'static str {
        match self {
            ProbeType::Startup => "startup",
            ProbeType::Liveness => "liveness",
            ProbeType::Readiness => "readiness",
        }
    }

    /// The result a new container instance starts with (`worker.initialValue`); `None` is
    /// unknown.
    fn initial(self) -> Option<bool> {
        match self {
            ProbeType::Startup => None,
            ProbeType::Liveness => Some(true),
            ProbeType::Readiness => Some(false),
        }
    }
}

/// A probe's numbers, defaulted as the API server does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// `initialDelaySeconds`.
    pub initial_delay_s: u64,
    /// `periodSeconds` in ms (at least 1 s).
    pub period: Millis,
    /// `timeoutSeconds` in ms (at least 1 s).
    pub timeout: Millis,
    /// `successThreshold` (at least 1).
    pub success: u32,
    /// `failureThreshold` (at least 1).
    pub failure: u32,
}

impl Timing {
    /// The numbers of `probe`, with the API defaults for unset (or zero) fields.
    pub fn of(probe: &Probe) -> Timing {
        let pos = |v: Option<i32>, default: i32| {
            u64::try_from(v.filter(|v| *v > 0).unwrap_or(default)).unwrap_or(1)
        };
        Timing {
            initial_delay_s: u64::try_from(probe.initial_delay_seconds.unwrap_or(0).max(0))
                .unwrap_or(0),
            period: pos(probe.period_seconds, 10) * SECOND,
            timeout: pos(probe.timeout_seconds, 1) * SECOND,
            success: u32::try_from(pos(probe.success_threshold, 1)).unwrap_or(1),
            failure: u32::try_from(pos(probe.failure_threshold, 3)).unwrap_or(3),
        }
    }
}

/// What a worker sees of its container at a tick (the kubelet's status of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observed {
    /// The container instance (its restart count) once it was created (upstream: the
    /// container ID); `None` before.
    pub instance: Option<i32>,
    /// When the instance started running, while it runs.
    pub running_since: Option<SimTime>,
    /// Whether a container that is not running will run again (not terminated for good).
    pub will_run_again: bool,
    /// The pod is being deleted.
    pub deleting: bool,
    /// The container's `started` status (the startup probe succeeded, or there is none).
    pub started: bool,
    /// The pod reached Succeeded or Failed.
    pub pod_terminal: bool,
}

/// One probe worker (`prober.worker`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    /// Which probe.
    pub probe_type: ProbeType,
    /// The probe's numbers.
    pub timing: Timing,
    /// The result for `instance` (the results manager's entry); `None` is unknown.
    pub result: Option<bool>,
    /// The container instance `result` is about.
    pub instance: Option<i32>,
    last: Option<bool>,
    run: u32,
    on_hold: bool,
    /// The worker ended (pod terminal, deletion for liveness/startup, or a container that
    /// will not run again).
    pub stopped: bool,
    /// The next tick.
    pub next_tick: SimTime,
    /// The instance the start-of-life readiness trigger ran for.
    pub triggered: Option<i32>,
}

impl Worker {
    /// A worker started when the pod was added to the kubelet, at `worker_start`.
    pub fn new(probe_type: ProbeType, probe: &Probe, worker_start: SimTime) -> Worker {
        let timing = Timing::of(probe);
        Worker {
            probe_type,
            timing,
            result: None,
            instance: None,
            last: None,
            run: 0,
            on_hold: false,
            stopped: false,
            next_tick: worker_start.plus(timing.period),
            triggered: None,
        }
    }

    /// The result for `instance`, if the worker has one for that instance.
    pub fn result_for(&self, instance: Option<i32>) -> Option<bool> {
        if instance.is_some() && self.instance == instance {
            self.result
        } else {
            None
        }
    }

    /// Whether the worker's next tick could do anything for the container `instance` (so the
    /// kubelet should wake for it).
    pub fn wants_tick(&self, started: bool, instance: Option<i32>) -> bool {
        let on_hold = self.on_hold && self.instance == instance;
        !self.stopped
            && match self.probe_type {
                ProbeType::Startup => !started && !on_hold,
                ProbeType::Liveness => started && !on_hold,
                ProbeType::Readiness => started,
            }
    }

    /// Moves `next_tick` past `now` (ticks missed while the kubelet was away are skipped).
    pub fn advance_tick(&mut self, now: SimTime) {
        if self.next_tick <= now {
            let behind = now.since(self.next_tick) / self.timing.period + 1;
            self.next_tick = self.next_tick.plus(behind * self.timing.period);
        }
    }

    /// `worker.doProbe` at `now`: `probe` runs the probe and says whether it passed, with the
    /// kubelet's message. Returns what the probe found when it ran.
    pub fn do_probe(
        &mut self,
        obs: &Observed,
        now: SimTime,
        probe: &mut dyn FnMut() -> (bool, String),
    ) -> Option<(bool, String)> {
        if self.stopped {
            return None;
        }
        if obs.pod_terminal {
            self.stopped = true;
            return None;
        }
        let Some(instance) = obs.instance else {
            // Not created yet: wait for more information.
            return None;
        };
        if self.instance != Some(instance) {
            // A new container: resume probing from the initial value.
            self.instance = Some(instance);
            self.result = self.probe_type.initial();
            self.on_hold = false;
        }
        if self.on_hold {
            return None;
        }
        let Some(since) = obs.running_since else {
            self.result = Some(false);
            if !obs.will_run_again {
                self.stopped = true;
            }
            return None;
        };
        if obs.deleting && self.probe_type != ProbeType::Readiness {
            // A quiet shutdown: the last result is Success and probing stops.
            self.result = Some(true);
            self.stopped = true;
            return None;
        }
        // `int32(time.Since(startedAt).Seconds()) < InitialDelaySeconds`.
        if now.since(since) / SECOND < self.timing.initial_delay_s {
            return None;
        }
        match (obs.started, self.probe_type) {
            (true, ProbeType::Startup) => return None,
            (false, ProbeType::Liveness | ProbeType::Readiness) => return None,
            _ => {}
        }
        let (ok, message) = probe();
        if self.last == Some(ok) {
            self.run = self.run.saturating_add(1);
        } else {
            self.last = Some(ok);
            self.run = 1;
        }
        let threshold = if ok {
            self.timing.success
        } else {
            self.timing.failure
        };
        if self.run >= threshold {
            self.result = Some(ok);
            if !ok && self.probe_type != ProbeType::Readiness {
                // It will be restarted: stop probing until a new container appears.
                self.on_hold = true;
                self.run = 0;
            }
        }
        Some((ok, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(delay: i32, period: i32, success: i32, failure: i32) -> Probe {
        Probe {
            initial_delay_seconds: Some(delay),
            period_seconds: Some(period),
            success_threshold: Some(success),
            failure_threshold: Some(failure),
            ..Default::default()
        }
    }

    fn running(since_ms: u64) -> Observed {
        Observed {
            instance: Some(0),
            running_since: Some(SimTime::ZERO.plus(since_ms)),
            will_run_again: true,
            deleting: false,
            started: true,
            pod_terminal: false,
        }
    }

    struct Case {
        name: &'static str,
        probe_type: ProbeType,
        probe: Probe,
        /// The container as every tick sees it.
        obs: Observed,
        /// Whether the probe passes at each second (index = second); missing = the last.
        passes: &'static [bool],
        /// (tick time in s, the worker's result after it).
        want: &'static [(u64, Option<bool>)],
    }

    /// Ticks every period from 0 and checks the result after each listed tick.
    fn check(case: &Case) {
        let mut w = Worker::new(case.probe_type, &case.probe, SimTime::ZERO);
        let mut t = w.next_tick;
        for (at_s, want) in case.want {
            while t.millis() <= at_s * 1000 {
                let s = usize::try_from(t.millis() / 1000).unwrap();
                let pass = *case.passes.get(s).or(case.passes.last()).unwrap_or(&true);
                w.do_probe(&case.obs, t, &mut || (pass, String::new()));
                w.advance_tick(t);
                t = w.next_tick;
            }
            assert_eq!(w.result, *want, "{}: after the tick at {at_s}s", case.name);
        }
    }

    /// Mirrors `worker_test.go` (`TestDoProbe`, `TestInitialDelay`, `TestFailureThreshold`,
    /// `TestSuccessThreshold`, `TestOnHoldOnLivenessOrStartupCheckFailure`, `TestStartupProbe*`).
    #[test]
    fn workers_follow_thresholds_delays_and_gating() {
        let cases = [
            Case {
                name: "TestInitialDelay: readiness stays Failure during the delay",
                probe_type: ProbeType::Readiness,
                probe: probe(15, 5, 1, 3),
                obs: running(1_500),
                passes: &[true],
                // The tick at 15 s is 13.5 s after the start: truncated to 13 < 15.
                want: &[(5, Some(false)), (15, Some(false)), (20, Some(true))],
            },
            Case {
                name: "TestSuccessThreshold: three passes in a row",
                probe_type: ProbeType::Readiness,
                probe: probe(0, 1, 3, 3),
                obs: running(0),
                passes: &[true],
                want: &[(2, Some(false)), (3, Some(true))],
            },
            Case {
                name: "TestFailureThreshold: liveness fails after three failures",
                probe_type: ProbeType::Liveness,
                probe: probe(0, 1, 1, 3),
                obs: running(0),
                passes: &[true, true, true, false],
                want: &[(3, Some(true)), (4, Some(true)), (5, Some(false))],
            },
            Case {
                name: "readiness flips back and forth with the thresholds",
                probe_type: ProbeType::Readiness,
                probe: probe(0, 1, 2, 2),
                obs: running(0),
                // pass 1-3, fail 4-6, pass 7-9, one failure at 10, pass after.
                passes: &[
                    true, true, true, true, false, false, false, true, true, true, false, true,
                ],
                want: &[
                    (2, Some(true)),
                    (4, Some(true)),
                    (5, Some(false)),
                    (7, Some(false)),
                    (8, Some(true)),
                    (10, Some(true)),
                    (11, Some(true)),
                ],
            },
            Case {
                name: "TestOnHoldOnLivenessOrStartupCheckFailure: on hold after a failure",
                probe_type: ProbeType::Liveness,
                probe: probe(0, 1, 1, 1),
                obs: running(0),
                // Fails once, then would pass: the worker stays on hold with Failure.
                passes: &[false, false, true],
                want: &[(1, Some(false)), (5, Some(false))],
            },
            Case {
                name: "TestStartupProbeSuccessThreshold: startup passes once",
                probe_type: ProbeType::Startup,
                probe: probe(0, 2, 1, 30),
                obs: Observed {
                    started: false,
                    ..running(0)
                },
                passes: &[false, false, false, false, true],
                want: &[(2, None), (4, Some(true))],
            },
            Case {
                name: "liveness and readiness wait for the startup probe",
                probe_type: ProbeType::Liveness,
                probe: probe(0, 1, 1, 1),
                obs: Observed {
                    started: false,
                    ..running(0)
                },
                passes: &[false],
                want: &[(10, Some(true))],
            },
            Case {
                name: "a startup probe no longer runs once started",
                probe_type: ProbeType::Startup,
                probe: probe(0, 1, 1, 1),
                obs: running(0),
                passes: &[false],
                want: &[(10, None)],
            },
            Case {
                name: "a container that is not running is not ready",
                probe_type: ProbeType::Readiness,
                probe: probe(0, 1, 1, 1),
                obs: Observed {
                    running_since: None,
                    ..running(0)
                },
                passes: &[true],
                want: &[(3, Some(false))],
            },
            Case {
                name: "deletion ends liveness probing with Success",
                probe_type: ProbeType::Liveness,
                probe: probe(0, 1, 1, 1),
                obs: Observed {
                    deleting: true,
                    ..running(0)
                },
                passes: &[false],
                want: &[(3, Some(true))],
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn a_new_container_resumes_a_worker_on_hold() {
        let mut w = Worker::new(ProbeType::Liveness, &probe(0, 1, 1, 1), SimTime::ZERO);
        let obs = running(0);
        w.do_probe(&obs, SimTime::ZERO.plus(1_000), &mut || {
            (false, String::new())
        });
        assert_eq!(w.result_for(Some(0)), Some(false));
        assert!(!w.wants_tick(true, Some(0)));
        assert!(w.wants_tick(true, Some(1)));
        let next = Observed {
            instance: Some(1),
            running_since: Some(SimTime::ZERO.plus(5_000)),
            ..obs
        };
        let got = w.do_probe(&next, SimTime::ZERO.plus(6_000), &mut || {
            (true, String::new())
        });
        assert_eq!(got, Some((true, String::new())));
        assert_eq!(w.result_for(Some(1)), Some(true));
        assert_eq!(w.result_for(Some(0)), None);
    }

    #[test]
    fn ticks_stay_on_the_grid() {
        let mut w = Worker::new(ProbeType::Readiness, &probe(0, 10, 1, 3), SimTime::ZERO);
        assert_eq!(w.next_tick.millis(), 10_000);
        w.advance_tick(SimTime::ZERO.plus(10_000));
        assert_eq!(w.next_tick.millis(), 20_000);
        w.advance_tick(SimTime::ZERO.plus(45_000));
        assert_eq!(w.next_tick.millis(), 50_000);
        w.advance_tick(SimTime::ZERO.plus(49_999));
        assert_eq!(w.next_tick.millis(), 50_000);
    }
}
