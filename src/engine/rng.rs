//! The one seeded random number generator of a simulated cluster. A named, portable PRNG
//! (ChaCha8) so that the same seed gives the same names natively and in wasm; `SmallRng`/`StdRng`
//! are documented as not reproducible across platforms.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// The alphabet the API server uses for generated name suffixes (apimachinery `util/rand`): no
/// vowels, no confusable characters.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// FNV-1a's offset basis: where [`fnv1a`] starts.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `bytes`, continuing from `h` (start from [`FNV_OFFSET`]): the engine's one stable
/// hash, the same on every run and platform (ids, name suffixes, lookup tables).
pub fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A seeded random source. Cloning it clones its state, so a snapshot replays identically.
#[derive(Debug, Clone)]
pub struct SimRng {
    inner: ChaCha8Rng,
}

impl SimRng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        SimRng {
            inner: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A uniformly distributed integer in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Rejection sampling avoids modulo bias.
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.inner.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        // 53 random bits, as rand does.
        (self.inner.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `n` characters from [`NAME_ALPHABET`], as `generateName` appends.
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                let idx = self.below(NAME_ALPHABET.len() as u64) as usize;
                char::from(NAME_ALPHABET.get(idx).copied().unwrap_or(b'x'))
            })
            .collect()
    }

    /// A random (version 4) UUID string, as the API server assigns to `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let a = self.inner.next_u64();
        let b = self.inner.next_u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a.to_be_bytes());
        bytes[8..].copy_from_slice(&b.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        // 8-4-4-4-12 lowercase hex digits.
        let mut out = String::with_capacity(36);
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            for nibble in [b >> 4, b & 0xf] {
                out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SimRng::new(7);
        let mut b = SimRng::new(7);
        assert_eq!(a.name_suffix(5), b.name_suffix(5));
        assert_eq!(a.uuid(), b.uuid());
        let mut c = SimRng::new(8);
        assert_ne!(SimRng::new(7).name_suffix(10), c.name_suffix(10));
    }

    #[test]
    fn suffix_uses_upstream_alphabet() {
        let mut r = SimRng::new(1);
        let s = r.name_suffix(200);
        assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)));
        let u = r.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u.chars().nth(14), Some('4'));
    }
}
