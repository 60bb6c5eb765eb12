//! gongwen patch (vendor/README.md): per-glyph work kept across subsets of one font.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Work done for a font's glyphs, kept by the caller (one per font, shared by every subset
/// of it, from any thread) so that each glyph's work is done once per process, not once per
/// subset. Today: each CFF glyph's desubroutinized charstring, by its id in the original font.
#[derive(Debug, Default)]
pub struct GlyphCache {
    charstrings: Mutex<HashMap<u16, Arc<[u8]>>>,
}

impl GlyphCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached programs of `gids`, in order; `None` where not cached yet. One lock per
    /// subset, not per glyph.
    pub(crate) fn charstrings(&self, gids: &[u16]) -> Vec<Option<Arc<[u8]>>> {
        let map = self.charstrings.lock().unwrap_or_else(|e| e.into_inner());
        gids.iter().map(|g| map.get(g).cloned()).collect()
    }

    /// Keep programs made by a subset.
    pub(crate) fn put_charstrings(&self, made: Vec<(u16, Arc<[u8]>)>) {
        if made.is_empty() {
            return;
        }
        let mut map = self.charstrings.lock().unwrap_or_else(|e| e.into_inner());
        map.extend(made);
    }
}
