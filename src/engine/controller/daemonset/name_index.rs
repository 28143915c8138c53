//! A name → position lookup built once per sync: an open-addressing hash table (FNV-1a, linear
//! probing) over a copy of the names packed in one buffer. A sync looks up the target node of
//! every daemon pod; a binary search over the nodes' own name strings would touch a dozen
//! scattered allocations per lookup, this touches a couple of cache lines. Only lookups, never
//! iteration, so no order can leak out.

use std::ops::Range;

/// Positions of names, looked up by name.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    /// Every name, back to back.
    arena: String,
    /// Where each position's name is in `arena`.
    spans: Vec<Range<usize>>,
    /// Each position's hash.
    hashes: Vec<u64>,
    /// The table: 0 is empty, else position + 1.
    slots: Vec<usize>,
}

fn fnv1a64(s: &str) -> u64 {
    crate::engine::rng::fnv1a(crate::engine::rng::FNV_OFFSET, s.as_bytes())
}

impl NameIndex {
    /// Indexes `names` by their position. With duplicates, the first one wins.
    pub fn new<'n>(names: impl Iterator<Item = &'n str>) -> Self {
        let mut index = NameIndex::default();
        for name in names {
            let start = index.arena.len();
            index.arena.push_str(name);
            index.spans.push(start..index.arena.len());
            index.hashes.push(fnv1a64(name));
        }
        let size = (index.spans.len() * 2).next_power_of_two().max(8);
        index.slots = vec![0; size];
        let mask = size - 1;
        for (pos, &h) in index.hashes.iter().enumerate() {
            // The table is at least twice as large as the names: a free slot always exists.
            let mut i = usize::try_from(h).unwrap_or(usize::MAX) & mask;
            while let Some(slot) = index.slots.get_mut(i) {
                if *slot == 0 {
                    *slot = pos + 1;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        index
    }

    /// The position of `name`, if it was indexed.
    pub fn get(&self, name: &str) -> Option<usize> {
        let h = fnv1a64(name);
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = usize::try_from(h).unwrap_or(usize::MAX) & mask;
        loop {
            let pos = self.slots.get(i)?.checked_sub(1)?;
            if self.hashes.get(pos) == Some(&h)
                && self.spans.get(pos).and_then(|r| self.arena.get(r.clone())) == Some(name)
            {
                return Some(pos);
            }
            i = (i + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NameIndex;

    #[test]
    fn finds_every_name_and_nothing_else() {
        let names: Vec<String> = (0..1000).map(|i| format!("node-{i:05}")).collect();
        let index = NameIndex::new(names.iter().map(String::as_str));
        for (i, n) in names.iter().enumerate() {
            assert_eq!(index.get(n), Some(i));
        }
        assert_eq!(index.get("node-01000"), None);
        assert_eq!(index.get(""), None);
        let empty = NameIndex::new(std::iter::empty());
        assert_eq!(empty.get("a"), None);
        let dup = NameIndex::new(["a", "b", "a"].into_iter());
        assert_eq!(dup.get("a"), Some(0));
        assert_eq!(dup.get("b"), Some(1));
    }
}
