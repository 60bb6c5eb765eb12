//! A Word package (`.docx`, a zip) read safely: each part's uncompressed size capped
//! ([`MAX_PART`]) and the bytes of all parts read together ([`MAX_PACKAGE`]) against zip bombs
//! and parts referenced many times; each part's XML parsed with a node budget
//! ([`MAX_XML_NODES`]) and its element nesting measured ([`MAX_XML_DEPTH`]) before anything
//! walks it, so no recursive walk can overflow the stack. Errors name the part and, for XML,
//! the line and column inside it.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use roxmltree::{Document as Xml, ParsingOptions};

use crate::error::Error;

/// The largest uncompressed part (`word/document.xml`, a footer …) read: 50 MB. A 1,000-page
/// report's main part is a few MB; anything larger is a zip bomb or not a draft.
pub const MAX_PART: u64 = 50 * 1024 * 1024;

/// The most bytes read, uncompressed, from one package over all its parts: 100 MB. A part
/// named by many references (6,000 footers pointing at one part) is read once, but distinct
/// parts each up to [`MAX_PART`] would otherwise add up without end.
pub const MAX_PACKAGE: u64 = 100 * 1024 * 1024;

/// The deepest element nesting read in any part: 256 levels. Word's own files nest about 10
/// levels, 4 more per table inside a table and some 20 for a text box; every walk of a part
/// that recurses is bounded by this, so 10,000 nested elements (1 KB zipped) are an error,
/// not a stack overflow.
pub const MAX_XML_DEPTH: usize = 256;

/// The most XML nodes (elements, text) in one part: 4,000,000 — a 100,000-paragraph draft
/// ([`super::MAX_PARAGRAPHS`]) with some 40 nodes each (an estimate, not measured on real
/// files). Each node takes some 80 bytes once parsed, so this caps a part's tree near 320 MB
/// however small its zip.
pub const MAX_XML_NODES: u32 = 4_000_000;

const SAVE_AGAIN: &str = "open it in Word or WPS and save it again as Word 文档 (*.docx)";

/// Why bytes that are not a zip cannot be read, naming what they look like.
pub(crate) fn not_a_package(bytes: &[u8], path: &Path) -> Error {
    let what = if bytes.starts_with(b"\x89PNG") {
        "a PNG image"
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        "a JPEG image"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF file"
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Error::io(path, "an old Word 97-2003 (.doc) file renamed .docx")
            .hint("open it in Word or WPS and save it as Word 文档 (*.docx)");
    } else if bytes.starts_with(b"{\\rtf") {
        "an RTF file"
    } else if bytes.starts_with(b"PK") {
        return Error::io(path, "not a Word document: the zip archive is damaged").hint(SAVE_AGAIN);
    } else {
        "not a zip archive"
    };
    let message = if what.starts_with("not") {
        format!("not a Word document ({what})")
    } else {
        format!("not a Word document: the file is {what} named .docx")
    };
    Error::io(path, message)
        .hint("give a .docx saved by Word or WPS (Word 文档), or a plain-text draft (.txt)")
}

/// An open Word package: its parts read on demand, counted against [`MAX_PACKAGE`].
pub(crate) struct Package<'b> {
    zip: zip::ZipArchive<Cursor<&'b [u8]>>,
    path: PathBuf,
    /// Uncompressed bytes read so far.
    read: u64,
}

impl<'b> Package<'b> {
    /// A Word package and its main part (`word/document.xml`); anything else is an error
    /// saying what the file is instead.
    pub(crate) fn open(bytes: &'b [u8], path: &Path) -> Result<(Package<'b>, String), Error> {
        let zip =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_package(bytes, path))?;
        let mut pkg = Package {
            zip,
            path: path.to_path_buf(),
            read: 0,
        };
        let document = pkg.part("word/document.xml")?.ok_or_else(|| {
            Error::io(
                path,
                "not a Word document: the package has no word/document.xml",
            )
            .hint("open it in Word or WPS and save it as Word 文档 (*.docx)")
        })?;
        Ok((pkg, document))
    }

    /// One part as text, `None` when absent; larger than [`MAX_PART`], or past
    /// [`MAX_PACKAGE`] with what was read before, is an error. Callers read each part once.
    pub(crate) fn part(&mut self, name: &str) -> Result<Option<String>, Error> {
        let path = &self.path;
        let file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(Error::io(path, format!("cannot read {name} ({e})")).hint(SAVE_AGAIN));
            }
        };
        let too_big = || {
            Error::io(
                path,
                format!(
                    "{name} is larger than {} MB uncompressed",
                    MAX_PART / 1024 / 1024
                ),
            )
            .hint("a draft's text is far smaller; split the document, or save it again from Word")
        };
        let too_much = || {
            Error::io(
                path,
                format!(
                    "the package's parts add up to more than {} MB uncompressed (at {name})",
                    MAX_PACKAGE / 1024 / 1024
                ),
            )
            .hint("a draft's text is far smaller; split the document, or save it again from Word")
        };
        if file.size() > MAX_PART {
            return Err(too_big());
        }
        let left = MAX_PACKAGE - self.read;
        if file.size() > left {
            return Err(too_much());
        }
        // The size in the header can lie: read at most one byte past the cap.
        let cap = MAX_PART.min(left);
        let mut bytes = Vec::new();
        file.take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, format!("cannot read {name} ({e})")).hint(SAVE_AGAIN))?;
        if bytes.len() as u64 > cap {
            return Err(if cap == MAX_PART {
                too_big()
            } else {
                too_much()
            });
        }
        self.read += bytes.len() as u64;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::io(path, format!("{name} is not UTF-8 text")).hint(SAVE_AGAIN))?;
        Ok(Some(text))
    }
}

/// Parse one part, refusing nesting deeper than [`MAX_XML_DEPTH`] (located in the part, line
/// and column) before the parser sees it — the parser itself recurses per level — and more
/// than [`MAX_XML_NODES`] nodes.
pub(crate) fn parse_xml<'a>(xml: &'a str, path: &Path, name: &str) -> Result<Xml<'a>, Error> {
    if let Some(at) = too_deep(xml.as_bytes()) {
        let (line, col) = crate::error::line_col(xml, at);
        return Err(Error::io(
            path,
            format!(
                "{name}, line {line}, column {col}: elements nested more than {MAX_XML_DEPTH} deep"
            ),
        )
        .hint(super::MADE_NOT_SAVED));
    }
    let opts = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
    };
    Xml::parse_with_options(xml, opts).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => Error::io(
            path,
            format!("{name} holds more than {MAX_XML_NODES} XML nodes"),
        )
        .hint("a draft's text is far smaller; split the document, or save it again from Word"),
        e => Error::io(path, format!("{name} is not well-formed XML ({e})")).hint(SAVE_AGAIN),
    })
}

/// Where (byte offset of its `<`) the first start tag deeper than [`MAX_XML_DEPTH`] is, in one
/// pass over the text: tags counted, comments, CDATA, processing instructions and declarations
/// skipped, quoted attribute values (which may hold `>`) stepped over. Malformed text is left
/// to the parser to refuse.
fn too_deep(xml: &[u8]) -> Option<usize> {
    let find = |from: usize, pat: &[u8]| {
        xml.get(from..)
            .and_then(|rest| rest.windows(pat.len()).position(|w| w == pat))
            .map(|i| from + i + pat.len())
    };
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(lt) = xml.get(i..).and_then(|r| r.iter().position(|&b| b == b'<')) {
        let start = i + lt;
        let rest = &xml[start..];
        i = if rest.starts_with(b"<!--") {
            find(start + 4, b"-->")?
        } else if rest.starts_with(b"<![CDATA[") {
            find(start + 9, b"]]>")?
        } else if rest.starts_with(b"<?") {
            find(start + 2, b"?>")?
        } else if rest.starts_with(b"<!") {
            find(start + 2, b">")?
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            find(start + 2, b">")?
        } else {
            // A start tag: to its `>` outside quotes; `/>` closes it at once.
            let mut j = start + 1;
            let mut quote = None;
            loop {
                let &b = xml.get(j)?;
                match (quote, b) {
                    (None, b'"' | b'\'') => quote = Some(b),
                    (Some(q), _) if b == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if xml[j - 1] != b'/' {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Some(start);
                }
            }
            j + 1
        };
    }
    None
}
