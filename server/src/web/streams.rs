//! Places for live-update streams (server-sent events): a cap in total and per client address, so
//! one host cannot hold the server's sockets and tasks with thousands of idle streams. A slot is
//! freed when its stream ends (the page closed, the connection dropped, the server stopping).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Streams open at once in this process.
pub const MAX_STREAMS: usize = 5000;
/// Streams from one address (a family's phones, a few tabs; a carrier's shared address gets more).
pub const MAX_STREAMS_PER_ADDRESS: usize = 32;

#[derive(Clone, Default)]
pub struct StreamSlots {
    open: Arc<Mutex<Counts>>,
}

#[derive(Default)]
struct Counts {
    total: usize,
    by_address: HashMap<String, usize>,
}

/// A taken slot; dropping it gives it back.
pub struct Slot {
    open: Arc<Mutex<Counts>>,
    address: String,
}

impl StreamSlots {
    /// A slot for a stream from `address`, or `None` when either cap is reached.
    pub fn take(&self, address: &str) -> Option<Slot> {
        self.take_within(address, MAX_STREAMS, MAX_STREAMS_PER_ADDRESS)
    }

    fn take_within(&self, address: &str, total: usize, per_address: usize) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let mine = open.by_address.get(address).copied().unwrap_or(0);
        if open.total >= total || mine >= per_address {
            return None;
        }
        open.total += 1;
        open.by_address.insert(address.to_owned(), mine + 1);
        Some(Slot {
            open: self.open.clone(),
            address: address.to_owned(),
        })
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        self.open.lock().map(|o| o.total).unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_address_and_in_total_and_come_back() {
        let slots = StreamSlots::default();
        let a: Vec<Slot> = (0..3)
            .map(|_| slots.take_within("a", 5, 3).unwrap())
            .collect();
        assert!(slots.take_within("a", 5, 3).is_none(), "per address");
        let b1 = slots.take_within("b", 5, 3).unwrap();
        let _b2 = slots.take_within("b", 5, 3).unwrap();
        assert!(slots.take_within("c", 5, 3).is_none(), "in total");
        drop(b1);
        assert!(slots.take_within("c", 5, 3).is_some());
        drop(a);
        assert_eq!(slots.open(), 1);
    }
}
