//! A map kept as a sorted vector, for the model's small maps (a node's programs, cgroups and
//! hostnames, a player's labels, a file's container labels): each B-tree key and value type
//! cost the browser's download several kilobytes of code, a sorted vector a few hundred bytes.
//! Lookups are a binary search; an insert or removal moves the entries after it, which is cheap
//! for maps of a node's processes. The process table and the children lists, which a 128,000
//! process snapshot fills and empties, have structures of their own (`world::table`,
//! `children`).

/// Keys in order, each once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SortedMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|index| &self.0[index].1)
    }

    /// Sets `key` to `value`, returning the value it had.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(index) => Some(std::mem::replace(&mut self.0[index].1, value)),
            Err(index) => {
                self.0.insert(index, (key, value));
                None
            }
        }
    }

    /// Takes `key` out, returning its value.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|index| self.0.remove(index).1)
    }

    /// The entries, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(key, value)| (key, value))
    }

    /// Whether there are no keys.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// As a B-tree map collects: a key given twice keeps its last value.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut all: Vec<(K, V)> = entries.into_iter().collect();
        // Stable, so that equal keys stay in the order given.
        all.sort_by(|(a, _), (b, _)| a.cmp(b));
        let mut map: Vec<(K, V)> = Vec::with_capacity(all.len());
        for (key, value) in all {
            match map.last_mut() {
                Some(last) if last.0 == key => last.1 = value,
                _ => map.push((key, value)),
            }
        }
        SortedMap(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn it_behaves_as_a_btree_map_does() {
        // A fixed pseudo-random sequence of inserts and removals over a small key space.
        let mut sorted = SortedMap::default();
        let mut btree = BTreeMap::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for step in 0..5_000u32 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let key = (seed % 64) as u8;
            if seed & 0x100 == 0 {
                assert_eq!(sorted.insert(key, step), btree.insert(key, step));
            } else {
                assert_eq!(sorted.remove(&key), btree.remove(&key));
            }
            assert_eq!(sorted.get(&key), btree.get(&key));
            assert_eq!(sorted.is_empty(), btree.is_empty());
        }
        assert!(!btree.is_empty());
        assert!(sorted.iter().eq(btree.iter()));
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_key_given_twice() {
        let entries = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        let sorted: SortedMap<i32, char> = entries.into_iter().collect();
        let btree: BTreeMap<i32, char> = entries.into_iter().collect();
        assert_eq!(sorted.0, btree.into_iter().collect::<Vec<_>>());
        let mut extended = SortedMap::default();
        extended.extend(entries);
        assert_eq!(extended, sorted);
    }
}
