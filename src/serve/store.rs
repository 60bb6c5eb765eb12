//! The results kept for their downloads: each under a 128-bit random id (a caller cannot guess
//! another's), for [`KEEP_FOR`] after its last use, and no more than [`KEEP`] of them or
//! [`KEEP_BYTES`] in all, the least recently used dropped first.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::work::Output;

/// How many results are kept in memory for their downloads, at most.
pub const KEEP: usize = 24;

/// The bytes of all results kept, at most (PNG pages, PDF, DOCX, zip): 256 MB. One upload
/// used to keep 70 MB, 24 of them 1.7 GB (issue 19). A result larger than this alone is
/// answered but not kept (its downloads say it is gone).
pub const KEEP_BYTES: usize = 256 << 20;

/// How long a result is kept after it was made or last downloaded: 30 minutes, long enough
/// to read the pages and download, short enough that a forgotten tab frees its memory.
pub const KEEP_FOR: Duration = Duration::from_secs(30 * 60);

struct Kept {
    id: String,
    used: Instant,
    out: Arc<Output>,
}

/// The kept results, least recently used first.
#[derive(Default)]
pub struct Store {
    items: Mutex<VecDeque<Kept>>,
}

/// 128 random bits as 32 hex digits (from the system's generator).
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // No system generator: a guessable id would be a hole, so none is made that could be
        // guessed from the outside (time and address mixed through the std hasher's random
        // keys).
        use std::hash::{BuildHasher, Hasher};
        for half in b.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(Instant::now().elapsed().as_nanos());
            h.write_usize(half.as_ptr() as usize);
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Store {
    /// Keep a result under a new id; returns the id (kept or not: a result larger than
    /// [`KEEP_BYTES`] alone is not).
    pub fn keep(&self, out: Output) -> String {
        self.keep_at(out, Instant::now())
    }

    fn keep_at(&self, mut out: Output, now: Instant) -> String {
        // Kept for minutes beside other requests' work: as many bytes as it holds, no more.
        out.compact();
        let id = random_id();
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.retain(|k| now.duration_since(k.used) < KEEP_FOR);
        if out.bytes() <= KEEP_BYTES {
            items.push_back(Kept {
                id: id.clone(),
                used: now,
                out: Arc::new(out),
            });
        }
        let mut total: usize = items.iter().map(|k| k.out.bytes()).sum();
        while items.len() > KEEP || total > KEEP_BYTES {
            match items.pop_front() {
                Some(k) => total -= k.out.bytes(),
                None => break,
            }
        }
        id
    }

    /// A result by its id, if still kept (and now the most recently used).
    pub fn get(&self, id: &str) -> Option<Arc<Output>> {
        self.get_at(id, Instant::now())
    }

    fn get_at(&self, id: &str, now: Instant) -> Option<Arc<Output>> {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.retain(|k| now.duration_since(k.used) < KEEP_FOR);
        let at = items.iter().position(|k| k.id == id)?;
        let mut k = items.remove(at)?;
        k.used = now;
        let out = k.out.clone();
        items.push_back(k);
        Some(out)
    }

    /// The bytes of the results kept.
    pub fn bytes(&self) -> usize {
        let items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.iter().map(|k| k.out.bytes()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(n: usize) -> Output {
        Output {
            pdf: Some(vec![0; n]),
            ..Output::default()
        }
    }

    #[test]
    fn ids_are_random_and_long() {
        let a = random_id();
        let b = random_id();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn kept_by_bytes_least_recently_used_first() {
        let s = Store::default();
        let big = KEEP_BYTES / 3;
        let a = s.keep(sized(big));
        let b = s.keep(sized(big));
        let c = s.keep(sized(big));
        // `a` is used again: `b` is now the oldest.
        assert!(s.get(&a).is_some());
        let d = s.keep(sized(big));
        assert!(s.get(&b).is_none(), "the least recently used goes first");
        assert!(s.get(&a).is_some() && s.get(&c).is_some() && s.get(&d).is_some());
        assert!(s.bytes() <= KEEP_BYTES);
        // Too large alone: answered, not kept.
        let e = s.keep(sized(KEEP_BYTES + 1));
        assert!(s.get(&e).is_none());
        assert!(s.bytes() <= KEEP_BYTES);
    }

    #[test]
    fn results_expire_after_their_last_use() {
        let s = Store::default();
        let t0 = Instant::now();
        let a = s.keep_at(sized(10), t0);
        let b = s.keep_at(sized(10), t0);
        // `a` is used near the end of its time: kept on; `b` is not.
        let later = t0 + KEEP_FOR - Duration::from_secs(1);
        assert!(s.get_at(&a, later).is_some());
        let end = t0 + KEEP_FOR + Duration::from_secs(1);
        assert!(s.get_at(&b, end).is_none());
        assert!(s.get_at(&a, end).is_some());
        assert!(s.get_at(&a, end + KEEP_FOR).is_none());
        assert_eq!(s.bytes(), 0);
    }

    #[test]
    fn kept_by_count() {
        let s = Store::default();
        let ids: Vec<String> = (0..KEEP + 5).map(|_| s.keep(sized(10))).collect();
        assert!(s.get(&ids[0]).is_none());
        assert!(s.get(&ids[KEEP + 4]).is_some());
    }
}
