//! CSV files read as a stream of rows: the encoding decided from the first megabyte (UTF-8,
//! UTF-16 or UTF-8 with a byte-order mark, GBK/GB18030; anything else refused), decoded as the
//! csv reader asks for bytes, line breaks of every kind (`\r\n`, `\n`, a lone `\r`) made `\n`,
//! rows numbered as Excel shows them, and a quote left open refused with its line.

use std::cell::RefCell;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use encoding_rs::{Decoder, DecoderResult, Encoding};
use serde_json::Value;

use super::formats::check_size;
use super::source::{HeaderCheck, Sink, SourceOptions};
use super::table::{CellValue, Rows, unix_breaks};
use crate::error::Error;
use crate::read::encoding::SAVE_AS;

/// How much of a file decides its encoding (held until the reader has passed it).
const SAMPLE: usize = 1 << 20;

pub(super) fn csv_rows(
    path: &Path,
    opts: &SourceOptions,
    check: &mut HeaderCheck,
    f: &mut Sink,
) -> Result<(), Error> {
    check_size(path, &opts.limits)?;
    let file_name = path.display().to_string();
    let mut file = File::open(path).map_err(|e| Error::io(path, format!("cannot read ({e})")))?;
    let mut sample = Vec::new();
    (&mut file)
        .take(SAMPLE as u64)
        .read_to_end(&mut sample)
        .map_err(|e| Error::io(path, format!("cannot read ({e})")))?;
    let whole = sample.len() < SAMPLE;
    let encoding = crate::read::encoding::sniff(&sample, whole, path)?;
    let tape = Rc::new(RefCell::new(Tape::default()));
    let input = Decode {
        file: file_name.clone(),
        inner: std::io::Cursor::new(sample).chain(file),
        decoder: encoding.new_decoder_with_bom_removal(),
        encoding,
        raw: vec![0; 64 << 10],
        raw_len: 0,
        raw_pos: 0,
        raw_offset: 0,
        eof: false,
        done: false,
        after_cr: false,
        out: Vec::new(),
        out_pos: 0,
        tape: tape.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut rows = Rows::new(
        file_name.clone(),
        opts.header_row,
        opts.limits.max_rows,
        check,
        f,
    );
    let mut record = csv::StringRecord::new();
    // Excel numbers rows, not lines: a quoted cell of three lines is one row, and a blank line
    // is a row. So a row's number is the line its first byte is on, less the line breaks inside
    // the cells of the rows before it.
    let mut breaks_in_cells = 0;
    let mut any = false;
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            tape.borrow_mut().error.take().unwrap_or_else(|| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                Error::at(&file_name, line, 0, format!("invalid CSV ({e})"))
            })
        })?;
        if !more {
            break;
        }
        any = true;
        let start = record.position().map_or(0, |p| p.byte());
        let line = tape.borrow_mut().advance(start);
        // A quote left open makes the rest of the file one cell: the last row then ends at the
        // end of the input inside a quoted cell.
        if reader.position().byte() == tape.borrow().delivered
            && let Some(at) = open_quote(&tape.borrow().bytes)
        {
            let t = tape.borrow();
            let line = t.lines + t.bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(Error::at(
                &file_name,
                line,
                0,
                "a quote opens a cell here and is never closed",
            )
            .hint("close the cell's quote (a quote inside a quoted cell is written twice: \"\")"));
        }
        let row = line.saturating_sub(breaks_in_cells);
        breaks_in_cells += record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
        let cells = record
            .iter()
            .map(|c| {
                if c.is_empty() {
                    CellValue::Empty
                } else {
                    CellValue::Value(Value::String(unix_breaks(c)))
                }
            })
            .collect();
        rows.push(row, cells)?;
    }
    if !any {
        return Err(Error::io(path, "the file is empty"));
    }
    rows.finish().map_err(|e| {
        if e.message == "the table is empty" {
            Error::io(path, "the file is empty")
        } else {
            e
        }
    })
}

/// The decoded text between the start of the row being read and what the csv reader has
/// taken, shared between [`Decode`] (which appends) and the row loop (which numbers rows and
/// looks for an open quote, then lets go of what lies before the next row).
#[derive(Default)]
struct Tape {
    /// Offset in the decoded text of `bytes[0]`.
    base: u64,
    bytes: Vec<u8>,
    /// Line breaks before `base`.
    lines: usize,
    /// Decoded bytes handed to the csv reader so far.
    delivered: u64,
    /// The decoding error, in words (the csv reader only keeps an I/O error's kind).
    error: Option<Error>,
}

impl Tape {
    /// A row was read from offset `start` (the end of the row before; blank lines may
    /// follow): its 1-based line. The tape lets go of what lies before the row.
    fn advance(&mut self, start: u64) -> usize {
        let mut at = (start.saturating_sub(self.base) as usize).min(self.bytes.len());
        while self.bytes.get(at) == Some(&b'\n') {
            at += 1;
        }
        self.lines += self.bytes[..at].iter().filter(|&&b| b == b'\n').count();
        self.bytes.drain(..at);
        self.base += at as u64;
        self.lines + 1
    }
}

/// Where a quote opened in `row` (the text of the last row, to the end of the file) is never
/// closed, read as the csv reader reads: a quote opens a cell only as its first character, a
/// doubled quote inside is one quote, and the next lone quote closes it.
fn open_quote(row: &[u8]) -> Option<usize> {
    let (mut open, mut cell_start, mut i) = (None, true, 0);
    while i < row.len() {
        let b = row[i];
        if open.is_some() {
            if b == b'"' {
                if row.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open = None;
                }
            }
        } else if cell_start && b == b'"' {
            open = Some(i);
            cell_start = false;
        } else {
            cell_start = b == b',' || b == b'\n';
        }
        i += 1;
    }
    open
}

/// A reader of a file's text as UTF-8 with `\n` line breaks, decoded as it is read.
struct Decode<R> {
    /// The file's name, for the error.
    file: String,
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    raw: Vec<u8>,
    raw_len: usize,
    raw_pos: usize,
    /// File offset of `raw[0]`.
    raw_offset: u64,
    eof: bool,
    done: bool,
    /// The last byte handed out was a `\r` made `\n`: a `\n` right after it is dropped.
    after_cr: bool,
    out: Vec<u8>,
    out_pos: usize,
    tape: Rc<RefCell<Tape>>,
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                let mut tape = self.tape.borrow_mut();
                tape.bytes.extend_from_slice(&buf[..n]);
                tape.delivered += n as u64;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.raw_pos == self.raw_len && !self.eof {
                self.raw_offset += self.raw_len as u64;
                self.raw_len = self.inner.read(&mut self.raw)?;
                self.raw_pos = 0;
                self.eof = self.raw_len == 0;
            }
            let mut text = [0u8; 16 << 10];
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_pos..self.raw_len],
                &mut text,
                self.eof,
            );
            self.raw_pos += read;
            self.out.clear();
            self.out_pos = 0;
            for &b in &text[..written] {
                match b {
                    b'\r' => {
                        self.out.push(b'\n');
                        self.after_cr = true;
                    }
                    b'\n' if self.after_cr => self.after_cr = false,
                    _ => {
                        self.out.push(b);
                        self.after_cr = false;
                    }
                }
            }
            match result {
                DecoderResult::Malformed(bad, after) => {
                    let offset = self.raw_offset + self.raw_pos as u64 - bad as u64 - after as u64;
                    let tape = self.tape.borrow();
                    let line = tape.lines
                        + tape
                            .bytes
                            .iter()
                            .chain(&self.out)
                            .filter(|&&b| b == b'\n')
                            .count()
                        + 1;
                    drop(tape);
                    let e = Error::at(
                        &self.file,
                        line,
                        0,
                        format!(
                            "bytes that are not {} text (at byte offset {offset})",
                            name(self.encoding)
                        ),
                    )
                    .hint(SAVE_AS);
                    self.tape.borrow_mut().error = Some(e);
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "undecodable text",
                    ));
                }
                DecoderResult::InputEmpty if self.eof => self.done = true,
                _ => {}
            }
        }
    }
}

/// An encoding as users know it.
fn name(enc: &'static Encoding) -> &'static str {
    if enc == encoding_rs::GB18030 {
        "GBK/GB18030"
    } else {
        enc.name()
    }
}
