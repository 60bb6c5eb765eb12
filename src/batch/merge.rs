//! `--merge all.pdf`: every row's document in one PDF, in row order, for printing a whole batch
//! double-sided.
//!
//! Owns: the order (rows finish out of order on the workers; pages wait here until every row
//! before them is in), the blank page after a document with an odd number of pages, so that
//! each document starts on the front of a sheet (GB/T 9704 prints 公文 double-sided: 5.2, 7.5),
//! a bookmark per document, and writing the file. The pages are the rows' own layouts, drawn
//! again by [`crate::export::pdf::Writer`] (page numbers stay each document's own); fonts are
//! embedded once for all documents that share a layout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::manifest::{Entry, Status};
use super::prepare::Lay;
use super::run::Progress;
use crate::error::Error;
use crate::export::pdf::Writer;
use crate::page::Paged;

/// A row's pages waiting for the rows before it.
struct Doc {
    name: String,
    paged: Paged,
    lay: Arc<Lay>,
}

/// The merged PDF being written.
pub struct Merger {
    path: PathBuf,
    writer: Writer,
    /// The next row (by its place in the source) to go in.
    next: usize,
    waiting: BTreeMap<usize, Result<Doc, String>>,
    docs: usize,
    /// Rows not in the merged PDF (failed, or laid out with an error): their labels.
    left_out: Vec<String>,
    /// The layouts (and fonts) of the documents in it, kept alive while their fonts are keys.
    books: Vec<Arc<Lay>>,
    error: Option<Error>,
}

/// Where `--merge PATH` writes: a bare file name (`all.pdf`) goes into the output folder, a
/// path with a folder (`print/all.pdf`) is taken as it is.
pub(super) fn target(path: &Path, out_dir: &Path) -> Result<PathBuf, Error> {
    let bare = path.parent().is_none_or(|p| p.as_os_str().is_empty());
    let path = if bare {
        out_dir.join(path)
    } else {
        path.to_path_buf()
    };
    if path.file_name().is_none() || path.is_dir() {
        return Err(Error::io(&path, "--merge needs a file name")
            .hint("e.g. --merge all.pdf (written into the output folder)"));
    }
    Ok(path)
}

/// The merged PDF's bytes, made on the collector thread (a PDF being written cannot move
/// between threads), written by [`Merged::write`] once the run is known to be whole.
pub(super) struct Merged {
    path: PathBuf,
    bytes: Result<Vec<u8>, Error>,
    docs: usize,
    pages: usize,
    left_out: Vec<String>,
}

impl Merged {
    /// Write the file: (its path, documents, pages).
    pub(super) fn write(self, progress: &dyn Progress) -> Result<(PathBuf, usize, usize), Error> {
        let bytes = self.bytes?;
        if !self.left_out.is_empty() {
            let n = self.left_out.len();
            let shown: Vec<&str> = self.left_out.iter().take(5).map(String::as_str).collect();
            progress.message(&format!(
                "warning: {}: leaves out {n} row{} that failed ({}{})",
                self.path.display(),
                if n == 1 { "" } else { "s" },
                shown.join(", "),
                if n > 5 { ", …" } else { "" }
            ));
        }
        if self.docs == 0 {
            return Err(Error::io(&self.path, "no document to merge")
                .hint("every row failed: see the errors above"));
        }
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        crate::write_all(&dir, &[(self.path.clone(), bytes)])?;
        Ok((self.path, self.docs, self.pages))
    }
}

impl Merger {
    /// A merged PDF for [`target`]'s path.
    pub(super) fn new(path: PathBuf, compress: crate::export::pdf::Compress) -> Merger {
        Merger {
            path,
            writer: Writer::with_compression(compress),
            next: 0,
            waiting: BTreeMap::new(),
            docs: 0,
            left_out: Vec::new(),
            books: Vec::new(),
            error: None,
        }
    }

    /// Row `seq` is done: its pages (`None`: it failed) go in once every row before it has.
    pub(super) fn add(&mut self, seq: usize, entry: &Entry, paged: Option<(Paged, Arc<Lay>)>) {
        let doc = match paged {
            Some((paged, lay)) if entry.status != Status::Failed => Ok(Doc {
                name: entry.name.clone().unwrap_or_else(|| entry.label.clone()),
                paged,
                lay,
            }),
            _ => Err(entry.label.clone()),
        };
        self.waiting.insert(seq, doc);
        while let Some(doc) = self.waiting.remove(&self.next) {
            self.next += 1;
            self.put(doc);
        }
    }

    fn put(&mut self, doc: Result<Doc, String>) {
        let doc = match doc {
            Ok(doc) => doc,
            Err(label) => return self.left_out.push(label),
        };
        if self.error.is_some() {
            return;
        }
        let book = Arc::as_ptr(&doc.lay) as usize;
        if !self.books.iter().any(|b| Arc::as_ptr(b) as usize == book) {
            self.books.push(doc.lay.clone());
        }
        let added = self
            .writer
            .add(&doc.paged, &doc.lay.fonts, book, Some(&doc.name))
            .and_then(|_| {
                // An odd-length document gets a blank back, so the next starts on a front.
                match doc.paged.pages.last() {
                    Some(last) if doc.paged.pages.len() % 2 == 1 => {
                        self.writer.blank(last.width, last.height)
                    }
                    _ => Ok(()),
                }
            });
        match added {
            Ok(()) => self.docs += 1,
            Err(e) => self.error = Some(e),
        }
    }

    /// The PDF's bytes, every row in.
    pub(super) fn finish(mut self) -> Merged {
        // Rows the source never sent (it broke half-way) leave gaps: take the rest in order.
        for doc in std::mem::take(&mut self.waiting).into_values() {
            self.put(doc);
        }
        let pages = self.writer.pages();
        let title = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match self.error {
            Some(e) => Err(e),
            None => self.writer.finish(&title),
        };
        Merged {
            path: self.path,
            bytes,
            docs: self.docs,
            pages,
            left_out: self.left_out,
        }
    }
}
