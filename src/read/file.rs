//! Files from disk, bounded: an input (a draft, a Word file, a data file) of at most
//! `--max-input-mb`, refused before reading when it is a folder, a device, a FIFO or a socket,
//! or when it looks like a binary format; and a layout or template file of at most
//! [`MAX_SOURCE_BYTES`], opened so that a FIFO put in its place cannot hang the program.

use std::path::Path;

use super::{docx, encoding};
use crate::error::{Error, Warned, Warning};

/// The largest input read unless `--max-input-mb` says otherwise, in MB.
pub const DEFAULT_MAX_INPUT_MB: u64 = 50;

/// Read and decode an input file of at most `max_mb` MB (a `.docx` through [`super::docx`]:
/// its text, one paragraph or table row a line), with what reading noticed (a Word draft's
/// hidden text left out, say); a missing, empty, too large or non-file input is an error.
pub fn input(input: &Path, max_mb: u64) -> Result<Warned<String>, Error> {
    let bytes = read_limited(input, max_mb)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(
            Error::io(input, "the file is empty").hint("the first non-empty line is the title")
        );
    }
    if docx::is_docx(input) {
        return docx::read(&bytes, input);
    }
    if let Some(kind) = binary_kind(&bytes) {
        return Err(
            Error::io(input, format!("is not a text file: it looks like {kind}")).hint(
                "render a plain-text report (.txt), a Word draft (.docx) or a data file (.yaml, .json, .toml)",
            ),
        );
    }
    encoding::decode(&bytes, &input.display().to_string()).map(Warned::new)
}

/// As [`input`], the text alone (what reading noticed is dropped).
pub fn read_input(path: &Path, max_mb: u64) -> Result<String, Error> {
    input(path, max_mb).map(|read| read.value)
}

/// As [`input`], what reading noticed added to `warnings` (for callers that gather several
/// stages' warnings in one list).
pub fn read_input_warned(
    path: &Path,
    max_mb: u64,
    warnings: &mut Vec<Warning>,
) -> Result<String, Error> {
    input(path, max_mb).map(|read| read.take(warnings))
}

/// What a file that is not text looks like, from its first bytes: a known format's signature,
/// else many NUL bytes near the start (binary formats are full of them; text has none but for
/// UTF-16, which starts with its byte-order mark, and a stray one or two, which the reader drops
/// with a warning). Decoding such a file would only turn it into a page of mojibake.
pub(crate) fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (
            b"PK\x03\x04",
            "a zip archive (a .docx or .xlsx saved under another name?)",
        ),
        (b"\xd0\xcf\x11\xe0", "an old Office file (.doc, .xls)"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(kind);
    }
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    (!utf16 && nuls > 2 && nuls * 100 >= head.len()).then_some("a binary file (it holds NUL bytes)")
}

/// The bytes of a regular file of at most `max_mb` MB. A folder, a device (`/dev/zero`), a FIFO
/// or a socket is refused before reading (reading one may never end), and the read stops at the
/// limit even when the file grows meanwhile.
pub fn read_limited(input: &Path, max_mb: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => format!("cannot read ({e})"),
        };
        Error::io(input, why)
    };
    let meta = std::fs::metadata(input).map_err(cannot)?;
    if meta.is_dir() {
        return Err(Error::io(input, "is a directory, not a file")
            .hint("name a text file: gongwen render report.txt"));
    }
    if !meta.is_file() {
        return Err(
            Error::io(input, "is not a regular file (a device, pipe or socket)")
                .hint("save the text to a file and name that file"),
        );
    }
    let max = max_mb.saturating_mul(1 << 20);
    let too_big = || {
        Error::io(
            input,
            format!(
                "the file is {:.1} MB, more than the {max_mb} MB limit",
                meta.len() as f64 / (1 << 20) as f64
            ),
        )
        .hint(format!(
            "pass --max-input-mb {} to read it",
            (meta.len() >> 20) + 1
        ))
    };
    if meta.len() > max {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(input)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// The largest layout or template file read, in bytes (1 MiB). The bundled ones are under
/// 20 KB; a file much larger is not one (a log, a dump, a disk image named by mistake or by a
/// data file), and reading it whole would only cost memory before the parser refuses it.
pub const MAX_SOURCE_BYTES: u64 = 1 << 20;

/// The text of a layout or template file — a regular file of at most [`MAX_SOURCE_BYTES`].
/// A folder, a device (`/dev/zero`), a FIFO or a socket is refused before it is read, and the
/// file is opened without blocking and looked at again once open, so a FIFO put in its place
/// meanwhile cannot hang the program (issue 19). The errors read as `read_to_string`'s do, for
/// the callers' `cannot read layout file (…)`.
pub fn read_source(path: &Path) -> std::io::Result<String> {
    use std::io::{Error as IoError, ErrorKind, Read};
    let not_file = |meta: &std::fs::Metadata| {
        let why = if meta.is_dir() {
            "it is a folder, not a file"
        } else {
            "it is a device, pipe or socket, not a regular file"
        };
        IoError::new(ErrorKind::InvalidInput, why)
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_file(&meta));
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    let file = open.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_file(&meta));
    }
    let too_big = |len: u64| {
        IoError::new(
            ErrorKind::InvalidInput,
            format!(
                "it is {:.1} MB, more than the {} MB a layout or template may be",
                len as f64 / (1 << 20) as f64,
                MAX_SOURCE_BYTES >> 20
            ),
        )
    };
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes)
        .map_err(|_| IoError::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
}
