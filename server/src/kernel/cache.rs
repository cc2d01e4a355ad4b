//! Short-lived copies of heavy public reads (the map's outlines, the performance board), so a
//! crowd opening the same page does not recompute it for each visitor. An entry is used while it is
//! younger than its lifetime and no case has changed since it was made (`Cases::generation`).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Recent<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    ttl: Duration,
    capacity: usize,
}

struct Entry<V> {
    made: Instant,
    generation: u64,
    value: Arc<V>,
}

impl<K: Eq + Hash + Clone, V> Recent<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Recent<K, V> {
        Recent {
            entries: Mutex::new(HashMap::new()),
            ttl,
            capacity,
        }
    }

    /// The kept value for `key`, if still fresh at this generation of the data.
    pub fn get(&self, key: &K, generation: u64) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|e| e.generation == generation && e.made.elapsed() < self.ttl)
            .map(|e| e.value.clone())
    }

    /// Keeps `value` for `key`; the oldest entry goes when the cache is full.
    pub fn put(&self, key: K, generation: u64, value: V) -> Arc<V> {
        let value = Arc::new(value);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.made)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                entries.remove(&k);
            }
        }
        entries.insert(
            key,
            Entry {
                made: Instant::now(),
                generation,
                value: value.clone(),
            },
        );
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_with_age_and_with_a_new_generation_and_stay_bounded() {
        let c: Recent<u32, &str> = Recent::new(Duration::from_secs(60), 2);
        c.put(1, 0, "a");
        assert_eq!(c.get(&1, 0).as_deref(), Some(&"a"));
        assert_eq!(c.get(&1, 1), None, "data changed since");
        c.put(2, 0, "b");
        c.put(3, 0, "c");
        assert_eq!(c.get(&1, 0), None, "the oldest went");
        assert_eq!(c.get(&3, 0).as_deref(), Some(&"c"));
        let short: Recent<u32, &str> = Recent::new(Duration::ZERO, 2);
        short.put(1, 0, "a");
        assert_eq!(short.get(&1, 0), None, "expired");
    }
}
