//! Layout, the PDF's half of the pipeline: `Plan` + fonts → `Paged` (pages of positioned glyph
//! runs).
//!
//! [`Shaper`] maps every character to a font, glyph and grid width, breaks a paragraph into
//! lines ([`crate::linebreak`]) and places them horizontally as the plan says (indents,
//! alignment, justification); [`flow`] puts lines on the 22-line grid page by page with the
//! plan's keep rules; [`furniture`] places the 版头, tables, the 版记 and page numbers. Nothing
//! here decides what the DOCX must also show: that is the plan's. [`count`] runs the same
//! pagination without fonts, counting grid cells as Word does.

mod fit;
mod flow;
mod furniture;

pub use fit::{check, max_table_columns};

use crate::error::{Error, Warning};
use crate::fonts::{FontBook, FontId};
use crate::model::{Element, Span};
use crate::page::{Glyph, GlyphRun, Paged};
use crate::plan::metrics::{autospace, char_cells};
use crate::plan::{Block, Para, Plan};
use crate::spec::{Align, Layout};
use flow::Flow;

/// Lay out a planned document with its fonts. Characters no font has are warnings (`strict`:
/// an error).
pub fn layout(
    plan: &Plan,
    layout: &Layout,
    fonts: &FontBook,
    strict: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Paged, Error> {
    let mut shaper = Shaper {
        layout,
        fonts: Some(fonts),
        strict,
        source: &plan.source,
        warnings,
        scratch: Vec::new(),
    };
    let (mut pages, bookmarks, _) = paginate(plan, &mut shaper)?;
    furniture::page_numbers(&mut pages, layout, fonts);
    Ok(Paged {
        pages,
        title: plan.title.clone(),
        bookmarks,
    })
}

/// What counting grid cells instead of glyphs gives: pages and whether the 版记 takes a page of
/// its own. No font is read: every full-width character takes one cell of its size, as Word and
/// LibreOffice set it, so a DOCX-only render can place its 版记 without the PDF layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// Pages.
    pub pages: usize,
    /// Pages started for the 版记 (0, 1, or 2 with a blank page).
    pub colophon_breaks: usize,
}

/// Paginate a plan by counting grid cells (see [`Count`]).
pub fn count(plan: &Plan, layout: &Layout) -> Count {
    let mut warnings = Vec::new();
    let mut shaper = Shaper {
        layout,
        fonts: None,
        strict: false,
        source: &plan.source,
        warnings: &mut warnings,
        scratch: Vec::new(),
    };
    match paginate(plan, &mut shaper) {
        Ok((pages, _, colophon_breaks)) => Count {
            pages: pages.len(),
            colophon_breaks,
        },
        Err(_) => Count {
            pages: 0,
            colophon_breaks: 0,
        },
    }
}

/// The flow of a whole plan: 版头, blocks (each shaped first, so a block kept with the next
/// knows how many lines follow it), attachment pages, 版记.
fn paginate(
    plan: &Plan,
    shaper: &mut Shaper,
) -> Result<(Vec<crate::page::Page>, Vec<crate::page::Bookmark>, usize), Error> {
    let layout = shaper.layout;
    let mut flow = Flow::new(layout);
    if let Some(head) = &plan.head {
        furniture::masthead(&mut flow, head, shaper)?;
    }
    let mut shaped = Vec::with_capacity(plan.blocks.len());
    for block in &plan.blocks {
        shaped.push(match block {
            Block::Para(p) => {
                Some(shaper.set(&p.spans, &p.breaks, p.line, &Geometry::of_para(p, layout))?)
            }
            Block::Table(_) => None,
        });
    }
    let heights: Vec<usize> = shaped
        .iter()
        .map(|s| s.as_ref().map_or(usize::MAX / 4, Vec::len))
        .collect();
    let tails = chain_tails(&plan.blocks, &heights);
    for ((block, lines), tail) in plan.blocks.iter().zip(shaped).zip(tails) {
        match (block, lines) {
            (Block::Para(p), Some(lines)) => {
                flow.place_para(p, lines, tail);
            }
            (Block::Table(t), _) => furniture::table(&mut flow, t, shaper)?,
            _ => unreachable!("paragraphs are shaped"),
        }
    }
    if let Some(colophon) = &plan.colophon {
        furniture::colophon(&mut flow, colophon, shaper)?;
    }
    let breaks = flow.colophon_breaks;
    let (pages, bookmarks) = flow.finish();
    Ok((pages, bookmarks, breaks))
}

/// For each block, the lines that must follow it onto its page when it is kept with the next
/// (7.3.5: 署名 and 日期 never alone; a heading with its first line): the blank lines and lines
/// of each block never split that the chain runs through, up to the first that is not kept with
/// the next or that may split (of which only the first line counts). 0 when the block is not
/// kept with the next.
///
/// One pass from the end, each block's tail from the next one's: walking each chain from each
/// of its blocks was quadratic, and 100,000 headings (each kept with the next) took minutes.
fn chain_tails(blocks: &[Block], heights: &[usize]) -> Vec<usize> {
    // `from[k]`: what a chain arriving at block k carries from k on.
    let mut from = vec![0usize; blocks.len() + 1];
    for k in (0..blocks.len()).rev() {
        from[k] = match &blocks[k] {
            Block::Para(p) if !p.page_break_before => {
                let own = p.space_before as usize;
                if !p.keep_lines {
                    // A paragraph that may split needs only its first line here; its own keep
                    // (if any) is settled when it is placed.
                    own.saturating_add(heights[k].min(1))
                } else if p.keep_with_next {
                    own.saturating_add(heights[k]).saturating_add(from[k + 1])
                } else {
                    own.saturating_add(heights[k])
                }
            }
            _ => 0,
        };
    }
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| match b {
            Block::Para(p) if p.keep_with_next => from[i + 1],
            _ => 0,
        })
        .collect()
}

/// One character, resolved: font, glyph and the width it takes on the line. 24 bytes, not 32
/// (the font as `u32`): a paragraph's atoms are all held while it is set, and a text on one
/// line is one paragraph of millions of characters.
#[derive(Debug, Clone)]
struct Atom {
    ch: char,
    width: f32,
    size: f32,
    font: u32,
    gid: u16,
    colour: [u8; 3],
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
    /// The geometry an element's spec gives (furniture placed by its own rules).
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

    /// The geometry the plan decided for a paragraph.
    fn of_para(p: &Para, layout: &Layout) -> Geometry {
        Geometry {
            left: p.left,
            width: layout.body_width() - p.left - p.right,
            first_indent: p.first,
            align: p.align,
            size: None,
        }
    }
}

/// Shapes paragraphs: characters → glyphs → broken, placed lines.
pub(crate) struct Shaper<'a> {
    layout: &'a Layout,
    /// `None`: count grid cells instead of reading glyphs ([`count`]).
    fonts: Option<&'a FontBook>,
    strict: bool,
    source: &'a str,
    warnings: &'a mut Vec<Warning>,
    /// The atoms of the paragraph being set, one buffer for all: allocated per paragraph, they
    /// would leave holes between the glyph runs kept for the pages (a 20 MB report then took
    /// 130 MB more).
    scratch: Vec<Atom>,
}

impl Shaper<'_> {
    /// Break spans into lines placed by `g`, with forced breaks at the char offsets `breaks`
    /// (a title's lines, decided by the plan).
    pub(crate) fn set(
        &mut self,
        spans: &[Span],
        breaks: &[usize],
        line: usize,
        g: &Geometry,
    ) -> Result<Vec<SetLine>, Error> {
        let mut atoms = std::mem::take(&mut self.scratch);
        atoms.clear();
        self.collect(spans, line, g.size, &mut atoms)?;
        let mut out = Vec::new();
        let mut from = 0;
        for (k, &to) in breaks
            .iter()
            .chain(std::iter::once(&atoms.len()))
            .enumerate()
        {
            let to = to.clamp(from, atoms.len());
            let segment = &atoms[from..to];
            from = to;
            if segment.is_empty() {
                continue;
            }
            let first_indent = if k == 0 { g.first_indent } else { 0.0 };
            out.extend(self.linebreak(segment, g, first_indent));
        }
        // Keep the buffer for the next paragraph unless a huge one left it large.
        if atoms.capacity() <= 1 << 16 {
            self.scratch = atoms;
        }
        Ok(out)
    }

    /// One string in an element's face (furniture: 版头 fields, labels, the 版记).
    pub(crate) fn set_text(
        &mut self,
        e: Element,
        text: &str,
        g: &Geometry,
    ) -> Result<Vec<SetLine>, Error> {
        let spans = [Span {
            element: e,
            text: text.to_string(),
        }];
        self.set(&spans, &[], 0, g)
    }

    /// Resolve every character of a block to a font and glyph of its span's face.
    fn collect(
        &mut self,
        spans: &[Span],
        line: usize,
        size: Option<f32>,
        atoms: &mut Vec<Atom>,
    ) -> Result<(), Error> {
        // Sized once: a paragraph may hold millions of characters.
        atoms.reserve(spans.iter().map(|s| s.text.chars().count()).sum());
        for span in spans {
            let spec = self.layout.element(span.element);
            let size = size.unwrap_or(spec.size_pt);
            let colour = hex_colour(&spec.colour);
            for ch in span.text.chars() {
                let Some(fonts) = self.fonts else {
                    // Counting: a character takes its grid cells, as in Word.
                    if let Some(prev) = atoms.last_mut() {
                        if autospace(prev.ch, ch) {
                            prev.width += self.layout.grid.cjk_latin_space_em * size;
                        }
                    }
                    atoms.push(Atom {
                        ch,
                        font: 0,
                        gid: 0,
                        size,
                        colour,
                        width: char_cells(ch) * self.layout.char_width(size),
                    });
                    continue;
                };
                let (font, gid, adv) = match fonts.glyph(&spec.face, ch) {
                    Some(g) => g,
                    None => {
                        let msg = format!("no font has the character '{ch}' (U+{:04X})", ch as u32);
                        if self.strict {
                            return Err(Error::at(self.source, line, 0, msg).hint(
                                "install a font that has it and pass --font-dir, or drop --strict to get a warning",
                            ));
                        }
                        self.warnings.push(Warning::at(
                            self.source,
                            line,
                            format!("{msg}; it shows as a box"),
                        ));
                        (fonts.face(&spec.face).fonts[0], 0, 1.0)
                    }
                };
                // Word and LibreOffice set a little space between Chinese characters and Latin
                // letters or digits (autoSpaceDE/DN); the PDF does the same, so lines break alike.
                if let Some(prev) = atoms.last_mut() {
                    if autospace(prev.ch, ch) {
                        prev.width += self.layout.grid.cjk_latin_space_em * size;
                    }
                }
                let width = advance(self.layout, ch, size, adv);
                atoms.push(Atom {
                    ch,
                    font: font as u32, // a book holds a handful of fonts
                    gid,
                    size,
                    colour,
                    width,
                });
            }
        }
        Ok(())
    }

    /// Break atoms into lines and place each horizontally.
    fn linebreak(&self, atoms: &[Atom], g: &Geometry, first_indent: f32) -> Vec<SetLine> {
        let first = g.width - first_indent;
        let chars: Vec<char> = atoms.iter().map(|a| a.ch).collect();
        let widths: Vec<f32> = atoms.iter().map(|a| a.width).collect();
        let ranges = crate::linebreak::break_lines(&chars, &widths, first, g.width);
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
    } else if crate::plan::metrics::is_base(size, layout) {
        adv_em * size + crate::plan::metrics::tracking(layout) // as Word sets it (5.2.3)
    } else {
        adv_em * size
    }
}

/// Group a line's atoms into glyph runs of one font, size and colour. Each run's vectors are
/// allocated at their final size: a long document holds millions of glyphs, and vectors grown by
/// doubling would waste up to half of that.
fn runs(atoms: &[Atom], extra: &[f32], x0: f32) -> Vec<GlyphRun> {
    let same = |a: &Atom, b: &Atom| a.font == b.font && a.size == b.size && a.colour == b.colour;
    let mut out = Vec::with_capacity(atoms.chunk_by(|a, b| same(a, b)).count());
    let mut x = x0;
    let mut k = 0;
    for group in atoms.chunk_by(|a, b| same(a, b)) {
        let first = &group[0];
        let mut run = GlyphRun {
            x,
            y: 0.0,
            font: first.font as FontId,
            size: first.size,
            colour: first.colour,
            text: String::with_capacity(group.iter().map(|a| a.ch.len_utf8()).sum()),
            glyphs: Vec::with_capacity(group.len()),
        };
        for a in group {
            let start = run.text.len() as u32;
            run.text.push(a.ch);
            let advance = a.width + extra[k];
            run.glyphs.push(Glyph {
                id: a.gid,
                advance,
                text_range: start..run.text.len() as u32,
            });
            x += advance;
            k += 1;
        }
        out.push(run);
    }
    out
}

use crate::plan::metrics::baseline_offset;

fn hex_colour(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex, 16).unwrap_or(0);
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}
