//! The simulated clock. The engine never reads a wall clock: time is a number of milliseconds since
//! a fixed start instant, moved only by [`crate::engine::Cluster`]'s `step`, `advance` and
//! `run_until_idle`. Timestamps print as RFC 3339 from [`EPOCH_UNIX_SECONDS`].

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;

/// Unix seconds of simulated time zero: 2026-03-02T09:00:00Z. Any fixed instant would do; a fixed
/// one makes every transcript byte-identical.
pub const EPOCH_UNIX_SECONDS: i64 = 1_772_442_000;

/// An instant of simulated time, in milliseconds since the simulation started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// A simulated duration in milliseconds.
pub type Millis = u64;

/// One second in [`Millis`].
pub const SECOND: Millis = 1_000;
/// One minute in [`Millis`].
pub const MINUTE: Millis = 60 * SECOND;

impl SimTime {
    /// Simulated time zero.
    pub const ZERO: SimTime = SimTime(0);

    /// Milliseconds since the start.
    pub fn millis(self) -> u64 {
        self.0
    }

    /// This instant plus `ms` (saturating).
    pub fn plus(self, ms: Millis) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }

    /// Milliseconds from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> Millis {
        self.0.saturating_sub(earlier.0)
    }

    /// The instant as a Kubernetes `metav1.Time` (second precision on the wire, as the API server).
    pub fn to_k8s(self) -> Time {
        let ms = EPOCH_UNIX_SECONDS
            .saturating_mul(1000)
            .saturating_add(i64::try_from(self.0).unwrap_or(i64::MAX / 2));
        Time(Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH))
    }

    /// Converts a `metav1.Time` back to simulated time; instants before the start map to zero.
    pub fn from_k8s(t: &Time) -> SimTime {
        let ms = t.0.as_millisecond() - EPOCH_UNIX_SECONDS * 1000;
        SimTime(u64::try_from(ms).unwrap_or(0))
    }

    /// RFC 3339 with second precision, as kubectl prints timestamps (`2026-03-02T09:00:05Z`).
    pub fn rfc3339(self) -> String {
        let secs = EPOCH_UNIX_SECONDS.saturating_add(i64::try_from(self.0 / 1000).unwrap_or(0));
        match Timestamp::from_second(secs) {
            Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            Err(_) => String::from("1970-01-01T00:00:00Z"),
        }
    }
}

impl SimTime {
    /// RFC 3339 with a fixed nine-digit fraction, as the kubelet stamps log lines
    /// (`RFC3339NanoFixed`: `2026-03-02T09:00:05.500000000Z`).
    pub fn rfc3339_nano_fixed(self) -> String {
        let base = self.rfc3339();
        let stem = base.strip_suffix('Z').unwrap_or(&base);
        format!("{stem}.{:03}000000Z", self.0 % 1000)
    }
}

/// Parses a duration as kubectl and `sim advance` accept it: `90s`, `5m`, `1h30m`, `250ms`, `2d`,
/// or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Millis, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(String::from("invalid duration \"\""));
    }
    if let Ok(n) = s.parse::<u64>() {
        return n
            .checked_mul(SECOND)
            .ok_or_else(|| format!("invalid duration \"{s}\": too large"));
    }
    let mut total: u64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!("invalid duration \"{s}\""));
        }
        let (num, tail) = rest.split_at(digits);
        let value: f64 = num
            .parse()
            .map_err(|_| format!("invalid duration \"{s}\""))?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let factor = match unit {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            "" => return Err(format!("missing unit in duration \"{s}\"")),
            _ => return Err(format!("unknown unit \"{unit}\" in duration \"{s}\"")),
        };
        let ms = value * factor;
        if !ms.is_finite() || ms > 1e15 {
            return Err(format!("invalid duration \"{s}\": too large"));
        }
        // The cast is in range: checked just above.
        total = total.saturating_add(ms.round() as u64);
        rest = tail;
    }
    Ok(total)
}

/// Formats an age the way kubectl does (`duration.HumanDuration`): `0s`, `45s`, `5m12s`, `3h`,
/// `2d4h`, `400d`.
pub fn human_duration(ms: Millis) -> String {
    let secs = ms / 1000;
    if secs < 60 * 2 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        let d = hours / 24;
        return if h == 0 {
            format!("{d}d")
        } else {
            format!("{d}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let d = hours / 24;
        let y = d / 365;
        let dy = d % 365;
        return if dy == 0 {
            format!("{y}y")
        } else {
            format!("{y}y{dy}d")
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_matches_kubectl() {
        let cases: &[(Millis, &str)] = &[
            (0, "0s"),
            (45_000, "45s"),
            (119_000, "119s"),
            (120_000, "2m"),
            (312_000, "5m12s"),
            (10 * MINUTE, "10m"),
            (179 * MINUTE, "179m"),
            (3 * 60 * MINUTE, "3h"),
            (7 * 60 * MINUTE + 30 * MINUTE, "7h30m"),
            (47 * 60 * MINUTE, "47h"),
            (52 * 60 * MINUTE, "2d4h"),
            (400 * 24 * 60 * MINUTE, "400d"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(*ms), *want, "for {ms} ms");
        }
    }

    #[test]
    fn parse_duration_accepts_kubectl_forms() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("10"), Ok(10_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
    }

    #[test]
    fn timestamps_are_rfc3339_from_the_fixed_epoch() {
        assert_eq!(SimTime(0).rfc3339(), "2026-03-02T09:00:00Z");
        assert_eq!(SimTime(65_500).rfc3339(), "2026-03-02T09:01:05Z");
        let t = SimTime(12_000);
        assert_eq!(SimTime::from_k8s(&t.to_k8s()), t);
    }
}
