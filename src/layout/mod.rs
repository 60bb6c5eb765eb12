//! Layout: `Document` + layout file + fonts → `Paged` (pages of positioned glyph runs).
//!
//! [`Shaper`] maps every character to a font, glyph and grid width, breaks a paragraph into
//! lines ([`crate::linebreak`]) and places them horizontally (indents, alignment,
//! justification); [`flow`] puts lines on the 22-line grid page by page; [`furniture`] adds what
//! sits at fixed places — the 版头, attachment pages, the 版记 and page numbers. Every number
//! comes from the [`Layout`]; each rule cites the clause it follows where it is applied.

mod flow;
mod furniture;

pub use furniture::letter_first_line;

use crate::error::{Error, Warning};
use crate::fonts::{FontBook, FontId};
use crate::model::{Block, Document, Element, Masthead};
use crate::page::{Glyph, GlyphRun, Paged};
use crate::spec::{Align, Layout};
use flow::Flow;

/// Lay out a document. Characters no font has are warnings (`strict`: an error).
pub fn layout(
    doc: &Document,
    layout: &Layout,
    fonts: &FontBook,
    strict: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Paged, Error> {
    let mut shaper = Shaper {
        layout,
        fonts,
        strict,
        source: &doc.source,
        warnings,
    };
    let mut flow = Flow::new(layout);
    if let Some(mh) = &doc.masthead {
        furniture::masthead(&mut flow, mh, &mut shaper)?;
    }
    let closing = closing_indents(doc, layout);
    for (i, block) in doc.blocks.iter().enumerate() {
        if block.element == Element::Table {
            furniture::table(&mut flow, block, &mut shaper)?;
            continue;
        }
        let lines = shaper.set(block, &geometry(block, layout, &closing))?;
        let next = doc.blocks.get(i + 1).map(|b| b.element);
        flow.place_block(block, lines, next, space_before(block, doc, layout));
    }
    for page in &doc.attachments {
        furniture::attachment(&mut flow, page, &mut shaper)?;
    }
    if let Some(colophon) = &doc.colophon {
        furniture::colophon(&mut flow, colophon, &mut shaper)?;
    }
    let (colophon_breaks, colophon_gap) = (flow.colophon_breaks, flow.colophon_gap);
    let (mut pages, bookmarks) = flow.finish();
    furniture::page_numbers(&mut pages, layout, fonts);
    Ok(Paged {
        pages,
        title: doc.title.clone(),
        bookmarks,
        colophon_breaks,
        colophon_gap,
    })
}

/// One character, resolved: font, glyph and the width it takes on the line.
#[derive(Debug, Clone)]
struct Atom {
    ch: char,
    font: FontId,
    gid: u16,
    size: f32,
    colour: [u8; 3],
    width: f32,
}

/// One line, placed horizontally; its baseline is set when it is put on a page.
pub(crate) struct SetLine {
    runs: Vec<GlyphRun>,
    size: f32,
}

/// Where a paragraph's lines go across the body area, in points from its left edge.
#[derive(Debug, Clone)]
pub(crate) struct Geometry {
    left: f32,
    width: f32,
    first_indent: f32,
    align: Align,
    /// A size other than the element's (the 发文机关标志 is sized to fit).
    size: Option<f32>,
}

impl Geometry {
    /// The geometry an element's spec gives.
    fn of(e: Element, layout: &Layout) -> Geometry {
        let spec = layout.element(e);
        let one = layout.char_width(spec.size_pt); // "一字" of this element (7.3.3: 空二字)
        Geometry {
            left: spec.left_chars * one,
            width: layout.body_width() - (spec.left_chars + spec.right_chars) * one,
            first_indent: spec.first_line_chars * one,
            align: spec.align,
            size: None,
        }
    }
}

/// The geometry of a main-part block: its element's, except where a rule places it.
fn geometry(block: &Block, layout: &Layout, closing: &(f32, f32)) -> Geometry {
    let mut g = Geometry::of(block.element, layout);
    let cell = layout.cell();
    match block.element {
        Element::Signature | Element::Date => {
            let left = if block.element == Element::Signature {
                closing.0
            } else {
                closing.1
            } * cell;
            g = Geometry {
                left,
                width: layout.body_width() - left,
                first_indent: 0.0,
                align: Align::Left,
                size: None,
            };
        }
        Element::Attachment | Element::Attendance => {
            let one = layout.char_width(layout.element(block.element).size_pt);
            let (more, first) = hanging_indents(block);
            g.left += more * one;
            g.width -= more * one;
            g.first_indent = first * one;
        }
        _ => {}
    }
    g
}

/// Shapes paragraphs: characters → glyphs → broken, placed lines.
pub(crate) struct Shaper<'a> {
    layout: &'a Layout,
    fonts: &'a FontBook,
    strict: bool,
    source: &'a str,
    warnings: &'a mut Vec<Warning>,
}

impl Shaper<'_> {
    /// Break a block into lines placed by `g`. A `\n` in the text is a forced break (a title's
    /// explicit line breaks).
    pub(crate) fn set(&mut self, block: &Block, g: &Geometry) -> Result<Vec<SetLine>, Error> {
        let atoms = self.collect(block, g.size)?;
        let mut out = Vec::new();
        for (k, segment) in atoms.split(|a| a.ch == '\n').enumerate() {
            if segment.is_empty() {
                continue;
            }
            let first_indent = if k == 0 { g.first_indent } else { 0.0 };
            out.extend(self.linebreak(segment, block.element, g, first_indent));
        }
        Ok(out)
    }

    /// Resolve every character of a block to a font and glyph of its span's face.
    fn collect(&mut self, block: &Block, size: Option<f32>) -> Result<Vec<Atom>, Error> {
        let mut atoms = Vec::new();
        for span in &block.spans {
            let spec = self.layout.element(span.element);
            let size = size.unwrap_or(spec.size_pt);
            let colour = hex_colour(&spec.colour);
            for ch in span.text.chars() {
                if ch == '\n' {
                    atoms.push(Atom {
                        ch,
                        font: 0,
                        gid: 0,
                        size,
                        colour,
                        width: 0.0,
                    });
                    continue;
                }
                let (font, gid, adv) = match self.fonts.glyph(&spec.face, ch) {
                    Some(g) => g,
                    None => {
                        let msg = format!("no font has the character '{ch}' (U+{:04X})", ch as u32);
                        if self.strict {
                            return Err(Error::at(self.source, block.line, 0, msg).hint(
                                "install a font that has it and pass --font-dir, or drop --strict to get a warning",
                            ));
                        }
                        self.warnings.push(Warning::at(
                            self.source,
                            block.line,
                            format!("{msg}; it shows as a box"),
                        ));
                        (self.fonts.face(&spec.face).fonts[0], 0, 1.0)
                    }
                };
                // Word and LibreOffice set a little space between Chinese characters and Latin
                // letters or digits (autoSpaceDE/DN); the PDF does the same, so lines break alike.
                if let Some(prev) = atoms.last_mut() {
                    if prev.ch != '\n'
                        && (is_han(prev.ch) && ch.is_ascii_alphanumeric()
                            || prev.ch.is_ascii_alphanumeric() && is_han(ch))
                    {
                        prev.width += self.layout.grid.cjk_latin_space_em * size;
                    }
                }
                let width = advance(self.layout, ch, size, adv);
                atoms.push(Atom {
                    ch,
                    font,
                    gid,
                    size,
                    colour,
                    width,
                });
            }
        }
        Ok(atoms)
    }

    /// Break atoms into lines and place each horizontally.
    fn linebreak(
        &self,
        atoms: &[Atom],
        element: Element,
        g: &Geometry,
        first_indent: f32,
    ) -> Vec<SetLine> {
        let first = g.width - first_indent;
        let chars: Vec<char> = atoms.iter().map(|a| a.ch).collect();
        let widths: Vec<f32> = atoms.iter().map(|a| a.width).collect();
        let mut ranges = crate::linebreak::break_lines(&chars, &widths, first, g.width);
        if element == Element::Title && ranges.len() > 1 {
            ranges = balance(&chars, &widths, g.width, ranges.len());
        }
        let count = ranges.len();
        let size = atoms.first().map_or(0.0, |a| a.size);
        ranges
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let (avail, indent) = if i == 0 {
                    (first, first_indent)
                } else {
                    (g.width, 0.0)
                };
                let line = &atoms[r];
                let w: Vec<f32> = line.iter().map(|a| a.width).collect();
                let natural: f32 = w.iter().sum();
                // Justified lines fill the measure except the paragraph's last line (7.3.3).
                let extra = match g.align {
                    Align::Justify if i + 1 < count => crate::linebreak::justify(&w, avail),
                    _ => vec![0.0; w.len()],
                };
                let x0 = self.layout.body_left()
                    + g.left
                    + indent
                    + match g.align {
                        Align::Center => (avail - natural) / 2.0,
                        Align::Right => (avail - natural).max(0.0),
                        _ => 0.0,
                    };
                SetLine {
                    runs: runs(line, &extra, x0),
                    size,
                }
            })
            .collect()
    }
}

/// Width of a glyph on the line: a full-width character of the base size takes one grid cell
/// (5.2.3: 28 characters fill 156 mm, so a 16 pt character is set 15.79 pt wide); other
/// characters (Latin letters, digits, even where a CJK font draws them wide) their own advance.
fn advance(layout: &Layout, ch: char, size: f32, adv_em: f32) -> f32 {
    if ch >= '\u{2000}' && adv_em >= 0.75 {
        layout.char_width(size) * adv_em.round().max(1.0)
    } else {
        adv_em * size
    }
}

/// A Han character (CJK ideograph), as opposed to punctuation or Latin.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Width in grid cells of text set in the base size, with the 汉字–Latin autospace the layout
/// asks for (what the PDF sets, and about what Word and LibreOffice add).
pub fn spaced_cells(text: &str, layout: &Layout) -> f32 {
    let chars: Vec<char> = text.chars().collect();
    let gaps = chars
        .windows(2)
        .filter(|w| {
            is_han(w[0]) && w[1].is_ascii_alphanumeric()
                || w[0].is_ascii_alphanumeric() && is_han(w[1])
        })
        .count();
    cells(text)
        + gaps as f32 * layout.grid.cjk_latin_space_em * layout.grid.base_size_pt / layout.cell()
}

/// Width of text in grid cells without fonts: full-width characters one cell, others half.
/// Used where the PDF and the DOCX must agree on a position (署名, 成文日期, 附件说明).
pub fn cells(text: &str) -> f32 {
    text.chars()
        .map(|c| {
            if c.is_ascii() || ('\u{2000}'..'\u{2010}').contains(&c) {
                0.5
            } else {
                1.0
            }
        })
        .sum()
}

/// Size of the 发文机关标志 (the layout's, shrunk so the widest line fits the body width) and
/// the width of that line in cells of that size. Shared by the PDF layout and the DOCX.
pub fn masthead_size(mh: &Masthead, layout: &Layout) -> f32 {
    let spec = layout.element(Element::Masthead);
    let widest = mh.issuers.iter().map(|n| cells(n)).fold(0.0, f32::max);
    let suffix = cells(&mh.suffix);
    let total = if mh.issuers.len() > 1 {
        widest + if suffix > 0.0 { 0.5 + suffix } else { 0.0 }
    } else {
        widest + suffix
    };
    let fit = layout.body_width() / total.max(1.0);
    // Whole half-points, rounded down: the DOCX can only say that, and it must still fit.
    (spec.size_pt.min(fit) * 2.0).floor() / 2.0
}

/// Column widths of a table in points, summing to the body width: every column at least as wide
/// as its header (headers are short and should not wrap), the rest shared in proportion to what
/// the widest cell of each column would need. Shared by the PDF and the DOCX.
pub fn table_columns(block: &Block, layout: &Layout) -> Vec<f32> {
    let one = layout.char_width(layout.element(Element::Table).size_pt);
    let pad = 2.0 * layout.table.padding_chars * one;
    let ncols = block.rows.first().map_or(0, Vec::len);
    let min: Vec<f32> = (0..ncols)
        .map(|c| cells(&block.rows[0][c]).max(1.0) * one + pad)
        .collect();
    let want: Vec<f32> = (0..ncols)
        .map(|c| block.rows.iter().map(|r| cells(&r[c])).fold(1.0, f32::max) * one + pad)
        .collect();
    let body = layout.body_width();
    let (min_sum, want_sum) = (min.iter().sum::<f32>(), want.iter().sum::<f32>());
    if want_sum <= body || min_sum >= body {
        let scale = body / if want_sum <= body { want_sum } else { min_sum };
        let base = if want_sum <= body { &want } else { &min };
        return base.iter().map(|w| w * scale).collect();
    }
    let extra = (body - min_sum) / (want_sum - min_sum);
    min.iter()
        .zip(&want)
        .map(|(m, w)| m + (w - m) * extra)
        .collect()
}

/// Left indents (in cells) of the 署名 and 成文日期 lines.
///
/// Without a seal (7.3.5.2): the 署名 ends two characters from the right; the date starts two
/// characters right of the 署名's first character; a date that would then end closer than two
/// characters to the right edge sits two characters from the right, and the 署名 moves left to
/// keep the two-character offset. With a seal (7.3.5.1): the date ends four characters from the
/// right and the 署名 is centred over it. Joint signatures (several lines) share the column of
/// the longest.
pub fn closing_indents(doc: &Document, layout: &Layout) -> (f32, f32) {
    let chars = layout.grid.chars as f32;
    let sig = doc
        .blocks
        .iter()
        .filter(|b| b.element == Element::Signature)
        .map(|b| spaced_cells(&b.text(), layout))
        .fold(0.0, f32::max);
    let date = doc
        .blocks
        .iter()
        .find(|b| b.element == Element::Date)
        .map_or(0.0, |b| spaced_cells(&b.text(), layout));
    if doc.seal {
        let date_left = (chars - layout.seal.date_right_chars - date).max(0.0);
        return ((date_left + (date - sig) / 2.0).max(0.0), date_left);
    }
    let right = layout.element(Element::Signature).right_chars;
    let date_left = (chars - right - sig + 2.0).min(chars - right - date);
    let sig_left = (chars - right - sig).min(date_left - 2.0).max(0.0);
    (sig_left, date_left.max(0.0))
}

/// Indents of a 附件说明 line, in cells beyond the element's own left indent (7.3.4): the first
/// reads `附件：1.名称`; later items stand under the `1.`; a wrapped name lines up with its first
/// character. Returns (left indent of every line, first-line indent — negative: hanging).
pub fn attachment_indents(text: &str) -> (f32, f32) {
    let label = ["附件：", "附件:"]
        .into_iter()
        .find(|l| text.starts_with(l))
        .unwrap_or("");
    let rest = &text[label.len()..];
    let number = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '．'))
        .unwrap_or(0);
    let hang = cells(&text[..label.len() + number]);
    if label.is_empty() {
        (cells("附件：") + hang, -hang)
    } else {
        (hang, -hang)
    }
}

/// Hanging indents (cells) of a 附件说明 line or a 纪要's 出席/请假/列席 line: wrapped lines
/// line up after the label (10.3) or under the name (7.3.4).
pub fn hanging_indents(block: &Block) -> (f32, f32) {
    match block.element {
        Element::Attendance => {
            let label = cells(&block.spans[0].text);
            (label, -label)
        }
        _ => attachment_indents(&block.text()),
    }
}

/// Blank lines before a block: a later 附件说明 item continues the list without one; with a
/// seal the 署名 leaves the seal's room (7.3.5.1).
pub fn space_before(block: &Block, doc: &Document, layout: &Layout) -> u32 {
    let text = block.spans.first().map_or("", |s| s.text.as_str());
    let first_signature = doc
        .blocks
        .iter()
        .position(|b| b.element == Element::Signature);
    match block.element {
        Element::Attachment if !text.starts_with("附件") => 0,
        Element::Attendance if !text.starts_with("出席") => 0,
        Element::Signature
            if first_signature.is_some_and(|i| !std::ptr::eq(&doc.blocks[i], block)) =>
        {
            0
        }
        Element::Signature if doc.seal => layout.seal.space_before_lines,
        e => layout.element(e).space_before_lines,
    }
}

/// Re-break a title of `n` lines so the lines are even, the upper ones no shorter (7.3.1:
/// arranged as a trapezoid, words kept whole by the break rules).
fn balance(chars: &[char], widths: &[f32], width: f32, n: usize) -> Vec<std::ops::Range<usize>> {
    let total: f32 = widths.iter().sum();
    let step = widths.iter().cloned().fold(0.0, f32::max) / 2.0;
    let mut target = total / n as f32;
    loop {
        let r = crate::linebreak::break_lines(chars, widths, target, target);
        if r.len() <= n || target >= width {
            return r;
        }
        target = (target + step).min(width);
    }
}

/// Group a line's atoms into glyph runs of one font, size and colour.
fn runs(atoms: &[Atom], extra: &[f32], x0: f32) -> Vec<GlyphRun> {
    let mut out: Vec<GlyphRun> = Vec::new();
    let mut x = x0;
    for (a, e) in atoms.iter().zip(extra) {
        let same = out
            .last()
            .is_some_and(|r| r.font == a.font && r.size == a.size && r.colour == a.colour);
        if !same {
            out.push(GlyphRun {
                x,
                y: 0.0,
                font: a.font,
                size: a.size,
                colour: a.colour,
                text: String::new(),
                glyphs: vec![],
            });
        }
        let run = out.last_mut().expect("a run was just pushed");
        let start = run.text.len();
        run.text.push(a.ch);
        run.glyphs.push(Glyph {
            id: a.gid,
            advance: a.width + e,
            text_range: start..run.text.len(),
        });
        x += a.width + e;
    }
    out
}

/// Baseline below the top of a grid line: the em box centred in the line (an ideographic em box
/// runs from 0.88 em above the baseline to 0.12 em below it).
fn baseline_offset(pitch: f32, size: f32) -> f32 {
    pitch / 2.0 + 0.38 * size
}

fn hex_colour(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex, 16).unwrap_or(0);
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}
