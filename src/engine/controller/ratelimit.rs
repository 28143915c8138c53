//! A controller's client-side rate limit: client-go's `flowcontrol.NewTokenBucketRateLimiter`
//! (a `golang.org/x/time/rate` token bucket). kube-controller-manager builds one client per
//! controller (`ClientBuilder.ClientOrDie("job-controller")`), each with its own bucket of
//! `--kube-api-qps=20` tokens a second and `--kube-api-burst=30`: every create, update, patch or
//! delete a controller sends waits for a token. A Job with parallelism 1,000 therefore does not
//! get 1,000 pods at once on a default cluster: 30 appear at once, then about 20 a second (fewer
//! while the same client also removes finalizers and writes status).
//!
//! The bucket is kept as the instant it will next be full ([`TokenBucket::full_at`]: the
//! generic cell rate algorithm), in whole simulated milliseconds, so it is exact and
//! deterministic. A controller asks how many tokens it [`TokenBucket::available`] has, issues at
//! most that many creates and deletes, pays for every write it issued ([`TokenBucket::take`],
//! which may run into debt for writes it could not defer, as a status update waits in
//! `rate.Limiter.Wait`), and asks to be woken when the next few tokens are free
//! ([`TokenBucket::wake_at`]).
//!
//! Simplifications: events do not take tokens (upstream's broadcaster sends them from another
//! goroutine through the same client, after its spam filter has dropped most repeats), and
//! reads are free (they come from informer caches).

use crate::engine::clock::{Millis, SimTime, SECOND};
use crate::engine::controller::{Action, Outcome};

/// kube-controller-manager's `--kube-api-qps` default.
pub const CONTROLLER_MANAGER_QPS: u64 = 20;
/// kube-controller-manager's `--kube-api-burst` default.
pub const CONTROLLER_MANAGER_BURST: u64 = 30;

/// A throttled controller is woken when this many tokens are free (a quarter of a second's
/// worth): upstream's blocked requests go out one by one as tokens come; waking for each would
/// cost a full sync per pod.
pub const WAKE_BATCH: usize = 5;

/// One client's token bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenBucket {
    /// Milliseconds per token (1000 / qps); 0 means unlimited.
    interval: Millis,
    /// Bucket size.
    burst: u64,
    /// When the bucket will be full again if nothing more is taken.
    full_at: SimTime,
}

impl Default for TokenBucket {
    /// Unlimited, as upstream's unit tests' fake clients are.
    fn default() -> Self {
        TokenBucket::unlimited()
    }
}

impl TokenBucket {
    /// A bucket of `burst` tokens refilled at `qps` a second.
    pub fn new(qps: u64, burst: u64) -> Self {
        if qps == 0 {
            return TokenBucket::unlimited();
        }
        TokenBucket {
            // At least 1 ms a token: the simulated clock counts milliseconds.
            interval: (SECOND / qps).max(1),
            burst: burst.max(1),
            full_at: SimTime::ZERO,
        }
    }

    /// kube-controller-manager's per-controller client: 20 QPS, burst 30.
    pub fn controller_manager() -> Self {
        TokenBucket::new(CONTROLLER_MANAGER_QPS, CONTROLLER_MANAGER_BURST)
    }

    /// Sets the rate and burst (0 QPS: unlimited), keeping what was already spent.
    pub fn retune(&mut self, qps: u64, burst: u64) {
        let next = TokenBucket::new(qps, burst);
        if next.interval == 0 {
            *self = TokenBucket::unlimited();
        } else if (next.interval, next.burst) != (self.interval, self.burst) {
            self.interval = next.interval;
            self.burst = next.burst;
        }
    }

    /// No limit (a fake client).
    pub fn unlimited() -> Self {
        TokenBucket {
            interval: 0,
            burst: u64::MAX,
            full_at: SimTime::ZERO,
        }
    }

    /// True for a bucket that never runs out.
    pub fn is_unlimited(&self) -> bool {
        self.interval == 0
    }

    /// Tokens that can be taken at `now` without waiting.
    pub fn available(&self, now: SimTime) -> usize {
        if self.is_unlimited() {
            return usize::MAX;
        }
        let missing = self.full_at.since(now).div_ceil(self.interval);
        usize::try_from(self.burst.saturating_sub(missing)).unwrap_or(usize::MAX)
    }

    /// Pays for `n` requests sent at `now` (running into debt if fewer were available: the
    /// next tokens then come later).
    pub fn take(&mut self, n: usize, now: SimTime) {
        if self.is_unlimited() || n == 0 {
            return;
        }
        let start = self.full_at.max(now);
        let cost = self
            .interval
            .saturating_mul(u64::try_from(n).unwrap_or(u64::MAX));
        self.full_at = start.plus(cost);
    }

    /// When a controller that left `throttled` requests unsent should run again: once
    /// [`WAKE_BATCH`] tokens (or all it needs, if fewer) are free.
    pub fn wake_at(&self, throttled: usize, now: SimTime) -> SimTime {
        self.ready_at(throttled.min(WAKE_BATCH), now)
    }

    /// The earliest instant at which `n` tokens (at most a full bucket) are available.
    pub fn ready_at(&self, n: usize, now: SimTime) -> SimTime {
        if self.is_unlimited() {
            return now;
        }
        let n = u64::try_from(n).unwrap_or(u64::MAX).clamp(1, self.burst);
        // available(t) >= n  ⇔  full_at - t <= (burst - n) * interval
        let slack = (self.burst - n).saturating_mul(self.interval);
        SimTime(self.full_at.millis().saturating_sub(slack)).max(now)
    }
}

/// The API requests in an outcome: every write but events.
pub fn requests(out: &Outcome) -> usize {
    out.actions
        .iter()
        .filter(|a| !matches!(a, Action::Event(_)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: u64) -> SimTime {
        SimTime(ms)
    }

    #[test]
    fn a_fresh_bucket_holds_the_burst() {
        let b = TokenBucket::controller_manager();
        assert_eq!(b.available(t(0)), 30);
        assert_eq!(b.available(t(123_456)), 30);
    }

    #[test]
    fn tokens_come_back_at_the_qps() {
        let mut b = TokenBucket::controller_manager();
        b.take(30, t(1_000));
        assert_eq!(b.available(t(1_000)), 0);
        assert_eq!(b.available(t(1_049)), 0);
        assert_eq!(b.available(t(1_050)), 1);
        assert_eq!(b.available(t(2_000)), 20);
        assert_eq!(b.available(t(2_500)), 30);
        assert_eq!(b.available(t(9_000)), 30);
    }

    #[test]
    fn debt_delays_the_next_tokens() {
        let mut b = TokenBucket::controller_manager();
        b.take(40, t(0));
        // 10 requests past the burst wait 0.5 s before the bucket starts to refill.
        assert_eq!(b.available(t(500)), 0);
        assert_eq!(b.available(t(550)), 1);
        assert_eq!(b.ready_at(1, t(0)), t(550));
        assert_eq!(b.ready_at(20, t(0)), t(1_500));
        // Asking for more than a bucket waits for a full one.
        assert_eq!(b.ready_at(1_000, t(0)), t(2_000));
    }

    #[test]
    fn a_throttled_controller_wakes_for_a_few_tokens() {
        let mut b = TokenBucket::controller_manager();
        b.take(31, t(0));
        // Full again at 1.55 s: 5 tokens are free at 0.3 s, 2 at 0.15 s.
        assert_eq!(b.wake_at(100, t(0)), t(300));
        assert_eq!(b.wake_at(2, t(0)), t(150));
    }

    #[test]
    fn ready_at_is_never_in_the_past() {
        let mut b = TokenBucket::controller_manager();
        b.take(5, t(0));
        assert_eq!(b.ready_at(10, t(5_000)), t(5_000));
    }

    #[test]
    fn retune_keeps_the_debt() {
        let mut b = TokenBucket::controller_manager();
        b.take(30, t(0));
        b.retune(CONTROLLER_MANAGER_QPS, CONTROLLER_MANAGER_BURST);
        assert_eq!(b.available(t(0)), 0);
        b.retune(100, 30);
        assert_eq!(b.available(t(1_500)), 30);
        b.retune(0, 0);
        assert!(b.is_unlimited());
        assert_eq!(TokenBucket::new(5_000, 0).available(t(0)), 1);
    }

    #[test]
    fn unlimited_never_runs_out() {
        let mut b = TokenBucket::unlimited();
        b.take(1_000_000, t(0));
        assert_eq!(b.available(t(0)), usize::MAX);
        assert_eq!(b.ready_at(5, t(7)), t(7));
    }

    #[test]
    fn a_steady_stream_is_paced_at_twenty_a_second() {
        // Take what is available every 100 ms for 10 s: 30 at once, then 20 a second.
        let mut b = TokenBucket::controller_manager();
        let mut sent = 0;
        for step in 0..=100 {
            let now = t(step * 100);
            let n = b.available(now);
            b.take(n, now);
            sent += n;
        }
        assert_eq!(sent, 30 + 200);
    }
}
