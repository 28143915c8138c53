//! The event recorder's correlator: client-go's `tools/record/events_cache.go`
//! (`EventCorrelator`), which every component that records core/v1 Events runs before it writes
//! one. It does three things, in this order:
//!
//! 1. **Aggregation** (`EventAggregator`, `EventAggregatorByReasonFunc`): events that differ only
//!    in their message — same source, host, involved object, type and reason — are *similar*.
//!    Once 10 distinct messages have been seen within 10 minutes of the previous similar event,
//!    each further one is written into one event whose message is
//!    `(combined from similar events): <latest message>` and whose count grows (so `kubectl
//!    describe job` of a Job with many pods shows nine `Created pod: …` lines, then one combined
//!    line).
//! 2. **Counting** (`eventLogger.eventObserve`): an event seen before (same key) updates the
//!    existing object's count and lastTimestamp instead of creating a new one.
//! 3. **Spam filter** (`EventSourceObjectSpamFilter`, `getSpamKey`): a token bucket per source
//!    and involved object — not per reason, so a component's later events about a busy object can
//!    be the ones dropped (`TestEventSpamFilter`: "event should be reported as spam if object
//!    reference is the same for default spam filter") — burst 25, refilled one event every 5
//!    minutes; an event that finds the bucket empty is dropped. Its count is still observed, so
//!    the next one that passes carries it.
//!
//! kube-scheduler records through the newer events API instead (`k8s.io/client-go/tools/events`,
//! [`Broadcaster`] below): no correlator, an `action`, an `eventTime`, and repeats become a
//! `series`.
//!
//! Simplifications: upstream's caches are LRUs of 4,096 entries; these keep every key (a
//! playground's clusters are small, and eviction would only make old counts restart). Go's
//! `sets.String.PopAny` drops an arbitrary remembered message once the threshold is reached; this
//! drops the smallest, so runs stay deterministic.

use crate::engine::clock::SimTime;
use crate::engine::clock::{Millis, MINUTE};
use crate::engine::controller::EventRecord;
use crate::engine::store::LookupMap;
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
use std::collections::BTreeMap;

/// `defaultAggregateMaxEvents`: distinct messages before similar events are combined.
const AGGREGATE_MAX_EVENTS: usize = 10;
/// `defaultAggregateIntervalInSeconds`: a similar event older than this starts a fresh record.
const AGGREGATE_INTERVAL_MS: u64 = 600_000;
/// `defaultSpamQPS` = 1/300: one token every 5 minutes, in milliseconds per token.
const SPAM_MS_PER_EVENT: u64 = 300_000;
/// `defaultSpamBurst`.
const SPAM_BURST: u64 = 25;

/// The aggregation record of one source, object, type and reason.
#[derive(Clone, Debug)]
struct Similar {
    /// The distinct messages seen, sorted (at most 9 are kept once combining has started): a
    /// sorted `Vec` rather than a `BTreeSet`, whose first node alone is 11 slots, because a
    /// cluster keeps one of these per object and reason, mostly with one message.
    messages: Vec<String>,
    /// When the last similar event came.
    last: SimTime,
}

/// The spam filter's token bucket of one source and object.
#[derive(Clone, Debug)]
struct Bucket {
    /// Its content, in milliseconds of refill (`SPAM_MS_PER_EVENT` per token).
    credit_ms: u64,
    /// When `credit_ms` was last brought up to date.
    at: SimTime,
}

/// What the logger remembers of one event key.
#[derive(Clone, Debug)]
struct Observed {
    count: i32,
    first: SimTime,
    /// The name of the event object (it may not exist: the first occurrence may have been
    /// dropped, or the object expired; the recorder then creates it under this name, as
    /// upstream's `recordEvent` does when its patch finds nothing).
    name: String,
}

/// What to write for one recorded event.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Correlated {
    /// The event object's name (update it if it exists, else create it).
    pub name: String,
    /// The message to store (prefixed when combined).
    pub message: String,
    /// The count to store.
    pub count: i32,
    /// The firstTimestamp to store.
    pub first: SimTime,
}

/// client-go's `EventCorrelator`, one per cluster (the simulated components share it; their
/// keys include the source, so they never meet).
#[derive(Clone, Debug, Default)]
pub(crate) struct Correlator {
    similar: LookupMap<String, Similar>,
    spam: LookupMap<String, Bucket>,
    observed: LookupMap<String, Observed>,
}

/// Field separator in the keys (upstream joins with "", which can only merge keys that no
/// Kubernetes name or reason can produce).
const SEP: char = '\u{1}';

impl Correlator {
    /// Runs `rec` through aggregation, counting and the spam filter at `now`. None: the spam
    /// filter dropped it. `fresh_name` names an event seen for the first time.
    pub(crate) fn correlate(
        &mut self,
        rec: &EventRecord,
        now: SimTime,
        fresh_name: impl FnOnce() -> String,
    ) -> Option<Correlated> {
        let mut key = String::with_capacity(
            rec.source.len()
                + rec.involved.name.len()
                + rec.involved.namespace.len()
                + rec.involved_uid.len()
                + rec.reason.len()
                + rec.message.len()
                + 48,
        );
        for part in [
            rec.source.as_str(),
            rec.host.as_deref().unwrap_or(""),
            rec.involved.kind.as_str(),
            &rec.involved.namespace,
            &rec.involved.name,
            &rec.involved_uid,
        ] {
            key.push_str(part);
            key.push(SEP);
        }
        // The spam filter's bucket, keyed by source and object (it runs last upstream; taking
        // the token first is the same, since nothing in between reads the bucket).
        let accepted = {
            let bucket = match self.spam.get_mut(key.as_str()) {
                Some(b) => b,
                None => {
                    self.spam.insert(
                        key.clone(),
                        Bucket {
                            credit_ms: SPAM_BURST * SPAM_MS_PER_EVENT,
                            at: now,
                        },
                    );
                    self.spam.get_mut(key.as_str())?
                }
            };
            let elapsed = now.millis().saturating_sub(bucket.at.millis());
            bucket.credit_ms = bucket
                .credit_ms
                .saturating_add(elapsed)
                .min(SPAM_BURST * SPAM_MS_PER_EVENT);
            bucket.at = now;
            let ok = bucket.credit_ms >= SPAM_MS_PER_EVENT;
            if ok {
                bucket.credit_ms -= SPAM_MS_PER_EVENT;
            }
            ok
        };
        // EventAggregate, keyed by source, object, type and reason.
        key.push_str(rec.type_.as_str());
        key.push(SEP);
        key.push_str(&rec.reason);
        key.push(SEP);
        let similar = match self.similar.get_mut(key.as_str()) {
            Some(s) => s,
            None => {
                self.similar.insert(
                    key.clone(),
                    Similar {
                        messages: Vec::new(),
                        last: now,
                    },
                );
                self.similar.get_mut(key.as_str())?
            }
        };
        if now.millis().saturating_sub(similar.last.millis()) > AGGREGATE_INTERVAL_MS {
            similar.messages.clear();
        }
        if let Err(at) = similar
            .messages
            .binary_search_by(|m| m.as_str().cmp(rec.message.as_str()))
        {
            similar.messages.insert(at, rec.message.clone());
        }
        similar.last = now;
        let combined = similar.messages.len() >= AGGREGATE_MAX_EVENTS;
        if combined {
            // The smallest, as `BTreeSet::pop_first` would.
            if !similar.messages.is_empty() {
                similar.messages.remove(0);
            }
        }
        // eventObserve: the combined event's key is the similar key; any other event's is the
        // full key (also the field path and the message).
        let message = if combined {
            key.push('C');
            format!("(combined from similar events): {}", rec.message)
        } else {
            key.push_str(rec.field_path.as_deref().unwrap_or(""));
            key.push(SEP);
            key.push_str(&rec.message);
            rec.message.clone()
        };
        let (count, first, name) = match self.observed.get_mut(key.as_str()) {
            Some(o) => {
                o.count = o.count.saturating_add(1);
                (o.count, o.first, o.name.clone())
            }
            None => {
                let name = fresh_name();
                self.observed.insert(
                    key,
                    Observed {
                        count: 1,
                        first: now,
                        name: name.clone(),
                    },
                );
                (1, now, name)
            }
        };
        accepted.then_some(Correlated {
            name,
            message,
            count,
            first,
        })
    }
}

/// The host name kubeplay's control plane components run on (the simulated cluster has no
/// control-plane node; this is the name kind would give one of a cluster called `kubeplay`).
/// kube-scheduler's `reportingInstance` is `default-scheduler-` + this (`NewRecorder`:
/// `reportingController + "-" + os.Hostname()`).
pub(crate) const CONTROL_PLANE_HOST: &str = "kubeplay-control-plane";

/// `finishTime` (`tools/events/event_broadcaster.go`): how often a series is checked for its
/// end, and how long after its last observation it ends (a singleton leaves the cache as long
/// after its eventTime).
const FINISH_MS: Millis = 6 * MINUTE;
/// `refreshTime`: how often every open series is written again.
const REFRESH_MS: Millis = 30 * MINUTE;

/// When an event was last seen, as `kubectl events` orders them: its series'
/// `lastObservedTime`, else `lastTimestamp`, else `eventTime` (events.k8s.io/v1 events, such as
/// the scheduler's, have no `lastTimestamp`), else `firstTimestamp`, else when it was created.
/// Also when it expires from: the event TTL counts from here.
pub fn last_seen(e: &Event) -> SimTime {
    let micro = |t: &MicroTime| SimTime::from_k8s(&Time(t.0));
    e.series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref())
        .map(micro)
        .or_else(|| e.last_timestamp.as_ref().map(SimTime::from_k8s))
        .or_else(|| e.event_time.as_ref().map(micro))
        .or_else(|| e.first_timestamp.as_ref().map(SimTime::from_k8s))
        .or_else(|| {
            e.metadata
                .creation_timestamp
                .as_ref()
                .map(SimTime::from_k8s)
        })
        .unwrap_or_default()
}

/// Whether a component records through the events.k8s.io/v1 API, and if so the `action` of
/// an event with `reason`: kube-scheduler does (`Eventf(pod, nil, Normal, "Scheduled",
/// "Binding", ...)` in `schedule_one.go`'s binding cycle, `"FailedScheduling", "Scheduling"` in
/// `handleSchedulingFailure`, `"Preempted", "Preempting"` for a victim); every other component
/// here still uses the core/v1 recorder (`tools/record`).
pub(crate) fn v1_action(source: &str, reason: &str) -> Option<&'static str> {
    if source != crate::engine::scheduler::SCHEDULER_NAME {
        return None;
    }
    Some(match reason {
        "Scheduled" => "Binding",
        "Preempted" => "Preempting",
        _ => "Scheduling",
    })
}

/// An events.k8s.io/v1 `EventSeries`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Series {
    /// `count`: occurrences so far, including the first.
    pub count: i32,
    /// `lastObservedTime`.
    pub last_observed: SimTime,
}

/// One event as the broadcaster's cache holds it (upstream keeps the `*eventsv1.Event`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct V1Event {
    /// What was recorded first (its note is the one kept: later isomorphic events only count).
    pub rec: EventRecord,
    /// `regarding.resourceVersion`: the object's version the component saw.
    pub resource_version: Option<String>,
    /// `action`.
    pub action: &'static str,
    /// The Event object's name.
    pub name: String,
    /// `eventTime`: when the first one was recorded.
    pub event_time: SimTime,
    /// None for a singleton.
    pub series: Option<Series>,
}

/// A cache entry: the event and whether its series has counts not yet written.
#[derive(Clone, Debug)]
struct Cached {
    event: V1Event,
    dirty: bool,
}

/// client-go's events.k8s.io/v1 `eventBroadcasterImpl`: `recordToSink`'s cache of isomorphic
/// events, `finishSeries` every 6 minutes and `refreshExistingEventSeries` every 30 (both
/// started with the scheduler, at time zero).
///
/// Simplifications: upstream's tickers run on their own; here they run when the cluster steps or
/// records at or after their time, and the cluster wakes at the next tick only while a series has
/// counts not yet written ([`Broadcaster::next_write`]). The periodic refresh of a series whose
/// count has not moved since it was last written is skipped (upstream writes the same values
/// again, which only renews the event's TTL).
#[derive(Clone, Debug)]
pub(crate) struct Broadcaster {
    /// `eventCache`, keyed by [`isomorphic_key`] (a `BTreeMap`, so ticks write in key order).
    cache: BTreeMap<String, Cached>,
    /// How many cache entries are `dirty` (kept with the flags, so asking needs no walk).
    dirty: usize,
    next_finish: SimTime,
    next_refresh: SimTime,
}

impl Default for Broadcaster {
    fn default() -> Self {
        Broadcaster {
            cache: BTreeMap::new(),
            dirty: 0,
            next_finish: SimTime(FINISH_MS),
            next_refresh: SimTime(REFRESH_MS),
        }
    }
}

/// `getKey`: action, reason, reporting controller and the whole `regarding` reference (kind,
/// namespace, name, uid, apiVersion, resourceVersion, fieldPath); `related` is always nil here.
/// The note is not part of it.
fn isomorphic_key(rec: &EventRecord, resource_version: Option<&str>, action: &str) -> String {
    let mut key = String::new();
    for part in [
        action,
        rec.reason.as_str(),
        rec.source.as_str(),
        rec.involved.kind.as_str(),
        &rec.involved.namespace,
        &rec.involved.name,
        &rec.involved_uid,
        resource_version.unwrap_or(""),
        rec.field_path.as_deref().unwrap_or(""),
    ] {
        key.push_str(part);
        key.push(SEP);
    }
    key
}

impl Broadcaster {
    /// `recordToSink` at `now` (after the ticks due by then): the event to write (create it,
    /// or patch its series if it exists), or None when only the cache changed (the third and
    /// later occurrences of an isomorphic event: their count waits for a tick).
    pub(crate) fn observe(
        &mut self,
        rec: EventRecord,
        resource_version: Option<String>,
        action: &'static str,
        now: SimTime,
        fresh_name: impl FnOnce() -> String,
    ) -> Option<V1Event> {
        let key = isomorphic_key(&rec, resource_version.as_deref(), action);
        if let Some(c) = self.cache.get_mut(&key) {
            return match &mut c.event.series {
                Some(series) => {
                    series.count = series.count.saturating_add(1);
                    series.last_observed = now;
                    if !c.dirty {
                        c.dirty = true;
                        self.dirty += 1;
                    }
                    None
                }
                None => {
                    c.event.series = Some(Series {
                        count: 2,
                        last_observed: now,
                    });
                    Some(c.event.clone())
                }
            };
        }
        let event = V1Event {
            rec,
            resource_version,
            action,
            name: fresh_name(),
            event_time: now,
            series: None,
        };
        self.cache.insert(
            key,
            Cached {
                event: event.clone(),
                dirty: false,
            },
        );
        Some(event)
    }

    /// Runs the `refreshExistingEventSeries` and `finishSeries` ticks due by `now`, in time
    /// order; returns the series to write, in order.
    pub(crate) fn tick(&mut self, now: SimTime) -> Vec<V1Event> {
        let mut writes = Vec::new();
        // Bounded: with no new observations the cache empties within two finish ticks, and an
        // empty cache skips straight past `now`.
        for _ in 0..64 {
            let t = self.next_finish.min(self.next_refresh);
            if t > now {
                break;
            }
            if self.cache.is_empty() {
                self.next_finish = first_tick_after(now, FINISH_MS);
                self.next_refresh = first_tick_after(now, REFRESH_MS);
                break;
            }
            if t == self.next_refresh {
                for c in self.cache.values_mut() {
                    if c.event.series.is_some() && c.dirty {
                        c.dirty = false;
                        self.dirty = self.dirty.saturating_sub(1);
                        writes.push(c.event.clone());
                    }
                }
                self.next_refresh = t.plus(REFRESH_MS);
            }
            if t == self.next_finish {
                let cutoff = t.millis().saturating_sub(FINISH_MS);
                let dirty = &mut self.dirty;
                self.cache.retain(|_, c| {
                    let last = match c.event.series {
                        Some(s) => s.last_observed,
                        None => c.event.event_time,
                    };
                    if last.millis() >= cutoff {
                        return true;
                    }
                    if c.dirty {
                        *dirty = dirty.saturating_sub(1);
                        writes.push(c.event.clone());
                    }
                    false
                });
                self.next_finish = t.plus(FINISH_MS);
            }
        }
        writes
    }

    /// The next tick that would write something: while a series has counts not yet written,
    /// the next tick.
    pub(crate) fn next_write(&self) -> Option<SimTime> {
        (self.dirty > 0).then(|| self.next_finish.min(self.next_refresh))
    }
}

/// The first multiple of `period` after `now`.
fn first_tick_after(now: SimTime, period: Millis) -> SimTime {
    SimTime(
        (now.millis() / period)
            .saturating_add(1)
            .saturating_mul(period),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::api::{Kind, ObjectKey};
    use crate::engine::controller::EventType;

    fn event(reason: &str, message: &str) -> EventRecord {
        EventRecord {
            involved: ObjectKey::new(Kind::Pod, "my-ns", "my-pod"),
            involved_uid: "uid-1".into(),
            type_: EventType::Normal,
            reason: reason.into(),
            message: message.into(),
            source: "eventTest".into(),
            host: None,
            field_path: None,
        }
    }

    fn similar(n: usize) -> Vec<EventRecord> {
        (0..n)
            .map(|i| event("similar", &format!("similar message {i}")))
            .collect()
    }

    /// Plays `previous` then `new`, `interval_s` apart (upstream's `SimpleIntervalClock`);
    /// returns what the correlator makes of `new` as (message, count), None if dropped.
    fn play(previous: &[EventRecord], new: &EventRecord, interval_s: u64) -> Option<(String, i32)> {
        let mut c = Correlator::default();
        let mut names = 0;
        let mut t = 0;
        let mut fresh = || {
            names += 1;
            format!("ev{names}")
        };
        for e in previous {
            t += interval_s * 1000;
            c.correlate(e, SimTime(t), &mut fresh);
        }
        t += interval_s * 1000;
        c.correlate(new, SimTime(t), &mut fresh)
            .map(|r| (r.message, r.count))
    }

    /// `TestEventCorrelator` (client-go `tools/record/events_cache_test.go`).
    #[test]
    fn test_event_correlator() {
        let first = event("first", "i am first");
        let duplicate = event("duplicate", "me again");
        let unique = event("unique", "snowflake");
        let mut similar_event = event("similar", "similar message");
        similar_event.field_path = Some("spec.containers{container1}".into());
        let aggregate = "(combined from similar events): similar message".to_string();
        let mut other_container = similar_event.clone();
        other_container.field_path = Some("spec.containers{container2}".into());
        // makeUniqueEvents: each about another pod in another namespace.
        let uniques: Vec<EventRecord> = (0..30)
            .map(|i| {
                let mut e = event(&format!("reason-{i}"), &format!("message-{i}"));
                e.involved = ObjectKey::new(Kind::Pod, &format!("ns-{i}"), &format!("pod-{i}"));
                e
            })
            .collect();
        #[allow(clippy::type_complexity)]
        let cases: Vec<(
            &str,
            Vec<EventRecord>,
            &EventRecord,
            u64,
            Option<(String, i32)>,
        )> = vec![
            (
                "create-a-single-event",
                vec![],
                &first,
                5,
                Some(("i am first".into(), 1)),
            ),
            (
                "the-same-event-should-just-count",
                vec![duplicate.clone()],
                &duplicate,
                5,
                Some(("me again".into(), 2)),
            ),
            (
                "the-same-event-should-just-count-even-if-more-than-aggregate",
                vec![duplicate.clone(); AGGREGATE_MAX_EVENTS],
                &duplicate,
                30,
                Some(("me again".into(), 11)),
            ),
            (
                "the-same-event-is-spam-if-happens-too-frequently",
                vec![duplicate.clone(); SPAM_BURST as usize + 1],
                &duplicate,
                1,
                None,
            ),
            (
                "create-many-unique-events",
                uniques,
                &unique,
                5,
                Some(("snowflake".into(), 1)),
            ),
            (
                "similar-events-should-aggregate-event",
                similar(AGGREGATE_MAX_EVENTS - 1),
                &similar_event,
                5,
                Some((aggregate.clone(), 1)),
            ),
            (
                "similar-events-many-times-should-count-the-aggregate",
                similar(AGGREGATE_MAX_EVENTS),
                &similar_event,
                5,
                Some((aggregate.clone(), 2)),
            ),
            (
                "events-from-different-containers-do-not-aggregate",
                vec![other_container],
                &similar_event,
                5,
                Some(("similar message".into(), 1)),
            ),
            (
                "similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate",
                similar(AGGREGATE_MAX_EVENTS - 1),
                &similar_event,
                AGGREGATE_INTERVAL_MS / 1000 + 1,
                Some(("similar message".into(), 1)),
            ),
        ];
        for (name, previous, new, interval, want) in cases {
            assert_eq!(play(&previous, new, interval), want, "{name}");
        }
    }

    /// `TestEventSpamFilter`'s default-key case: the bucket is per source and object, so an
    /// event with another reason is spam once the burst is used; the bucket refills one event
    /// every 5 minutes.
    #[test]
    fn test_event_spam_filter_default_key_and_refill() {
        let mut c = Correlator::default();
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            format!("ev{n}")
        };
        for i in 0..SPAM_BURST {
            assert!(c
                .correlate(&event("original", &format!("m{i}")), SimTime(i), &mut fresh)
                .is_some());
        }
        let other_reason = event("duplicate", "me again");
        assert_eq!(c.correlate(&other_reason, SimTime(100), &mut fresh), None);
        // 5 minutes later one token is back: the event passes, with the count it has reached.
        let back = c
            .correlate(&other_reason, SimTime(100 + SPAM_MS_PER_EVENT), &mut fresh)
            .expect("refilled");
        assert_eq!((back.count, back.message.as_str()), (2, "me again"));
        assert_eq!(
            c.correlate(&other_reason, SimTime(101 + SPAM_MS_PER_EVENT), &mut fresh),
            None
        );
        // Another object has its own bucket.
        let mut elsewhere = event("original", "m0");
        elsewhere.involved.name = "other-pod".into();
        assert!(c.correlate(&elsewhere, SimTime(102), &mut fresh).is_some());
    }

    /// Once combining starts, every further similar event lands on the one combined object,
    /// which keeps the name it was created with.
    #[test]
    fn combined_event_keeps_its_name_and_counts() {
        let mut c = Correlator::default();
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            format!("ev{n}")
        };
        let mut out = vec![];
        for e in similar(13) {
            out.push(
                c.correlate(&e, SimTime(0), &mut fresh)
                    .expect("within burst"),
            );
        }
        assert_eq!(out[8].message, "similar message 8");
        assert_eq!(out[8].name, "ev9");
        assert_eq!(
            out[9].message,
            "(combined from similar events): similar message 9"
        );
        assert_eq!(
            out[12].message,
            "(combined from similar events): similar message 12"
        );
        assert_eq!((out[12].name.as_str(), out[12].count), ("ev10", 4));
    }

    /// A scheduler event about `my-pod` at resourceVersion `rv`.
    fn sched(reason: &str, message: &str) -> EventRecord {
        let mut e = event(reason, message);
        e.source = crate::engine::scheduler::SCHEDULER_NAME.into();
        e
    }

    fn broadcaster_names() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("ev{n}")
        }
    }

    /// `TestEventSeriesf` (client-go `tools/events/eventseries_test.go`): the first event is
    /// created; an isomorphic one (same action, reason, controller, regarding) becomes a series
    /// of 2 written at once; another action is a new event. The note is not part of the key.
    #[test]
    fn test_event_seriesf() {
        let mut b = Broadcaster::default();
        let mut names = broadcaster_names();
        let rv = || Some("7".to_string());
        let first = b
            .observe(
                sched("test", "some verbose message: 1"),
                rv(),
                "started",
                SimTime(0),
                &mut names,
            )
            .expect("created");
        assert_eq!((first.name.as_str(), first.series), ("ev1", None));
        let second = b
            .observe(
                sched("test", "some verbose message: 2"),
                rv(),
                "started",
                SimTime(5),
                &mut names,
            )
            .expect("patched");
        assert_eq!(second.name, "ev1");
        assert_eq!(second.rec.message, "some verbose message: 1");
        assert_eq!(
            second.series,
            Some(Series {
                count: 2,
                last_observed: SimTime(5)
            })
        );
        let other = b
            .observe(
                sched("test", "some verbose message: 1"),
                rv(),
                "stopped",
                SimTime(6),
                &mut names,
            )
            .expect("created");
        assert_eq!((other.name.as_str(), other.series), ("ev2", None));
        // Another resourceVersion of the same pod is another `regarding`: not isomorphic.
        let next_rv = b
            .observe(
                sched("test", "some verbose message: 1"),
                Some("8".into()),
                "started",
                SimTime(7),
                &mut names,
            )
            .expect("created");
        assert_eq!(next_rv.name, "ev3");
        assert_eq!(b.next_write(), None, "everything observed is written");
    }

    /// The third and later occurrences only count in the cache (`recordToSink` returns nil);
    /// the count is written when the series finishes: at the first `finishSeries` tick (every
    /// 6 minutes) at which it was last observed more than 6 minutes before.
    #[test]
    fn later_occurrences_wait_for_the_finish_tick() {
        let mut b = Broadcaster::default();
        let mut names = broadcaster_names();
        let at = |s: u64| SimTime(s * 1000);
        for t in [10, 20] {
            assert!(b
                .observe(sched("r", "m"), None, "a", at(t), &mut names)
                .is_some());
        }
        for t in [30, 40, 50] {
            assert_eq!(
                b.observe(sched("r", "m"), None, "a", at(t), &mut names),
                None
            );
        }
        // The series was last observed at 50 s: the 6-minute tick keeps it, the 12-minute one
        // writes count 5 and forgets it.
        assert_eq!(b.next_write(), Some(at(360)));
        assert_eq!(b.tick(at(360)), vec![]);
        assert_eq!(b.next_write(), Some(at(720)));
        let written = b.tick(at(720));
        assert_eq!(written.len(), 1);
        assert_eq!(
            written.first().and_then(|e| e.series),
            Some(Series {
                count: 5,
                last_observed: at(50)
            })
        );
        assert_eq!(b.next_write(), None);
        // Forgotten: the next occurrence starts a new event.
        let again = b.observe(sched("r", "m"), None, "a", at(800), &mut names);
        assert_eq!(
            again.map(|e| (e.name, e.series)),
            Some(("ev2".into(), None))
        );
    }

    /// `TestFinishSeries`: a series last observed 9 minutes ago is written and dropped; one
    /// observed just now stays. A singleton older than 6 minutes is dropped without a write.
    #[test]
    fn test_finish_series() {
        let mut b = Broadcaster::default();
        let mut names = broadcaster_names();
        let min = |m: u64| SimTime(m * MINUTE);
        let mut finished = sched("test", "some verbose message: 1");
        finished.source = "eventTest".into();
        let mut non_finished = finished.clone();
        non_finished.source = "nonFinished-controller".into();
        let singleton = sched("lonely", "once");
        for t in [min(2), min(2).plus(1), min(2).plus(2)] {
            let _ = b.observe(finished.clone(), None, "started", t, &mut names);
        }
        let _ = b.observe(singleton, None, "started", min(3), &mut names);
        for t in [min(11), min(11).plus(1), min(11).plus(2)] {
            let _ = b.observe(non_finished.clone(), None, "started", t, &mut names);
        }
        let written = b.tick(min(12));
        assert_eq!(
            written
                .iter()
                .map(|e| (e.rec.source.as_str(), e.series.map(|s| s.count)))
                .collect::<Vec<_>>(),
            vec![("eventTest", Some(3))]
        );
        assert_eq!(b.cache.len(), 1, "only the unfinished series is left");
        assert!(b
            .cache
            .values()
            .all(|c| c.event.rec.source == "nonFinished-controller"));
    }

    /// `refreshExistingEventSeries` every 30 minutes writes a series still going on (one that
    /// keeps repeating never finishes).
    #[test]
    fn refresh_writes_a_series_that_keeps_going() {
        let mut b = Broadcaster::default();
        let mut names = broadcaster_names();
        let mut t = 0;
        let mut written = vec![];
        // One occurrence a minute for 40 minutes, running the due ticks before each as the
        // cluster does.
        while t <= 40 * MINUTE {
            written.extend(b.tick(SimTime(t)));
            let _ = b.observe(sched("r", "m"), None, "a", SimTime(t), &mut names);
            t += MINUTE;
        }
        let counts: Vec<(i32, u64)> = written
            .iter()
            .filter_map(|e| {
                e.series
                    .map(|s| (s.count, s.last_observed.millis() / MINUTE))
            })
            .collect();
        assert_eq!(counts, vec![(30, 29)]);
        assert_eq!(b.next_write(), Some(SimTime(42 * MINUTE)));
    }

    /// A clock jump far past every tick writes what is due and leaves the cursors after it.
    #[test]
    fn a_long_jump_catches_up() {
        let mut b = Broadcaster::default();
        let mut names = broadcaster_names();
        for t in 0..3 {
            let _ = b.observe(sched("r", "m"), None, "a", SimTime(t), &mut names);
        }
        let written = b.tick(SimTime(1_000 * 60 * MINUTE));
        assert_eq!(written.len(), 1);
        assert!(b.cache.is_empty());
        assert_eq!(b.next_write(), None);
        assert!(b.next_finish > SimTime(1_000 * 60 * MINUTE));
    }

    #[test]
    fn only_the_scheduler_records_through_events_v1() {
        assert_eq!(v1_action("default-scheduler", "Scheduled"), Some("Binding"));
        assert_eq!(
            v1_action("default-scheduler", "FailedScheduling"),
            Some("Scheduling")
        );
        assert_eq!(v1_action("kubelet", "Pulled"), None);
        assert_eq!(v1_action("job-controller", "SuccessfulCreate"), None);
    }
}
