//! Kubernetes `resource.Quantity`: parsing, arithmetic, comparison and canonical formatting.
//!
//! Mirrors `k8s.io/apimachinery/pkg/api/resource` (`quantity.go` `ParseQuantity` /
//! `parseQuantityString`, `suffix.go`, `CanonicalizeBytes`) with these simplifications:
//! - The value is an exact integer number of milli-units (`i128`). Anything finer than `1m` is
//!   rounded up away from zero (upstream keeps nano precision internally but documents that
//!   "0.1m will be rounded up to 1m"); so `100n` canonicalises to `1m`.
//! - Values whose magnitude exceeds 2^63-1 units are rejected with upstream's
//!   `ErrNumericOutOfRange` text (upstream caps binary values silently and lets decimal ones grow
//!   unboundedly).
//! - Canonical form keeps the format family of the parsed suffix (binary `Ki…Ei`, decimal SI
//!   `n…E`, or `e<N>` exponent); binary values below 1024 or with a fractional part fall back to
//!   decimal SI, as upstream does. Sums take the left operand's format (the right one's when the
//!   left is zero), like upstream `Add`.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::str::FromStr;

/// Largest accepted magnitude, in milli-units: (2^63 - 1) units.
const MAX_MILLI: i128 = (i64::MAX as i128) * 1000;

/// Why a string is not a quantity (texts of upstream's `ErrFormatWrong`, `ErrSuffix`,
/// `ErrNumericOutOfRange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// The text does not have the shape `<number><suffix>`.
    #[error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
    Format,
    /// The suffix is not one of the known SI/binary suffixes or a valid exponent.
    #[error("unable to parse quantity's suffix")]
    Suffix,
    /// The number is too large to be represented.
    #[error("unable to parse quantity's numeric value")]
    OutOfRange,
}

/// The notation family a quantity was written in (upstream `resource.Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Decimal SI suffixes: `m`, ``, `k`, `M`, `G`, …
    #[default]
    DecimalSi,
    /// Binary SI suffixes: `Ki`, `Mi`, `Gi`, …
    BinarySi,
    /// Decimal exponent: `1e3`, `5e-3`.
    DecimalExponent,
}

/// A resource quantity stored as an exact number of milli-units.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quantity {
    milli: i128,
    format: Format,
}

impl Quantity {
    /// Parses upstream's string forms (`100m`, `0.5`, `2Gi`, `1e3`, `1k`, `+1M`).
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        let parts = split(s)?;
        let (base, exp, format) = interpret_suffix(parts.suffix).ok_or(QuantityError::Suffix)?;
        let mut digits: String = parts.num.to_string();
        digits.push_str(parts.denom);
        let digits = digits.trim_start_matches('0');
        let frac = i64::try_from(parts.denom.len()).map_err(|_| QuantityError::OutOfRange)?;
        let magnitude = if digits.is_empty() {
            0
        } else if base == 10 {
            // milli = digits * 10^(3 + exp - frac)
            let p = exp
                .checked_add(3)
                .and_then(|v| v.checked_sub(frac))
                .ok_or(QuantityError::OutOfRange)?;
            shift_decimal(digits, p, 1)?
        } else {
            let p = 3 - frac;
            let factor = 1i128
                .checked_shl(u32::try_from(exp).map_err(|_| QuantityError::Suffix)?)
                .ok_or(QuantityError::OutOfRange)?;
            shift_decimal(digits, p, factor)?
        };
        if magnitude > MAX_MILLI {
            return Err(QuantityError::OutOfRange);
        }
        Ok(Quantity {
            milli: if parts.negative {
                -magnitude
            } else {
                magnitude
            },
            format,
        })
    }

    /// A quantity of `milli` thousandths of a unit in the given notation.
    pub fn from_milli(milli: i128, format: Format) -> Quantity {
        Quantity { milli, format }
    }

    /// A whole number of units in the given notation.
    pub fn from_units(units: i64, format: Format) -> Quantity {
        Quantity {
            milli: i128::from(units) * 1000,
            format,
        }
    }

    /// Parses a `k8s-openapi` quantity (a string newtype).
    pub fn from_k8s(
        q: &k8s_openapi::apimachinery::pkg::api::resource::Quantity,
    ) -> Result<Quantity, QuantityError> {
        Quantity::parse(&q.0)
    }

    /// The canonical string wrapped as a `k8s-openapi` quantity.
    pub fn to_k8s(&self) -> k8s_openapi::apimachinery::pkg::api::resource::Quantity {
        k8s_openapi::apimachinery::pkg::api::resource::Quantity(self.to_string())
    }

    /// The exact value in milli-units (upstream `MilliValue`).
    pub fn milli_value(&self) -> i128 {
        self.milli
    }

    /// The value in whole units, rounded up away from zero (upstream `Value`).
    pub fn value(&self) -> i128 {
        let whole = self.milli / 1000;
        if self.milli % 1000 == 0 {
            whole
        } else if self.milli > 0 {
            whole + 1
        } else {
            whole - 1
        }
    }

    /// The notation family used for formatting.
    pub fn format(&self) -> Format {
        self.format
    }

    /// True when the value is zero.
    pub fn is_zero(&self) -> bool {
        self.milli == 0
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.milli == other.milli
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.milli.cmp(&other.milli)
    }
}

impl Add for Quantity {
    type Output = Quantity;
    fn add(self, rhs: Quantity) -> Quantity {
        let format = if self.milli == 0 {
            rhs.format
        } else {
            self.format
        };
        Quantity {
            milli: self.milli.saturating_add(rhs.milli),
            format,
        }
    }
}

impl AddAssign for Quantity {
    fn add_assign(&mut self, rhs: Quantity) {
        *self = *self + rhs;
    }
}

impl Sub for Quantity {
    type Output = Quantity;
    fn sub(self, rhs: Quantity) -> Quantity {
        let format = if self.milli == 0 {
            rhs.format
        } else {
            self.format
        };
        Quantity {
            milli: self.milli.saturating_sub(rhs.milli),
            format,
        }
    }
}

impl SubAssign for Quantity {
    fn sub_assign(&mut self, rhs: Quantity) {
        *self = *self - rhs;
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.milli == 0 {
            return f.write_str("0");
        }
        let sign = if self.milli < 0 { "-" } else { "" };
        let abs = self.milli.unsigned_abs();
        let mut format = self.format;
        if format == Format::BinarySi && (abs < 1_024_000 || !abs.is_multiple_of(1000)) {
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let mut units = abs / 1000;
            let mut exp = 0usize;
            while units.is_multiple_of(1024) && exp < 6 {
                units /= 1024;
                exp += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .get(exp)
                .copied()
                .unwrap_or("");
            return write!(f, "{sign}{units}{suffix}");
        }
        // Decimal: mantissa * 10^exp, exp a multiple of 3 in [-3, 18].
        let mut mantissa = abs;
        let mut exp: i32 = -3;
        while mantissa.is_multiple_of(1000) && exp < 18 {
            mantissa /= 1000;
            exp += 3;
        }
        if format == Format::DecimalExponent {
            if exp == 0 {
                return write!(f, "{sign}{mantissa}");
            }
            return write!(f, "{sign}{mantissa}e{exp}");
        }
        let suffix = match exp {
            -3 => "m",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => "",
        };
        write!(f, "{sign}{mantissa}{suffix}")
    }
}

/// `part / whole * 100` truncated, computed in floating point exactly like kubectl's
/// `describe node` "Allocated resources" column; 0 when `whole` is zero.
pub fn percent(part: &Quantity, whole: &Quantity) -> i64 {
    if whole.milli == 0 {
        return 0;
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let pct = (part.milli as f64 / whole.milli as f64 * 100.0) as i64;
    pct
}

struct Parts<'a> {
    negative: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// Upstream `parseQuantityString`: sign, integer digits, optional `.` fraction, suffix.
fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::Format);
    }
    let mut rest = s;
    let mut negative = false;
    if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    } else if let Some(r) = rest.strip_prefix('-') {
        negative = true;
        rest = r;
    }
    let num_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (num, mut rest) = rest.split_at(num_len);
    let mut denom = "";
    if let Some(r) = rest.strip_prefix('.') {
        let len = r.bytes().take_while(u8::is_ascii_digit).count();
        let (d, r) = r.split_at(len);
        denom = d;
        rest = r;
    }
    if num.is_empty() && denom.is_empty() && !s.contains('.') {
        return Err(QuantityError::Format);
    }
    let suffix = rest;
    let letters = rest
        .bytes()
        .take_while(|b| b"eEinumkKMGTP".contains(b))
        .count();
    let mut tail = rest.get(letters..).unwrap_or("");
    if let Some(t) = tail.strip_prefix(['+', '-']) {
        tail = t;
    }
    if !tail.bytes().all(|b| b.is_ascii_digit()) {
        return Err(QuantityError::Format);
    }
    Ok(Parts {
        negative,
        num,
        denom,
        suffix,
    })
}

/// Upstream `suffixer.interpret`: (base, exponent, format).
fn interpret_suffix(s: &str) -> Option<(u32, i64, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSi));
    let binary = |e| Some((2, e, Format::BinarySi));
    match s {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let exp = s.strip_prefix(['e', 'E'])?;
            let exp = exp.parse::<i64>().ok()?;
            Some((10, exp, Format::DecimalExponent))
        }
    }
}

/// `ceil_away_from_zero(digits * 10^p) * factor`, with `digits` a non-empty string of ASCII
/// digits without leading zeros; errors when the result cannot be represented.
fn shift_decimal(digits: &str, p: i64, factor: i128) -> Result<i128, QuantityError> {
    if p >= 0 {
        // Far more digits than i128 holds: certainly out of range.
        if (digits.len() as i64).saturating_add(p) > 40 {
            return Err(QuantityError::OutOfRange);
        }
        let mut v = parse_digits(digits)?;
        for _ in 0..p {
            v = v.checked_mul(10).ok_or(QuantityError::OutOfRange)?;
        }
        return v.checked_mul(factor).ok_or(QuantityError::OutOfRange);
    }
    let q = usize::try_from(p.unsigned_abs()).unwrap_or(usize::MAX);
    if factor == 1 {
        let (int_part, frac_part) = if digits.len() > q {
            digits.split_at(digits.len() - q)
        } else {
            ("", digits)
        };
        let mut v = if int_part.is_empty() {
            0
        } else {
            if int_part.len() > 38 {
                return Err(QuantityError::OutOfRange);
            }
            parse_digits(int_part)?
        };
        if frac_part.bytes().any(|b| b != b'0') {
            v = v.checked_add(1).ok_or(QuantityError::OutOfRange)?;
        }
        return Ok(v);
    }
    // Binary with a fraction: (digits * factor) / 10^q rounded up.
    if digits.len() > 38 {
        return Err(QuantityError::OutOfRange);
    }
    let n = parse_digits(digits)?
        .checked_mul(factor)
        .ok_or(QuantityError::OutOfRange)?;
    let mut div: i128 = 1;
    for _ in 0..q {
        match div.checked_mul(10) {
            Some(d) => div = d,
            // 10^q exceeds anything representable: the result is in (0, 1).
            None => return Ok(1),
        }
    }
    let whole = n / div;
    Ok(if n % div == 0 { whole } else { whole + 1 })
}

fn parse_digits(digits: &str) -> Result<i128, QuantityError> {
    digits
        .parse::<i128>()
        .map_err(|_| QuantityError::OutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        input: &'static str,
        /// Canonical form, or the error text.
        expect: &'static str,
        /// Expected milli-value (ignored for errors).
        milli: i128,
    }

    fn check(case: &Case) {
        match Quantity::parse(case.input) {
            Ok(q) => {
                assert_eq!(q.to_string(), case.expect, "format of {:?}", case.input);
                assert_eq!(q.milli_value(), case.milli, "milli of {:?}", case.input);
            }
            Err(e) => assert_eq!(e.to_string(), case.expect, "error of {:?}", case.input),
        }
    }

    const FORMAT_ERR: &str = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    #[test]
    fn parse_and_format() {
        let cases = [
            Case {
                input: "100m",
                expect: "100m",
                milli: 100,
            },
            Case {
                input: "0.5",
                expect: "500m",
                milli: 500,
            },
            Case {
                input: ".5",
                expect: "500m",
                milli: 500,
            },
            Case {
                input: "1",
                expect: "1",
                milli: 1000,
            },
            Case {
                input: "1000m",
                expect: "1",
                milli: 1000,
            },
            Case {
                input: "1500m",
                expect: "1500m",
                milli: 1500,
            },
            Case {
                input: "2Gi",
                expect: "2Gi",
                milli: 2 * 1024 * 1024 * 1024 * 1000,
            },
            Case {
                input: "512Mi",
                expect: "512Mi",
                milli: 512 * 1024 * 1024 * 1000,
            },
            Case {
                input: "1024Mi",
                expect: "1Gi",
                milli: 1024 * 1024 * 1024 * 1000,
            },
            Case {
                input: "1.5Gi",
                expect: "1536Mi",
                milli: 1536 * 1024 * 1024 * 1000,
            },
            Case {
                input: "0.5Ki",
                expect: "512",
                milli: 512_000,
            },
            Case {
                input: "1e3",
                expect: "1e3",
                milli: 1_000_000,
            },
            Case {
                input: "1E3",
                expect: "1e3",
                milli: 1_000_000,
            },
            Case {
                input: "5e-3",
                expect: "5e-3",
                milli: 5,
            },
            Case {
                input: "1k",
                expect: "1k",
                milli: 1_000_000,
            },
            Case {
                input: "1M",
                expect: "1M",
                milli: 1_000_000_000,
            },
            Case {
                input: "1500000",
                expect: "1500k",
                milli: 1_500_000_000,
            },
            Case {
                input: "1.5k",
                expect: "1500",
                milli: 1_500_000,
            },
            Case {
                input: "1E",
                expect: "1E",
                milli: 1_000_000_000_000_000_000_000,
            },
            Case {
                input: "100n",
                expect: "1m",
                milli: 1,
            },
            Case {
                input: "1u",
                expect: "1m",
                milli: 1,
            },
            Case {
                input: "0.0001",
                expect: "1m",
                milli: 1,
            },
            Case {
                input: "-1.5",
                expect: "-1500m",
                milli: -1500,
            },
            Case {
                input: "+2",
                expect: "2",
                milli: 2000,
            },
            Case {
                input: "0",
                expect: "0",
                milli: 0,
            },
            Case {
                input: "0Gi",
                expect: "0",
                milli: 0,
            },
            Case {
                input: "000123",
                expect: "123",
                milli: 123_000,
            },
            Case {
                input: "0e1000",
                expect: "0",
                milli: 0,
            },
            Case {
                input: "1e-1000",
                expect: "1e-3",
                milli: 1,
            },
            Case {
                input: "",
                expect: FORMAT_ERR,
                milli: 0,
            },
            Case {
                input: "abc",
                expect: FORMAT_ERR,
                milli: 0,
            },
            Case {
                input: "1.2.3",
                expect: FORMAT_ERR,
                milli: 0,
            },
            Case {
                input: "1 ",
                expect: FORMAT_ERR,
                milli: 0,
            },
            Case {
                input: "1Gi ",
                expect: FORMAT_ERR,
                milli: 0,
            },
            Case {
                input: "1m3",
                expect: "unable to parse quantity's suffix",
                milli: 0,
            },
            Case {
                input: "1KI",
                expect: FORMAT_ERR,
                milli: 0,
            },
            Case {
                input: "1e",
                expect: "unable to parse quantity's suffix",
                milli: 0,
            },
            Case {
                input: "1e99999999999999999999",
                expect: "unable to parse quantity's suffix",
                milli: 0,
            },
            Case {
                input: "1e1000",
                expect: "unable to parse quantity's numeric value",
                milli: 0,
            },
            Case {
                input: "99999999999999999999999999999999999999999999",
                expect: "unable to parse quantity's numeric value",
                milli: 0,
            },
            Case {
                input: "8Ei",
                expect: "unable to parse quantity's numeric value",
                milli: 0,
            },
            Case {
                input: "9223372036854775807",
                expect: "9223372036854775807",
                milli: 9_223_372_036_854_775_807_000,
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn arithmetic_and_comparison() {
        struct Op {
            a: &'static str,
            b: &'static str,
            sum: &'static str,
            diff: &'static str,
            order: Ordering,
        }
        let ops = [
            Op {
                a: "100m",
                b: "200m",
                sum: "300m",
                diff: "-100m",
                order: Ordering::Less,
            },
            Op {
                a: "1Gi",
                b: "512Mi",
                sum: "1536Mi",
                diff: "512Mi",
                order: Ordering::Greater,
            },
            Op {
                a: "500m",
                b: "500m",
                sum: "1",
                diff: "0",
                order: Ordering::Equal,
            },
            Op {
                a: "0",
                b: "1Gi",
                sum: "1Gi",
                diff: "-1Gi",
                order: Ordering::Less,
            },
            Op {
                a: "1",
                b: "1000m",
                sum: "2",
                diff: "0",
                order: Ordering::Equal,
            },
            Op {
                a: "1Gi",
                b: "1073741824",
                sum: "2Gi",
                diff: "0",
                order: Ordering::Equal,
            },
        ];
        for op in &ops {
            let (Ok(a), Ok(b)) = (Quantity::parse(op.a), Quantity::parse(op.b)) else {
                panic!("unparsable operands {} {}", op.a, op.b);
            };
            assert_eq!((a + b).to_string(), op.sum, "{} + {}", op.a, op.b);
            assert_eq!((a - b).to_string(), op.diff, "{} - {}", op.a, op.b);
            assert_eq!(a.cmp(&b), op.order, "{} cmp {}", op.a, op.b);
        }
        let mut total = Quantity::default();
        for s in ["250m", "250m", "250m"] {
            total += Quantity::parse(s).unwrap_or_default();
        }
        assert_eq!(total.to_string(), "750m");
        assert_eq!(Quantity::parse("1500m").map(|q| q.value()), Ok(2));
        assert_eq!(Quantity::parse("-1500m").map(|q| q.value()), Ok(-2));
        assert_eq!(Quantity::parse("2").map(|q| q.value()), Ok(2));
    }

    #[test]
    fn percentages() {
        let cases = [
            ("750m", "2", 37),
            ("29", "100", 28),
            ("0", "0", 0),
            ("1", "1", 100),
            ("200Mi", "1Gi", 19),
        ];
        for (part, whole, want) in cases {
            let p = Quantity::parse(part).unwrap_or_default();
            let w = Quantity::parse(whole).unwrap_or_default();
            assert_eq!(percent(&p, &w), want, "{part} of {whole}");
        }
    }
}
