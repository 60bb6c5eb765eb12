//! The results kept for their downloads: each under a 128-bit random id (a caller cannot guess
//! another's), for [`KEEP_FOR`] after its last use, and no more than [`KEEP`] of them or
//! [`KEEP_BYTES`] in all, the least recently used dropped first.
//!
//! A kept result's bytes are on disk, not in memory: each in an anonymous temporary file (made
//! by `tempfile::tempfile`, unlinked at once, so the system removes it when the file is dropped
//! or the server ends, however it ends). A server left running keeps 24 results of a report
//! each ~0.8 MB; in memory they made the resident size grow by 40 % between its 10th and its
//! 1,000th render (issue 20), on disk it stays level and the page cache holds what is read.

use std::collections::VecDeque;
use std::fs::File;
use std::ops::Range;
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
    out: Arc<OnDisk>,
}

/// A result written to its temporary file: where each of its parts lies in it.
struct OnDisk {
    file: File,
    stem: String,
    pngs: Vec<Range<u64>>,
    pdf: Option<Range<u64>>,
    docx: Option<Range<u64>>,
    zip: Option<Range<u64>>,
    bytes: usize,
}

impl OnDisk {
    /// Write a result's parts one after another into a new anonymous temporary file.
    fn write(out: &Output) -> std::io::Result<OnDisk> {
        use std::io::Write;
        let mut file = std::io::BufWriter::new(tempfile::tempfile()?);
        let mut at = 0u64;
        let mut put = |b: &[u8]| -> std::io::Result<Range<u64>> {
            file.write_all(b)?;
            let r = at..at + b.len() as u64;
            at = r.end;
            Ok(r)
        };
        let pngs = out.pngs.iter().map(|b| put(b)).collect::<Result<_, _>>()?;
        let pdf = out.pdf.as_deref().map(&mut put).transpose()?;
        let docx = out.docx.as_deref().map(&mut put).transpose()?;
        let zip = out.zip.as_deref().map(&mut put).transpose()?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        Ok(OnDisk {
            file,
            stem: out.stem.clone(),
            pngs,
            pdf,
            docx,
            zip,
            bytes: out.bytes(),
        })
    }

    /// Read the result back.
    fn read(&self) -> std::io::Result<Output> {
        use std::os::unix::fs::FileExt;
        let part = |r: &Range<u64>| -> std::io::Result<Vec<u8>> {
            let mut b = vec![0; (r.end - r.start) as usize];
            self.file.read_exact_at(&mut b, r.start)?;
            Ok(b)
        };
        Ok(Output {
            stem: self.stem.clone(),
            pngs: self.pngs.iter().map(part).collect::<Result<_, _>>()?,
            pdf: self.pdf.as_ref().map(part).transpose()?,
            docx: self.docx.as_ref().map(part).transpose()?,
            zip: self.zip.as_ref().map(part).transpose()?,
        })
    }
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

    fn keep_at(&self, out: Output, now: Instant) -> String {
        let id = random_id();
        // Written before the lock is taken (other requests wait for no disk); a result that
        // cannot be written (a full disk) is answered but not kept, as one too large is.
        let on_disk = if out.bytes() <= KEEP_BYTES {
            OnDisk::write(&out).ok()
        } else {
            None
        };
        drop(out);
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.retain(|k| now.duration_since(k.used) < KEEP_FOR);
        if let Some(d) = on_disk {
            items.push_back(Kept {
                id: id.clone(),
                used: now,
                out: Arc::new(d),
            });
        }
        let mut total: usize = items.iter().map(|k| k.out.bytes).sum();
        while items.len() > KEEP || total > KEEP_BYTES {
            match items.pop_front() {
                Some(k) => total -= k.out.bytes,
                None => break,
            }
        }
        id
    }

    /// A result by its id, if still kept (and now the most recently used), read back from its
    /// file.
    pub fn get(&self, id: &str) -> Option<Output> {
        self.get_at(id, Instant::now())
    }

    fn get_at(&self, id: &str, now: Instant) -> Option<Output> {
        let on_disk = {
            let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
            items.retain(|k| now.duration_since(k.used) < KEEP_FOR);
            let at = items.iter().position(|k| k.id == id)?;
            let mut k = items.remove(at)?;
            k.used = now;
            let out = k.out.clone();
            items.push_back(k);
            out
        };
        // Read outside the lock: the file stays open while this holds it, even if the result
        // is dropped from the store meanwhile.
        on_disk.read().ok()
    }

    /// The bytes of the results kept (on disk).
    pub fn bytes(&self) -> usize {
        let items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.iter().map(|k| k.out.bytes).sum()
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
    fn a_kept_result_reads_back_whole_from_its_file() {
        let s = Store::default();
        let out = Output {
            stem: "报告".into(),
            pngs: vec![vec![1, 2, 3], vec![], vec![4; 5000]],
            pdf: Some(b"%PDF-1.7 ...".to_vec()),
            docx: None,
            zip: Some(vec![9; 70_000]),
        };
        let want = format!("{out:?}");
        let id = s.keep(out);
        assert_eq!(s.bytes(), 3 + 5000 + 12 + 70_000 + "报告".len());
        let back = s.get(&id).expect("kept");
        assert_eq!(format!("{back:?}"), want);
        // Read again: a download does not consume it.
        assert_eq!(format!("{:?}", s.get(&id).unwrap()), want);
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
