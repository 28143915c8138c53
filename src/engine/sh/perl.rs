//! The one Perl program the Kubernetes docs run: the pi Job
//! (`perl -Mbignum=bpi -wle 'print bpi(2000)'`, kubernetes.io "Running an example Job").
//!
//! Perl's `bpi(N)` (Math::BigFloat) returns π rounded to N significant digits. This computes
//! the same digits with Machin's formula, π = 16·atan(1/5) − 4·atan(1/239), in fixed point with
//! base-10⁹ limbs and guard digits, so the Job's `kubectl logs` shows what the docs show.
//! Simplifications: only this command shape is recognised (any other Perl program stays an
//! unknown program); N is capped at [`MAX_DIGITS`] so one command cannot stall the page.

/// The largest `bpi(N)` computed; larger requests run as an unknown program.
pub const MAX_DIGITS: usize = 10_000;

/// How long the program runs where no run time is configured (restartPolicy Always).
pub const RUN_MS: u64 = 8_000;

const BASE: u64 = 1_000_000_000;

/// Recognises `perl … -Mbignum=bpi … -e 'print bpi(N)'` (flags may be bundled, as in `-wle`)
/// and returns what it prints: N significant digits of π, plus a newline with `-l`.
pub fn run(argv: &[String]) -> Option<String> {
    let program = argv.first()?.rsplit('/').next()?;
    if program != "perl" && !program.starts_with("perl5") {
        return None;
    }
    let mut bignum = false;
    let mut newline = false;
    let mut script = None;
    let mut args = argv.iter().skip(1);
    while let Some(a) = args.next() {
        let flags = a.strip_prefix('-')?;
        if let Some(module) = flags.strip_prefix('M') {
            bignum |= module.starts_with("bignum") && module.contains("bpi");
            continue;
        }
        for (i, f) in flags.char_indices() {
            match f {
                'w' => {}
                'l' => newline = true,
                'e' | 'E' => {
                    let rest = flags.get(i + 1..).unwrap_or_default();
                    script = if rest.is_empty() {
                        args.next().cloned()
                    } else {
                        Some(rest.to_string())
                    };
                    break;
                }
                _ => return None,
            }
        }
    }
    if !bignum {
        return None;
    }
    let n = parse_print_bpi(&script?)?;
    let mut out = bpi(n)?;
    if newline {
        out.push('\n');
    }
    Some(out)
}

/// `print bpi(2000)` (optionally with a trailing `;`) → 2000.
fn parse_print_bpi(script: &str) -> Option<usize> {
    let s = script.trim().trim_end_matches(';').trim_end();
    let inner = s
        .strip_prefix("print")?
        .trim_start()
        .strip_prefix("bpi(")?
        .strip_suffix(')')?
        .trim();
    inner.parse().ok()
}

/// π rounded to `n` significant digits, as `Math::BigFloat->bpi(n)` prints it.
pub fn bpi(n: usize) -> Option<String> {
    if n == 0 || n > MAX_DIGITS {
        return None;
    }
    if n == 1 {
        return Some("3".to_string());
    }
    // Decimal places computed: n - 1 wanted, plus guard digits for rounding and truncation.
    let places = n - 1 + 10;
    let limbs = places / 9 + 2;
    let mut pi = vec![0u64; limbs];
    add_atan_inv(&mut pi, 5, 16);
    sub_atan_inv(&mut pi, 239, 4);
    let mut digits = String::with_capacity(limbs * 9);
    for (i, limb) in pi.iter().enumerate() {
        if i == 0 {
            digits.push_str(&limb.to_string());
        } else {
            digits.push_str(&format!("{limb:09}"));
        }
    }
    // digits = "3" followed by decimals; round to n significant digits (half up: the guard
    // digits make a tie impossible at these lengths).
    let mut d: Vec<u8> = digits.bytes().take(n + 1).map(|b| b - b'0').collect();
    let round_up = d.pop().is_some_and(|last| last >= 5);
    if round_up {
        for x in d.iter_mut().rev() {
            if *x == 9 {
                *x = 0;
            } else {
                *x += 1;
                break;
            }
        }
    }
    let mut out = String::with_capacity(n + 1);
    for (i, x) in d.iter().enumerate() {
        if i == 1 {
            out.push('.');
        }
        out.push(char::from(b'0' + x));
    }
    Some(out)
}

/// Fixed-point number: limb 0 is the integer part, limbs 1.. are base-10⁹ fractions.
fn div_small(x: &mut [u64], d: u64) {
    let mut rem = 0u64;
    for limb in x.iter_mut() {
        let cur = rem * BASE + *limb;
        *limb = cur / d;
        rem = cur % d;
    }
}

fn add(acc: &mut [u64], t: &[u64]) {
    let mut carry = 0u64;
    for (a, b) in acc.iter_mut().zip(t).rev() {
        let s = *a + *b + carry;
        *a = s % BASE;
        carry = s / BASE;
    }
}

fn sub(acc: &mut [u64], t: &[u64]) {
    let mut borrow = 0u64;
    for (a, b) in acc.iter_mut().zip(t).rev() {
        let need = *b + borrow;
        if *a >= need {
            *a -= need;
            borrow = 0;
        } else {
            *a = *a + BASE - need;
            borrow = 1;
        }
    }
}

fn is_zero(x: &[u64]) -> bool {
    x.iter().all(|&l| l == 0)
}

/// acc += k·atan(1/x) = k·Σ (−1)^j / ((2j+1)·x^(2j+1)).
fn add_atan_inv(acc: &mut [u64], x: u64, k: u64) {
    atan_inv(acc, x, k, true);
}

/// acc −= k·atan(1/x).
fn sub_atan_inv(acc: &mut [u64], x: u64, k: u64) {
    atan_inv(acc, x, k, false);
}

fn atan_inv(acc: &mut [u64], x: u64, k: u64, positive: bool) {
    let mut power = vec![0u64; acc.len()];
    if let Some(first) = power.first_mut() {
        *first = k;
    }
    div_small(&mut power, x);
    let x2 = x * x;
    let mut term = vec![0u64; acc.len()];
    let mut j = 0u64;
    while !is_zero(&power) {
        term.copy_from_slice(&power);
        div_small(&mut term, 2 * j + 1);
        if j.is_multiple_of(2) == positive {
            add(acc, &term);
        } else {
            sub(acc, &term);
        }
        div_small(&mut power, x2);
        j += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn digits_of_pi() {
        struct Case {
            n: usize,
            want: &'static str,
        }
        let cases = [
            Case { n: 1, want: "3" },
            Case { n: 2, want: "3.1" },
            Case {
                n: 5,
                want: "3.1416",
            },
            Case {
                n: 10,
                want: "3.141592654",
            },
            Case {
                n: 50,
                want: "3.1415926535897932384626433832795028841971693993751",
            },
        ];
        for c in cases {
            assert_eq!(bpi(c.n).as_deref(), Some(c.want), "bpi({})", c.n);
        }
    }

    #[test]
    fn the_docs_pi_job_prints_2000_digits() {
        let out = run(&argv(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]));
        let out = out.unwrap_or_default();
        assert!(out.ends_with('\n'));
        let digits = out.trim_end();
        assert_eq!(digits.len(), 2001, "3, the point and 1,999 decimals");
        assert!(digits.starts_with("3.14159265358979323846264338327950288419716939937510"));
        // The tail as Perl's Math::BigFloat->bpi(2000) prints it.
        assert!(digits.ends_with("08658326459958133904780275901"));
        // And bpi(1000), whose last digit is rounded up (…2164201989|8…).
        let thousand = bpi(1000).unwrap_or_default();
        assert_eq!(thousand.len(), 1001);
        assert!(thousand.ends_with("13001927876611195909216420199"));
    }

    #[test]
    fn other_perl_programs_are_not_recognised() {
        let cases: [&[&str]; 6] = [
            &["perl", "-e", "print bpi(10)"],
            &["perl", "-Mbignum=bpi", "-e", "print 1+1"],
            &["perl", "-Mbignum=bpi", "script.pl"],
            &["python", "-Mbignum=bpi", "-e", "print bpi(10)"],
            &["perl", "-Mbignum=bpi", "-wle", "print bpi(100000)"],
            &["perl", "-Mbignum=bpi", "-x", "-e", "print bpi(10)"],
        ];
        for c in cases {
            assert_eq!(run(&argv(c)), None, "{c:?}");
        }
        assert_eq!(
            run(&argv(&[
                "/usr/bin/perl",
                "-Mbignum=bpi",
                "-we",
                "print bpi(3);"
            ]))
            .as_deref(),
            Some("3.14")
        );
    }
}
