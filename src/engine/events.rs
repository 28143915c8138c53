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
//! Simplifications: upstream's caches are LRUs of 4,096 entries; these keep every key (a
//! playground's clusters are small, and eviction would only make old counts restart). Go's
//! `sets.String.PopAny` drops an arbitrary remembered message once the threshold is reached; this
//! drops the smallest, so runs stay deterministic.

use crate::engine::clock::SimTime;
use crate::engine::controller::EventRecord;
use crate::engine::store::LookupMap;

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
}
