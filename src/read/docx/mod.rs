//! Word files in: a `.docx` draft → the plain text [`crate::read::text::parse`] reads (issue 8,
//! item 4). Only the text is read, never the formatting — except in our own files, whose
//! paragraph styles say each paragraph's part ([`ours`], issue 23: the 版头 and 版记 become
//! their `@` lines, text boxes and footers are read for them, a paragraph split at a page is
//! joined again).
//!
//! Owns: opening the package ([`package`]: every part's size, the package's total, each part's
//! XML nodes and nesting depth bounded before anything walks it), telling a renamed
//! PNG/PDF/old `.doc` apart from a damaged file, and walking the body:
//!
//! - each `w:p` is one line: its runs' `w:t` joined, `w:tab` → a tab, `w:br` (text wrapping,
//!   page or column break) and `w:cr` → a new line, so text after a page break starts its own
//!   paragraph (`w:lastRenderedPageBreak`, where Word last broke the page, is no break);
//!   `w:sym` → its character (the common Symbol/Wingdings ones mapped to Unicode, others kept
//!   with a warning); a ruby (拼音指南) → its base text, the annotation dropped; hidden text
//!   (`w:vanish` on the run) is left out with a warning naming the paragraph;
//! - automatic numbering (`w:numPr` on the paragraph) is lost in text, so it is put back as a
//!   prefix when every level it shows is `chineseCounting`, `chineseCountingThousand`,
//!   `decimal` or `decimalFullWidth` (一、 / （一） / 1. from `numbering.xml`'s `w:lvlText`);
//!   start values are capped at [`MAX_LIST_NUMBER`]; other formats (bullets, letters, roman)
//!   and numbering that comes from a paragraph style are left out;
//! - each `w:tbl` is one line per row, its cells separated by tabs (a cell's paragraphs joined
//!   with a space; a cell continuing a vertical merge and the columns a `w:gridSpan` covers are
//!   empty cells), the form the table reader of `read::text` takes; a row wider than
//!   [`MAX_COLUMNS`] or tables nested deeper than [`MAX_TABLE_DEPTH`] are errors;
//! - at most [`MAX_PARAGRAPHS`] paragraphs and [`MAX_CELLS`] table cells (a located error past
//!   them): a 32 KB file of 300,000 one-character paragraphs is refused, not rendered in 1 GB;
//! - deleted text (`w:del`, `w:moveFrom`) is dropped, inserted text (`w:ins`, `w:moveTo`) kept;
//!   content controls, hyperlinks, smart tags and simple fields are read through;
//! - the leading paragraphs set red and at least 22 pt that each name an organ and do not end in
//!   文件 are the 发文机关标志 of a 函 (no 文件, 10.1) and become its `@` lines, with a warning
//!   each; a red `……文件` paragraph, a 发文字号 and the other 版头 lines stay text, which
//!   `read::text`'s typed-版头 reader takes;
//! - headers, footers, comments, footnotes and text boxes are other parts (or drawings) and are
//!   not read (in our own files, the 版头's and 版记's paragraphs are read wherever they stand).

mod ours;
mod package;
mod runs;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use roxmltree::{Document as Xml, Node};

use crate::error::{Error, Warned, Warning};
use crate::model::Element;

pub use ours::is_ours;
pub use package::{MAX_PACKAGE, MAX_PART, MAX_XML_DEPTH, MAX_XML_NODES};
pub(crate) use package::{Package as Zip, parse_xml};
pub(crate) use runs::{Hidden, inline, run_text};

/// The most paragraphs read from a draft (table cells' paragraphs included): 100,000, some
/// 2,000 pages of 公文 — far past any real draft. Each paragraph costs memory all the way to
/// the PDF, so past this the draft is refused rather than rendered in gigabytes.
pub const MAX_PARAGRAPHS: usize = 100_000;

/// The most table cells read from a draft (the columns a merged cell spans included): 100,000.
pub const MAX_CELLS: usize = 100_000;

/// The most columns in a table row (`w:gridBefore` and every cell's `w:gridSpan` added): 63,
/// Word's own limit; a wider row is a file no Word saved.
pub const MAX_COLUMNS: usize = 63;

/// The deepest tables nest in tables: 16. Word itself lets few levels be edited; deeper is a
/// made file, and each level is a recursion in the walk.
pub const MAX_TABLE_DEPTH: usize = 16;

/// The largest number an automatic list starts at: 32,767, the most Word's own dialog takes.
/// A `w:start` of 4,294,967,295 would otherwise wrap to 零 at the next item.
pub const MAX_LIST_NUMBER: u32 = 32_767;

/// The hint for a bound only a made file breaks.
pub(crate) const MADE_NOT_SAVED: &str =
    "Word never writes this: the file was made by a program, not saved by Word or WPS";

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
/// messages. What was left out or changed is dropped here: [`read`] returns it too.
pub fn text(bytes: &[u8], path: &Path) -> Result<String, Error> {
    read(bytes, path).map(|read| read.value)
}

/// The bundled layout a DOCX of ours was made with (its `gongwen.layout` property), for `check`
/// to judge it by when the command line names none; none for others' files or a damaged one.
pub fn recorded_layout(bytes: &[u8], path: &Path) -> Option<String> {
    let (mut pkg, _) = Zip::open(bytes, path).ok()?;
    let xml = pkg.part("docProps/custom.xml").ok()??;
    ours::recorded_layout(&parse_xml(&xml, path, "docProps/custom.xml").ok()?)
}

/// As [`text`], with the warnings (hidden text left out, symbols kept unmapped), each at its
/// paragraph (`draft.docx:paragraph 3`).
pub fn read(bytes: &[u8], path: &Path) -> Result<Warned<String>, Error> {
    let (mut pkg, document) = Zip::open(bytes, path)?;
    let numbering = pkg.part("word/numbering.xml")?;
    let styles = pkg.part("word/styles.xml")?;
    let doc = parse_xml(&document, path, "word/document.xml")?;
    let ours = match &styles {
        Some(xml) => ours::Ours::read(&parse_xml(xml, path, "word/styles.xml")?),
        None => None,
    };
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
        red: Vec::new(),
        head_open: ours.is_none(),
        ours,
        furniture: ours::Furniture::default(),
        prev: None,
        at: At {
            path,
            doc: &doc,
            paragraphs: 0,
            cells: 0,
            tables: 0,
            warnings: Vec::new(),
        },
    };
    reader.blocks(body)?;
    red_mark(&mut reader);
    if reader.ours.is_some() {
        // The 版记 may stand in a footer (a table at the last page's foot): read it there too.
        let rels = pkg.part("word/_rels/document.xml.rels")?;
        let footers = match &rels {
            Some(xml) => ours::footer_parts(&parse_xml(xml, path, "word/_rels/document.xml.rels")?),
            None => Vec::new(),
        };
        for name in footers {
            let Some(xml) = pkg.part(&name)? else {
                continue;
            };
            let footer = parse_xml(&xml, path, &name)?;
            reader.footer(footer.root_element());
        }
        let mut lines = std::mem::take(&mut reader.furniture).lines();
        lines.append(&mut reader.lines);
        reader.lines = lines;
        // The layout it was made with, when that is a bundled one (a 信函 stays a 信函).
        if let Some(xml) = pkg.part("docProps/custom.xml")? {
            let props = parse_xml(&xml, path, "docProps/custom.xml")?;
            if let Some(name) = ours::recorded_layout(&props) {
                reader.lines.insert(0, format!("@版式: {name}"));
            }
        }
    }
    let text = reader.lines.join("\n");
    if text.trim().is_empty() {
        return Err(Error::io(path, "the Word document holds no text")
            .hint("the first non-empty paragraph is the title"));
    }
    Ok(Warned::with(text, reader.at.warnings))
}

/// The size (half-points) from which a red paragraph is a 标志: 22 pt, the title's 2号; a
/// 标志 is larger (小初, 36 pt, is the common choice; 7.2.5 leaves it to the organ).
const MARK_HALF_POINTS: u32 = 44;

/// Every run with text is red (R ≥ C0, G and B < 60, as `check` tells the 版头) and at least
/// [`MARK_HALF_POINTS`], in its own run properties: how a clerk sets a typed 标志.
fn red_and_large(p: &Node) -> bool {
    let mut any = false;
    for r in p.descendants().filter(|n| is_w(n, "r")) {
        if !r
            .children()
            .any(|t| is_w(&t, "t") && t.text().is_some_and(|x| !x.trim().is_empty()))
        {
            continue;
        }
        let rpr = child(&r, "rPr");
        let colour = rpr
            .and_then(|rp| child(&rp, "color"))
            .and_then(|c| w_attr(&c, "val"));
        let size = rpr
            .and_then(|rp| child(&rp, "sz"))
            .and_then(|c| w_attr(&c, "val"))
            .and_then(|v| v.parse::<u32>().ok());
        let hex = |c: &str, i: usize| {
            u8::from_str_radix(c.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0)
        };
        let red = colour.is_some_and(|c| {
            c.len() == 6 && hex(c, 0) >= 0xC0 && hex(c, 2) < 0x60 && hex(c, 4) < 0x60
        });
        if !red || size.is_none_or(|s| s < MARK_HALF_POINTS) {
            return false;
        }
        any = true;
    }
    any
}

/// The red, large paragraphs a draft starts with, when each names an organ and none ends in
/// 文件 (those the text reader takes itself, `read::text::head`): the 标志 of a 函 or of any
/// document whose 标志 has no 文件 (7.2.5, 10.1), written as the markup that says it, with a
/// warning each. An organ's name alone in plain text is left to be the title's first line; in
/// red and large it is the 标志.
fn red_mark(reader: &mut Reader) {
    use crate::read::recognise::is_organ_line;
    let organ = |t: &str| {
        let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
        !t.ends_with("文件") && !t.ends_with('令') && !t.contains("关于") && is_organ_line(t)
    };
    let red = std::mem::take(&mut reader.red);
    if red.is_empty() || !red.iter().all(|(i, _)| organ(&reader.lines[*i])) {
        return;
    }
    let last = red.len() - 1;
    for (k, (i, para)) in red.into_iter().enumerate() {
        let names: Vec<String> = reader.lines[i]
            .split(|c: char| c.is_whitespace() || c == '\u{3000}')
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
        let mut marked: Vec<String> = names.iter().map(|n| format!("@发文机关: {n}")).collect();
        if k == last {
            marked.push("@标志后缀:".into());
        }
        let place = format!("{}:paragraph {para}", reader.at.path.display());
        reader.at.warnings.push(Warning::at(
            &place,
            0,
            format!(
                "a red, large paragraph naming an organ, taken as the 发文机关标志 「{}」 with no 文件 after it; in a text draft, write {}",
                names.join(" "),
                marked.join(" and ")
            ),
        ));
        reader.lines[i] = marked.join("\n");
    }
}

/// The bound a made file broke, located in `word/document.xml`.
fn beyond(path: &Path, doc: &Xml, n: &Node, what: String) -> Error {
    let pos = doc.text_pos_at(n.range().start);
    Error::io(
        path,
        format!(
            "word/document.xml, line {}, column {}: {what}",
            pos.row, pos.col
        ),
    )
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

/// A start value (`w:start`, `w:startOverride`), capped at [`MAX_LIST_NUMBER`]; a negative
/// or non-numeric one is none.
fn list_number(v: &str) -> Option<u32> {
    let n: u64 = v.trim().parse().ok()?;
    Some(n.min(u64::from(MAX_LIST_NUMBER)) as u32)
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
///
/// Instances share their abstract numbering's levels (copied only when an instance overrides
/// one): 300,000 `w:num` of one nine-level list are 300,000 pointers, not 2.7 million levels.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    pub(crate) nums: HashMap<String, (String, Arc<Vec<Option<Level>>>)>,
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
                .and_then(list_number)
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
        let mut abstracts: HashMap<&str, Arc<Vec<Option<Level>>>> = HashMap::new();
        for a in root.children().filter(|c| is_w(c, "abstractNum")) {
            if let Some(id) = w_attr(&a, "abstractNumId") {
                let mut levels = Vec::new();
                levels_of(&a, &mut levels);
                abstracts.insert(id, Arc::new(levels));
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
                let levels = Arc::make_mut(&mut levels);
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
                    .and_then(list_number)
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

/// Where the walk is, what it has counted against the bounds, and what it noticed.
struct At<'r, 'x> {
    path: &'r Path,
    doc: &'r Xml<'x>,
    /// Paragraphs so far, 1-based as Word numbers the body's (table cells' included).
    paragraphs: usize,
    cells: usize,
    /// Tables the walk is inside.
    tables: usize,
    warnings: Vec<Warning>,
}

/// Walks the body, writing lines.
struct Reader<'r, 'x> {
    numbering: Numbering,
    /// Per numbering sequence: the current count of each level.
    counters: HashMap<String, Vec<u32>>,
    lines: Vec<String>,
    /// The leading paragraphs set red and large, as a typed 标志 is: (line, paragraph).
    red: Vec<(usize, usize)>,
    /// No paragraph with text but red, large ones has been read yet.
    head_open: bool,
    /// Our own file's styles, when the file is ours: paragraphs are read by them.
    ours: Option<ours::Ours>,
    /// Our file's 版头 and 版记, gathered wherever they stand.
    furniture: ours::Furniture,
    /// Our file's last paragraph: its style, its line and whether it starts flush (a kept tail
    /// joins a paragraph that does not).
    prev: Option<(Element, usize, bool)>,
    at: At<'r, 'x>,
}

impl Reader<'_, '_> {
    /// Block-level content: paragraphs, tables, and the containers that hold them.
    fn blocks(&mut self, parent: Node) -> Result<(), Error> {
        for n in parent.children().filter(Node::is_element) {
            let local = n.tag_name().name();
            if !is_w(&n, local) {
                continue;
            }
            match local {
                "p" => self.paragraph(n)?,
                "tbl" => self.table(n)?,
                "sdt" => {
                    if let Some(c) = child(&n, "sdtContent") {
                        self.blocks(c)?;
                    }
                }
                "customXml" | "ins" | "moveTo" => self.blocks(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, p: Node) -> Result<(), Error> {
        let at = &mut self.at;
        at.paragraphs += 1;
        if at.paragraphs > MAX_PARAGRAPHS {
            return Err(beyond(
                at.path,
                at.doc,
                &p,
                format!("the draft has more than {MAX_PARAGRAPHS} paragraphs"),
            )
            .hint("split the document into parts and render each"));
        }
        if self.ours.is_some() {
            // Text boxes drawn in the paragraph (the 版记's, a 信函's 标志): theirs first, not
            // counted as the body's paragraphs (Word does not number them).
            let counted = self.at.paragraphs;
            for tb in ours::text_boxes(p) {
                self.blocks(tb)?;
            }
            self.at.paragraphs = counted;
        }
        let mut text = self.number(&p);
        let mut hidden = Hidden::default();
        inline(p, &mut text, &mut hidden);
        let at = &mut self.at;
        let place = format!("{}:paragraph {}", at.path.display(), at.paragraphs);
        at.warnings.extend(hidden.warnings(&place));
        if let Some(ours) = &self.ours {
            self.ours_paragraph(ours.element(&p), &p, &text);
            return Ok(());
        }
        if self.head_open && !text.trim().is_empty() {
            if at.tables == 0 && !text.contains('\n') && red_and_large(&p) {
                self.red.push((self.lines.len(), at.paragraphs));
            } else {
                self.head_open = false;
            }
        }
        self.lines.extend(text.split('\n').map(str::to_string));
        Ok(())
    }

    /// One of our paragraphs: furniture gathered, a kept tail joined to the paragraph it was
    /// split from, any other its line (none for an empty one).
    fn ours_paragraph(&mut self, element: Option<Element>, p: &Node, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let flush = ours::is_flush(p);
        if let (Some(e), Some((prev, at, false))) = (element, self.prev)
            && e == prev
            && flush
            && self.lines.get(at).is_some_and(|l| !ours::ends_sentence(l))
        {
            let tail = text.replace('\n', "");
            self.lines[at].push_str(tail.trim_end());
            self.prev = Some((e, at, true));
            return;
        }
        self.prev = None;
        if element == Some(Element::Signature) && ours::leaves_seal_room(p) {
            self.furniture.seal();
        }
        let line = match element {
            Some(e) => self.furniture.take(e, text),
            // A paragraph a user added in Word's Normal style: its text, a value.
            None => self.furniture.take(Element::Body, text),
        };
        if let Some(line) = line {
            if let Some(e) = element {
                self.prev = Some((e, self.lines.len(), flush));
            }
            self.lines.extend(line.split('\n').map(str::to_string));
        }
    }

    /// The 版记's paragraphs in a footer of our file (its other paragraphs, the page number,
    /// are no text of the document).
    fn footer(&mut self, root: Node) {
        let Some(ours) = &self.ours else {
            return;
        };
        for p in root.descendants().filter(|n| is_w(n, "p")) {
            let Some(e @ (Element::Cc | Element::Printer)) = ours.element(&p) else {
                continue;
            };
            let mut text = String::new();
            inline(p, &mut text, &mut Hidden::default());
            self.furniture.take(e, &text);
        }
    }

    /// Each row a line, cells separated by tabs.
    fn table(&mut self, tbl: Node) -> Result<(), Error> {
        let at = &mut self.at;
        if at.tables >= MAX_TABLE_DEPTH {
            return Err(beyond(
                at.path,
                at.doc,
                &tbl,
                format!("tables nested more than {MAX_TABLE_DEPTH} deep"),
            )
            .hint(MADE_NOT_SAVED));
        }
        at.tables += 1;
        let mut lines = Vec::new();
        for tr in rows(tbl) {
            let mut cells: Vec<String> = Vec::new();
            let before = child(&tr, "trPr")
                .and_then(|p| child(&p, "gridBefore"))
                .and_then(|g| w_attr(&g, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            let mut columns = before;
            let spans: Vec<(Node, usize)> = cells_of(tr)
                .into_iter()
                .map(|tc| {
                    let span = child(&tc, "tcPr")
                        .and_then(|p| child(&p, "gridSpan"))
                        .and_then(|g| w_attr(&g, "val"))
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(1)
                        .max(1);
                    columns = columns.saturating_add(span);
                    (tc, span)
                })
                .collect();
            let at = &mut self.at;
            if columns > MAX_COLUMNS {
                return Err(beyond(
                    at.path,
                    at.doc,
                    &tr,
                    format!("a table row has {columns} columns, more than {MAX_COLUMNS}"),
                )
                .hint("Word tables have at most 63 columns: split the table, or save the file again from Word"));
            }
            at.cells += columns;
            if at.cells > MAX_CELLS {
                return Err(beyond(
                    at.path,
                    at.doc,
                    &tr,
                    format!("the draft's tables have more than {MAX_CELLS} cells"),
                )
                .hint("split the document into parts and render each"));
            }
            cells.extend(std::iter::repeat_n(String::new(), before));
            for (tc, span) in spans {
                let continues = child(&tc, "tcPr")
                    .and_then(|p| child(&p, "vMerge"))
                    .is_some_and(|m| w_attr(&m, "val").is_none_or(|v| v == "continue"));
                // A continued merge shows nothing; its paragraphs still count (Word numbers them).
                let text = self.cell_text(tc)?;
                cells.push(if continues { String::new() } else { text });
                cells.extend(std::iter::repeat_n(String::new(), span - 1));
            }
            lines.push(cells);
        }
        self.at.tables -= 1;
        // Our file's table that held only furniture (a 版头 or 版记 set in a table) is no table.
        if self.ours.is_some() && lines.iter().flatten().all(|c| c.is_empty()) {
            return Ok(());
        }
        self.lines
            .extend(lines.into_iter().map(|cells| cells.join("\t")));
        self.prev = None;
        Ok(())
    }

    /// A cell's paragraphs (and nested tables' cells) joined with spaces, on one line.
    fn cell_text(&mut self, tc: Node) -> Result<String, Error> {
        let outer = std::mem::take(&mut self.lines);
        self.prev = None;
        let walked = self.blocks(tc);
        self.prev = None;
        let inner = std::mem::replace(&mut self.lines, outer);
        walked?;
        Ok(inner
            .iter()
            .map(|l| l.replace('\t', " "))
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "))
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
            // Starts are capped and items bounded by MAX_PARAGRAPHS: this cannot wrap.
            counts[ilvl].saturating_add(1)
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
pub(crate) fn rows<'a, 'i>(tbl: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    children_through(tbl, "tr")
}

/// A row's cells, through content controls and custom XML.
pub(crate) fn cells_of<'a, 'i>(tr: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
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
            Some(crate::read::template::cn_num(u64::from(n)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
