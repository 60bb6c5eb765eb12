//! Word files in: a `.docx` draft → the plain text [`crate::plaintext::parse`] reads (issue 8,
//! item 4). Only the text is read, never the formatting.
//!
//! Owns: opening the package (a zip, with `word/document.xml` capped at [`MAX_PART`] bytes
//! uncompressed against zip bombs), telling a renamed PNG/PDF/old `.doc` apart from a damaged
//! file, and walking the body:
//!
//! - each `w:p` is one line: its runs' `w:t` joined, `w:tab` → a tab, `w:br` (text wrapping) and
//!   `w:cr` → a new line; page and column breaks are dropped;
//! - automatic numbering (`w:numPr` on the paragraph) is lost in text, so it is put back as a
//!   prefix when every level it shows is `chineseCounting`, `chineseCountingThousand`,
//!   `decimal` or `decimalFullWidth` (一、 / （一） / 1. from `numbering.xml`'s `w:lvlText`);
//!   other formats (bullets, letters, roman) and numbering that comes from a paragraph style
//!   are left out;
//! - each `w:tbl` is one line per row, its cells separated by tabs (a cell's paragraphs joined
//!   with a space; a cell continuing a vertical merge and the columns a `w:gridSpan` covers are
//!   empty cells), the form the table reader of `plaintext` takes;
//! - deleted text (`w:del`, `w:moveFrom`) is dropped, inserted text (`w:ins`, `w:moveTo`) kept;
//!   content controls, hyperlinks, smart tags and simple fields are read through;
//! - headers, footers, comments, footnotes and text boxes are other parts (or drawings) and are
//!   not read.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use roxmltree::{Document as Xml, Node};

use crate::error::Error;

/// The largest uncompressed `word/document.xml` (or `word/numbering.xml`) read: 50 MB.
pub const MAX_PART: u64 = 50 * 1024 * 1024;

pub(crate) const W_NS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// Whether a path names a Word file this module reads (`.docx`, any case).
pub fn is_docx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// The text of a Word document's body, one paragraph (or table row) a line. `path` is for
/// messages.
pub fn text(bytes: &[u8], path: &Path) -> Result<String, Error> {
    let (mut zip, document) = open(bytes, path)?;
    let numbering = part(&mut zip, "word/numbering.xml", path)?;
    let doc = parse_xml(&document, path, "word/document.xml")?;
    let numbering = match &numbering {
        Some(xml) => {
            let n = parse_xml(xml, path, "word/numbering.xml")?;
            Numbering::read(&n)
        }
        None => Numbering::default(),
    };
    let body = doc
        .root_element()
        .children()
        .find(|n| is_w(n, "body"))
        .ok_or_else(|| {
            Error::io(path, "not a Word document: word/document.xml has no w:body")
                .hint("open it in Word or WPS and save it as Word 文档 (*.docx)")
        })?;
    let mut reader = Reader {
        numbering,
        counters: HashMap::new(),
        lines: Vec::new(),
    };
    reader.blocks(body);
    let text = reader.lines.join("\n");
    if text.trim().is_empty() {
        return Err(Error::io(path, "the Word document holds no text")
            .hint("the first non-empty paragraph is the title"));
    }
    Ok(text)
}

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
        return Error::io(path, "not a Word document: the zip archive is damaged")
            .hint("open it in Word or WPS and save it again as Word 文档 (*.docx)");
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

/// A Word package and its main part (`word/document.xml`); anything else is an error saying
/// what the file is instead.
pub(crate) fn open<'b>(
    bytes: &'b [u8],
    path: &Path,
) -> Result<(zip::ZipArchive<Cursor<&'b [u8]>>, String), Error> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_package(bytes, path))?;
    let document = part(&mut zip, "word/document.xml", path)?.ok_or_else(|| {
        Error::io(
            path,
            "not a Word document: the package has no word/document.xml",
        )
        .hint("open it in Word or WPS and save it as Word 文档 (*.docx)")
    })?;
    Ok((zip, document))
}

/// One part of the package as text, `None` when absent; larger than [`MAX_PART`] is an error.
pub(crate) fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    path: &Path,
) -> Result<Option<String>, Error> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(Error::io(path, format!("cannot read {name} ({e})"))
                .hint("open it in Word or WPS and save it again as Word 文档 (*.docx)"));
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
    if file.size() > MAX_PART {
        return Err(too_big());
    }
    // The size in the header can lie: read at most one byte past the cap.
    let mut bytes = Vec::new();
    file.take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Error::io(path, format!("cannot read {name} ({e})"))
                .hint("open it in Word or WPS and save it again as Word 文档 (*.docx)")
        })?;
    if bytes.len() as u64 > MAX_PART {
        return Err(too_big());
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::io(path, format!("{name} is not UTF-8 text"))
            .hint("open it in Word or WPS and save it again as Word 文档 (*.docx)")
    })?;
    Ok(Some(text))
}

pub(crate) fn parse_xml<'a>(xml: &'a str, path: &Path, name: &str) -> Result<Xml<'a>, Error> {
    Xml::parse(xml).map_err(|e| {
        Error::io(path, format!("{name} is not well-formed XML ({e})"))
            .hint("open it in Word or WPS and save it again as Word 文档 (*.docx)")
    })
}

/// A WordprocessingML element named `local` (either the transitional or the strict namespace).
pub(crate) fn is_w(n: &Node, local: &str) -> bool {
    n.is_element()
        && n.tag_name().name() == local
        && n.tag_name()
            .namespace()
            .is_some_and(|ns| W_NS.contains(&ns))
}

/// A `w:val`-style attribute (`w:` namespace) of an element.
pub(crate) fn w_attr<'a>(n: &Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attributes()
        .find(|a| a.name() == local && a.namespace().is_none_or(|ns| W_NS.contains(&ns)))
        .map(|a| a.value())
}

pub(crate) fn child<'a, 'i>(n: &Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_w(c, local))
}

/// One numbering level: its format and text (`%1.`, `（%2）`) and start value.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    pub(crate) format: String,
    pub(crate) text: String,
    pub(crate) start: u32,
}

/// `numbering.xml`, enough to write 一、/（一）/1. back: `numId` → its levels (abstract
/// numbering with the instance's level overrides applied).
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    pub(crate) nums: HashMap<String, (String, Vec<Option<Level>>)>,
}

impl Numbering {
    pub(crate) fn read(xml: &Xml) -> Numbering {
        let root = xml.root_element();
        let level = |l: &Node| Level {
            format: child(l, "numFmt")
                .and_then(|f| w_attr(&f, "val"))
                .unwrap_or("decimal")
                .to_string(),
            text: child(l, "lvlText")
                .and_then(|f| w_attr(&f, "val"))
                .unwrap_or("")
                .to_string(),
            start: child(l, "start")
                .and_then(|f| w_attr(&f, "val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
        };
        let levels_of = |n: &Node, levels: &mut Vec<Option<Level>>| {
            for l in n.children().filter(|c| is_w(c, "lvl")) {
                let Some(i) = w_attr(&l, "ilvl").and_then(|v| v.parse::<usize>().ok()) else {
                    continue;
                };
                if i < 9 {
                    if levels.len() <= i {
                        levels.resize(i + 1, None);
                    }
                    levels[i] = Some(level(&l));
                }
            }
        };
        let mut abstracts = HashMap::new();
        for a in root.children().filter(|c| is_w(c, "abstractNum")) {
            if let Some(id) = w_attr(&a, "abstractNumId") {
                let mut levels = Vec::new();
                levels_of(&a, &mut levels);
                abstracts.insert(id.to_string(), levels);
            }
        }
        let mut nums = HashMap::new();
        for n in root.children().filter(|c| is_w(c, "num")) {
            let (Some(id), Some(abs)) = (
                w_attr(&n, "numId"),
                child(&n, "abstractNumId").and_then(|a| w_attr(&a, "val")),
            ) else {
                continue;
            };
            let mut levels = abstracts.get(abs).cloned().unwrap_or_default();
            for o in n.children().filter(|c| is_w(c, "lvlOverride")) {
                let Some(i) = w_attr(&o, "ilvl").and_then(|v| v.parse::<usize>().ok()) else {
                    continue;
                };
                if i >= 9 {
                    continue;
                }
                if levels.len() <= i {
                    levels.resize(i + 1, None);
                }
                if let Some(l) = child(&o, "lvl") {
                    levels[i] = Some(level(&l));
                }
                if let Some(s) = child(&o, "startOverride")
                    .and_then(|s| w_attr(&s, "val"))
                    .and_then(|v| v.parse().ok())
                    && let Some(l) = levels[i].as_mut()
                {
                    l.start = s;
                }
            }
            // Instances of one abstract numbering continue one sequence (Word's behaviour when
            // no start is overridden); keyed by the abstract id.
            nums.insert(id.to_string(), (abs.to_string(), levels));
        }
        Numbering { nums }
    }
}

/// Walks the body, writing lines.
struct Reader {
    numbering: Numbering,
    /// Per numbering sequence: the current count of each level.
    counters: HashMap<String, Vec<u32>>,
    lines: Vec<String>,
}

impl Reader {
    /// Block-level content: paragraphs, tables, and the containers that hold them.
    fn blocks(&mut self, parent: Node) {
        for n in parent.children().filter(Node::is_element) {
            let local = n.tag_name().name();
            if !is_w(&n, local) {
                continue;
            }
            match local {
                "p" => {
                    let prefix = self.number(&n);
                    let mut text = prefix;
                    inline(n, &mut text);
                    self.lines.extend(text.split('\n').map(str::to_string));
                }
                "tbl" => self.table(n),
                "sdt" => {
                    if let Some(c) = child(&n, "sdtContent") {
                        self.blocks(c);
                    }
                }
                "customXml" | "ins" | "moveTo" => self.blocks(n),
                _ => {}
            }
        }
    }

    /// Each row a line, cells separated by tabs.
    fn table(&mut self, tbl: Node) {
        for tr in rows(tbl) {
            let mut cells: Vec<String> = Vec::new();
            if let Some(before) = child(&tr, "trPr")
                .and_then(|p| child(&p, "gridBefore"))
                .and_then(|g| w_attr(&g, "val"))
                .and_then(|v| v.parse::<usize>().ok())
            {
                cells.extend(std::iter::repeat_n(String::new(), before.min(64)));
            }
            for tc in cells_of(tr) {
                let props = child(&tc, "tcPr");
                let span = props
                    .and_then(|p| child(&p, "gridSpan"))
                    .and_then(|g| w_attr(&g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let continues = props
                    .and_then(|p| child(&p, "vMerge"))
                    .is_some_and(|m| w_attr(&m, "val").is_none_or(|v| v == "continue"));
                let text = if continues {
                    String::new()
                } else {
                    self.cell_text(tc)
                };
                cells.push(text);
                cells.extend(std::iter::repeat_n(String::new(), span - 1));
            }
            self.lines.push(cells.join("\t"));
        }
    }

    /// A cell's paragraphs (and nested tables' cells) joined with spaces, on one line.
    fn cell_text(&mut self, tc: Node) -> String {
        let mut inner = Reader {
            numbering: Numbering::default(),
            counters: HashMap::new(),
            lines: Vec::new(),
        };
        std::mem::swap(&mut inner.numbering, &mut self.numbering);
        std::mem::swap(&mut inner.counters, &mut self.counters);
        inner.blocks(tc);
        std::mem::swap(&mut inner.numbering, &mut self.numbering);
        std::mem::swap(&mut inner.counters, &mut self.counters);
        inner
            .lines
            .iter()
            .map(|l| l.replace('\t', " "))
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The numbering prefix a paragraph's `w:numPr` shows (empty when none, or when its format
    /// is not one written back).
    fn number(&mut self, p: &Node) -> String {
        let Some(num_pr) = child(p, "pPr").and_then(|pr| child(&pr, "numPr")) else {
            return String::new();
        };
        let ilvl = child(&num_pr, "ilvl")
            .and_then(|l| w_attr(&l, "val"))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        let Some(num_id) = child(&num_pr, "numId").and_then(|n| w_attr(&n, "val")) else {
            return String::new();
        };
        let Some((seq, levels)) = self.numbering.nums.get(num_id) else {
            return String::new(); // numId 0 (numbering removed) or unknown
        };
        let Some(Some(level)) = levels.get(ilvl) else {
            return String::new();
        };
        // Bullets, letters, roman numerals, `none`: nothing written back.
        if format_number(1, &level.format).is_none() {
            return String::new();
        }
        let counts = self.counters.entry(seq.clone()).or_default();
        if counts.len() <= ilvl {
            counts.resize(ilvl + 1, 0);
        }
        for (i, c) in counts.iter_mut().enumerate().take(ilvl) {
            if *c == 0 {
                *c = levels
                    .get(i)
                    .and_then(|l| l.as_ref())
                    .map_or(1, |l| l.start);
            }
        }
        counts[ilvl] = if counts[ilvl] == 0 {
            level.start
        } else {
            counts[ilvl] + 1
        };
        counts.truncate(ilvl + 1);
        // `%N` in the level text is level N's count in level N's format.
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let i = (d as usize).saturating_sub(1);
                let Some(Some(l)) = levels.get(i) else {
                    return String::new();
                };
                let Some(s) = format_number(counts.get(i).copied().unwrap_or(l.start), &l.format)
                else {
                    return String::new();
                };
                out.push_str(&s);
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// A table's rows, through content controls and custom XML.
fn rows<'a, 'i>(tbl: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    children_through(tbl, "tr")
}

/// A row's cells, through content controls and custom XML.
fn cells_of<'a, 'i>(tr: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    children_through(tr, "tc")
}

/// The `w:{name}` children of `n`, looking through `w:sdt` (content controls) and
/// `w:customXml` wrappers.
fn children_through<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for c in n.children() {
        if is_w(&c, name) {
            out.push(c);
        } else if is_w(&c, "sdt") {
            if let Some(s) = child(&c, "sdtContent") {
                out.extend(children_through(s, name));
            }
        } else if is_w(&c, "customXml") {
            out.extend(children_through(c, name));
        }
    }
    out
}

/// A paragraph's text: runs and the inline containers around them.
fn inline(parent: Node, out: &mut String) {
    for n in parent.children().filter(Node::is_element) {
        let local = n.tag_name().name();
        if !is_w(&n, local) {
            continue;
        }
        match local {
            "r" => run(n, out),
            "ins" | "moveTo" | "hyperlink" | "smartTag" | "fldSimple" | "customXml" | "dir"
            | "bdo" => inline(n, out),
            "sdt" => {
                if let Some(c) = child(&n, "sdtContent") {
                    inline(c, out);
                }
            }
            // w:del, w:moveFrom, w:pPr, bookmarks, comment ranges, proofing marks: no text.
            _ => {}
        }
    }
}

/// One run's text.
fn run(r: Node, out: &mut String) {
    for n in r.children().filter(Node::is_element) {
        let local = n.tag_name().name();
        if !is_w(&n, local) {
            continue;
        }
        match local {
            "t" => out.push_str(n.text().unwrap_or("")),
            "tab" | "ptab" => out.push('\t'),
            "br" if w_attr(&n, "type").is_none_or(|t| t == "textWrapping") => out.push('\n'),
            "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            _ => {}
        }
    }
}

/// A count in one of the formats written back; `None` for any other format.
pub(crate) fn format_number(n: u32, format: &str) -> Option<String> {
    match format {
        "decimal" => Some(n.to_string()),
        "decimalFullWidth" | "decimalFullWidth2" => Some(
            n.to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                .collect(),
        ),
        "chineseCounting" | "chineseCountingThousand" => {
            Some(crate::template::cn_num(u64::from(n)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// A package of `word/document.xml` with `body` and, if given, `word/numbering.xml`.
    fn docx(body: &str, numbering: Option<&str>) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("word/document.xml", o).unwrap();
        let xml = format!(r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#);
        std::io::Write::write_all(&mut z, xml.as_bytes()).unwrap();
        if let Some(n) = numbering {
            z.start_file("word/numbering.xml", o).unwrap();
            let xml = format!(r#"<w:numbering xmlns:w="{W}">{n}</w:numbering>"#);
            std::io::Write::write_all(&mut z, xml.as_bytes()).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    fn read(body: &str, numbering: Option<&str>) -> String {
        text(&docx(body, numbering), Path::new("t.docx")).unwrap()
    }

    #[test]
    fn runs_tabs_breaks_and_tracked_changes() {
        let got = read(
            r#"<w:p><w:r><w:t>标题</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">甲 </w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t>
              <w:br w:type="page"/></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>
              <w:ins><w:r><w:t>增</w:t></w:r></w:ins>
              <w:hyperlink><w:r><w:t>链</w:t></w:r></w:hyperlink></w:p>
            <w:sdt><w:sdtContent><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:sdtContent></w:sdt>
            <w:sectPr/>"#,
            None,
        );
        assert_eq!(got, "标题\n甲 \t乙\n丙增链\n控件");
    }

    #[test]
    fn tables_are_tab_separated_rows_with_merges_as_empty_cells() {
        let cell = |t: &str, pr: &str| {
            format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>")
        };
        let two = "<w:tc><w:p><w:r><w:t>一段</w:t></w:r></w:p><w:p><w:r><w:t>二段</w:t></w:r></w:p></w:tc>";
        let body = format!(
            "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{two}{}</w:tr></w:tbl>",
            cell("甲", r#"<w:vMerge w:val="restart"/>"#),
            cell("乙", ""),
            cell("丙", ""),
            cell("", "<w:vMerge/>"),
            cell("跨", r#"<w:gridSpan w:val="2"/>"#),
            cell("丁", ""),
            cell("戊", ""),
        );
        assert_eq!(read(&body, None), "甲\t乙\t丙\n\t跨\t\n丁\t一段 二段\t戊");
    }

    #[test]
    fn chinese_and_decimal_numbering_is_written_back() {
        let lvl = |i: u8, fmt: &str, text: &str| {
            format!(
                r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>"#
            )
        };
        let numbering = format!(
            r#"<w:abstractNum w:abstractNumId="0">{}{}{}</w:abstractNum>
            <w:abstractNum w:abstractNumId="1">{}</w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#,
            lvl(0, "chineseCounting", "%1、"),
            lvl(1, "chineseCounting", "（%2）"),
            lvl(2, "decimal", "%3."),
            lvl(0, "bullet", "•"),
        );
        let p = |num: u8, ilvl: u8, t: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
            )
        };
        let body = [
            p(1, 0, "总体要求"),
            p(1, 1, "目标"),
            p(1, 2, "细则"),
            p(1, 2, "细则"),
            p(1, 1, "任务"),
            p(1, 0, "保障措施"),
            p(1, 1, "组织"),
            p(2, 0, "项目"),
            p(0, 0, "无编号"),
        ]
        .concat();
        assert_eq!(
            read(&body, Some(&numbering)),
            "一、总体要求\n（一）目标\n1.细则\n2.细则\n（二）任务\n二、保障措施\n（一）组织\n项目\n无编号"
        );
    }

    #[test]
    fn what_is_not_a_word_document_says_so() {
        let err = |bytes: &[u8]| text(bytes, Path::new("x.docx")).unwrap_err().to_string();
        assert!(err(b"\x89PNG\r\n").contains("PNG image"));
        assert!(err(b"\xD0\xCF\x11\xE0rest").contains("97-2003"));
        assert!(err(b"hello").contains("not a zip archive"));
        assert!(err(b"PK\x03\x04broken").contains("damaged"));
        let e = err(&docx("<w:p/>", None));
        assert!(e.contains("no text"), "{e}");
        let bad = text(&docx("<w:p>", None), Path::new("x.docx")).unwrap_err();
        assert!(bad.message.contains("not well-formed"), "{bad}");
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        // 60 MB of one repeated byte compresses to a few dozen KB.
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", o).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..60 {
            std::io::Write::write_all(&mut z, &chunk).unwrap();
        }
        let bytes = z.finish().unwrap().into_inner();
        assert!(bytes.len() < 1 << 20);
        let e = text(&bytes, Path::new("x.docx")).unwrap_err();
        assert!(e.message.contains("larger than 50 MB"), "{e}");
    }
}
