//! One shared instantiation of the standard library's sort for the whole crate: every
//! `sort_by`/`sort_by_key`/`sort_unstable` call site otherwise compiles its own copy of the sort
//! (~3.5 KB of wasm each), and the page's size is a budget. These sort the indices through one
//! `dyn` comparator, then move the elements into place: stable, the same order as
//! `slice::sort_by`, at the cost of one index vector. Hot paths that sort thousands of items
//! every step keep the standard sort.

use std::cmp::Ordering;

/// `slice::sort_by` (stable, same order) through one shared instantiation of the standard
/// library's sort: every `sort_by` call site otherwise compiles its own copy (~3.5 KB of wasm
/// each). Sorts the indices, then moves the elements into place.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    // Nothing to order (the DaemonSet controller sorts each node's one pod): no allocation.
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        sorted_indices(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                _ => Ordering::Equal,
            },
        )
    };
    permute(order, &mut |i, j| v.swap(i, j));
}

/// `slice::sort` through [`sort_by`].
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The indices `0..n` stably sorted by `cmp`.
fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

/// Moves element `order[k]` to position `k` with `swap`s, following each cycle once.
fn permute(order: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    // dest[i]: where the element now at i belongs.
    let mut dest = vec![0; order.len()];
    for (k, i) in order.into_iter().enumerate() {
        if let Some(d) = dest.get_mut(i) {
            *d = k;
        }
    }
    for i in 0..dest.len() {
        while let Some(&j) = dest.get(i) {
            if j == i {
                break;
            }
            swap(i, j);
            dest.swap(i, j);
        }
    }
}

/// `slice::sort_by_key` through [`sort_by`].
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `slice::sort_by_cached_key`: each key computed once.
pub fn sort_by_cached_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    if v.len() < 2 {
        return;
    }
    let keys: Vec<K> = v.iter().map(key).collect();
    let order = sorted_indices(keys.len(), &mut |a, b| match (keys.get(a), keys.get(b)) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => Ordering::Equal,
    });
    permute(order, &mut |i, j| v.swap(i, j));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_stays_stable() {
        let data: Vec<(u8, u32)> = (0..200u32).map(|i| (((i * 7919) % 13) as u8, i)).collect();
        let mut ours = data.clone();
        sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
        let mut std = data.clone();
        std.sort_by_key(|a| a.0);
        assert_eq!(ours, std);
        let mut keyed = data.clone();
        sort_by_key(&mut keyed, |x| x.0);
        assert_eq!(keyed, std);
        let mut cached = data.clone();
        sort_by_cached_key(&mut cached, |x| x.0);
        assert_eq!(cached, std);
        let mut plain = data;
        sort(&mut plain);
        let mut want = plain.clone();
        want.sort();
        assert_eq!(plain, want);
        let mut empty: Vec<u8> = vec![];
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}
