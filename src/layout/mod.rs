//! LayoutSpec, the PDF's half of the pipeline: `Plan` + fonts → `Paged` (pages of positioned glyph
//! runs).
//!
//! [`Shaper`] maps every character to a font, glyph and grid width, breaks a paragraph into
//! lines ([`crate::linebreak`]) and places them horizontally as the plan says (indents,
//! alignment, justification): it is the glyph [`Measure`] the plan's pagination
//! ([`crate::plan::paginate`]) runs with, which puts lines on the 22-line grid page by page with
//! the plan's keep rules, tables and the 版记. [`furniture`] draws what sits at fixed places —
//! the 版头 and page numbers. A landscape page's lines (a 横排表格, GB/T 9704 8) are set as on
//! a landscape body area and turned onto the portrait paper here ([`turn`]). Nothing here decides
//! what the DOCX must also show: that is the plan's.

mod furniture;

/// The plan's fit check of the 版头 and the 版记, which [`crate::plan::plan`] runs, and the most
/// table columns a width holds: kept here for callers that check a plan they made themselves.
pub use crate::plan::fit::{check, max_table_columns};

use crate::error::{Error, Warning};
use crate::fonts::{FontBook, FontId};
use crate::model::Span;
use crate::page::{Glyph, GlyphRun, Item, Page, Paged};
use crate::plan::Plan;
use crate::plan::metrics::{Script, baseline_offset, run_spacing, seam};
use crate::plan::paginate::{Geometry, Measure, Placed, paginate};
use crate::spec::{Align, LayoutSpec};

/// Lay out a planned document with its fonts. Characters no font has are warnings (`strict`:
/// an error).
pub fn layout(
    plan: &Plan,
    layout: &LayoutSpec,
    fonts: &FontBook,
    strict: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Paged, Error> {
    let mut shaper = Shaper {
        layout,
        fonts,
        strict,
        source: &plan.source,
        warnings,
        scratch: Vec::new(),
    };
    // The 版头 first, at its fixed places on page 1; the flow starts under it.
    let mut first = blank_page(layout);
    if let Some(head) = &plan.masthead {
        furniture::masthead(&mut first, head, &mut shaper)?;
    }
    let paginated = paginate(plan, layout, &mut shaper)?;
    let mut pages = Vec::with_capacity(paginated.sheets.len());
    let mut first = Some(first);
    for sheet in paginated.sheets {
        let mut page = first.take().unwrap_or_else(|| blank_page(layout));
        page.numbered = sheet.numbered;
        page.lines_used = page.lines_used.max(sheet.lines_used);
        let from = page.items.len();
        for placed in sheet.items {
            match placed {
                Placed::Line { li, line } => put_pitched(&mut page, layout, li, sheet.pitch, line),
                Placed::At { top, pitch, line } => {
                    // A table cell's line, at its own pitch off the grid.
                    let baseline = layout.body_top() + top + baseline_offset(pitch, line.size);
                    put_at(&mut page, baseline, line);
                }
                Placed::Rule(r) => page.items.push(Item::Rule(r)),
            }
        }
        if sheet.landscape {
            // A 横排表格 (GB/T 9704 8): set as on a landscape body area, turned onto the paper.
            page.items[from..].iter_mut().for_each(|i| turn(layout, i));
        }
        pages.push(page);
    }
    furniture::page_numbers(&mut pages, layout, fonts);
    Ok(Paged {
        pages,
        title: plan.title.clone(),
        bookmarks: paginated.bookmarks,
    })
}

/// Turn an item set on a landscape page onto the portrait paper ([`crate::plan::paginate::turn`]):
/// a run's baseline then runs up the paper, a rule's rectangle is turned with it.
fn turn(layout: &LayoutSpec, item: &mut Item) {
    match item {
        Item::Text(run) => {
            (run.x, run.y) = crate::plan::paginate::turn(layout, run.x, run.y);
            run.turned = true;
        }
        Item::Rule(r) => {
            // The rectangle's corner nearest the paper's top-left: the landscape one's bottom-left.
            let (x, y) =
                crate::plan::paginate::turn(layout, r.x + r.width, r.y - r.thickness / 2.0);
            (r.width, r.thickness) = (r.thickness, r.width);
            r.x = x;
            r.y = y + r.thickness / 2.0;
        }
    }
}

/// An empty page of the layout's size, numbered.
fn blank_page(layout: &LayoutSpec) -> Page {
    Page {
        width: layout.page_width(),
        height: layout.page_height(),
        items: vec![],
        lines_used: 0,
        numbered: true,
    }
}

/// Put a set line on grid line `li` of a page, its baseline where the grid puts it.
fn put(page: &mut Page, layout: &LayoutSpec, li: usize, line: SetLine) {
    put_pitched(page, layout, li, layout.grid.line_pitch_pt, line);
}

/// Put a set line on grid line `li` of a page whose lines are `pitch` apart (the grid's, or
/// less on a page tightened for its 署名 block, 7.3.5.5), its baseline where the grid puts it.
fn put_pitched(page: &mut Page, layout: &LayoutSpec, li: usize, pitch: f32, mut line: SetLine) {
    let baseline = layout.body_top() + li as f32 * pitch + baseline_offset(pitch, line.size);
    for mut run in line.runs.drain(..) {
        run.y = baseline;
        page.items.push(Item::Text(run));
    }
    page.lines_used = page.lines_used.max(li as u32 + 1);
}

/// Put a set line at an exact baseline (the 发文机关标志 is not on the grid).
fn put_at(page: &mut Page, baseline: f32, mut line: SetLine) {
    for mut run in line.runs.drain(..) {
        run.y = baseline;
        page.items.push(Item::Text(run));
    }
}

/// One character, resolved: font, glyph and the width it takes on the line. 28 bytes, not 32
/// (the font as `u32`): a paragraph's atoms are all held while it is set, and a text on one
/// line is one paragraph of millions of characters.
#[derive(Debug, Clone)]
struct Atom {
    ch: char,
    /// Its advance as Word and LibreOffice set it ([`advance`]), at its full advance when a
    /// text portion ends after it ([`crate::plan::metrics::Seam::ends`]).
    width: f32,
    /// The 汉字–Latin autospace after it, set only when the line goes on after it.
    space: f32,
    size: f32,
    font: u32,
    gid: u16,
    colour: [u8; 3],
    /// A text portion ends after it (its width is its full advance already).
    ends: bool,
}

/// One line, placed horizontally; its baseline is set when it is put on a page.
#[derive(Clone)]
pub(crate) struct SetLine {
    runs: Vec<GlyphRun>,
    size: f32,
}

/// Shapes paragraphs: characters → glyphs → broken, placed lines.
pub(crate) struct Shaper<'a> {
    layout: &'a LayoutSpec,
    fonts: &'a FontBook,
    strict: bool,
    source: &'a str,
    warnings: &'a mut Vec<Warning>,
    /// The atoms of the paragraph being set, one buffer for all: allocated per paragraph, they
    /// would leave holes between the glyph runs kept for the pages (a 20 MB report then took
    /// 130 MB more).
    scratch: Vec<Atom>,
}

impl Measure for Shaper<'_> {
    type Line = SetLine;

    fn lines(
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
}

impl Shaper<'_> {
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
        // The script of the portion the last character is in, and its run's element.
        let mut script = Script::Weak;
        let mut run = None;
        for span in spans {
            let spec = self.layout.element(span.element);
            let size = size.unwrap_or(spec.size_pt);
            let colour = hex_colour(&spec.colour);
            let fonts = self.fonts;
            for ch in span.text.chars() {
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
                // Word and LibreOffice set text in portions of one script and run, with a little
                // space between Chinese characters and Latin letters or digits (autoSpaceDE/DN);
                // the PDF does the same, so lines break alike.
                script = match atoms.last_mut() {
                    Some(prev) => {
                        let same_run = run == Some(span.element);
                        let s = seam(prev.ch, script, prev.size, ch, same_run, self.space_em());
                        if s.ends {
                            prev.width -= run_spacing(prev.size, self.layout);
                            prev.ends = true;
                        }
                        prev.space = s.space;
                        s.script
                    }
                    None => crate::plan::metrics::script(ch),
                };
                run = Some(span.element);
                let width = advance(self.layout, size, adv);
                atoms.push(Atom {
                    ch,
                    font: font as u32, // a book holds a handful of fonts
                    gid,
                    size,
                    colour,
                    width,
                    space: 0.0,
                    ends: false,
                });
            }
        }
        Ok(())
    }

    /// The layout's 汉字–Latin autospace, em.
    fn space_em(&self) -> f32 {
        self.layout.grid.cjk_latin_space_em
    }

    /// Break atoms into lines and place each horizontally.
    fn linebreak(&self, atoms: &[Atom], g: &Geometry, first_indent: f32) -> Vec<SetLine> {
        let first = g.width - first_indent;
        let chars: Vec<char> = atoms.iter().map(|a| a.ch).collect();
        let widths: Vec<f32> = atoms.iter().map(|a| a.width).collect();
        // A character that ends a line is set at its full advance: its run spacing is its tail.
        let glue = |k: usize| {
            let a = &atoms[k];
            let tail = if a.ends {
                0.0
            } else {
                -run_spacing(a.size, self.layout)
            };
            (a.space, tail)
        };
        let ranges = crate::linebreak::break_spaced(&chars, &widths, glue, first, g.width);
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
                let mut w: Vec<f32> = line.iter().map(|a| a.width + a.space).collect();
                // The line's last character: no space after it, and at its full advance (its
                // portion ends with the line).
                if let (Some(last), Some(a)) = (w.last_mut(), line.last()) {
                    *last = a.width;
                    if !a.ends {
                        *last -= run_spacing(a.size, self.layout);
                    }
                }
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
                    runs: runs(line, &w, &extra, x0),
                    size,
                }
            })
            .collect()
    }
}

/// Width of a glyph on the line, as Word and LibreOffice set it from the DOCX: the font's advance
/// (a full-width character one em; ℃ 0.95 em in FandolFang, as LibreOffice sets it) plus the
/// run spacing of base-size text, −0.25 pt ([`crate::plan::metrics::tracking`]): a 16 pt character
/// 15.75 pt wide, 28 of them in 441 pt of the 442.2 pt line (5.2.3), the rest spread by
/// justification; a digit 7.75 pt.
fn advance(layout: &LayoutSpec, size: f32, adv_em: f32) -> f32 {
    adv_em * size + run_spacing(size, layout)
}

/// Group a line's atoms (set `widths` wide, plus `extra` from justification) into glyph runs of
/// one font, size and colour. Each run's vectors are allocated at their final size: a long
/// document holds millions of glyphs, and vectors grown by doubling would waste up to half of
/// that.
fn runs(atoms: &[Atom], widths: &[f32], extra: &[f32], x0: f32) -> Vec<GlyphRun> {
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
            turned: false,
        };
        for a in group {
            let start = run.text.len() as u32;
            run.text.push(a.ch);
            let advance = widths[k] + extra[k];
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

fn hex_colour(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex, 16).unwrap_or(0);
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontOptions;
    use crate::plan::paginate::Cells;

    /// The advances of a line's glyphs as LibreOffice sets our DOCX (measured on its PDF):
    /// 15.75 pt a 汉字, a portion's last character at its full 16 pt (8 pt a digit), 3.2 pt of
    /// autospace between 汉字 and digits, none beside `，`; the line's last character full.
    #[test]
    fn a_line_is_set_as_libreoffice_sets_it() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let fonts = FontBook::load(
            &layout,
            &FontOptions {
                dirs: vec![],
                system: false,
            },
        )
        .unwrap();
        let mut warnings = Vec::new();
        let mut shaper = Shaper {
            layout: &layout,
            fonts: &fonts,
            strict: false,
            source: "",
            warnings: &mut warnings,
            scratch: Vec::new(),
        };
        let spans = [Span {
            element: crate::model::Element::Body,
            text: "一二2023三，45四".into(),
        }];
        let mut g = Geometry::of(crate::model::Element::Body, &layout);
        g.align = Align::Left;
        g.first_indent = 0.0;
        let lines = shaper.lines(&spans, &[], 1, &g).unwrap();
        let advances: Vec<f32> = lines[0]
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| (g.advance * 100.0).round() / 100.0))
            .collect();
        assert_eq!(
            advances,
            [
                15.75, 19.2, 7.75, 7.75, 7.75, 11.2, 15.75, 16.0, 7.75, 11.2, 16.0
            ]
        );
    }

    /// The seed report with a 版记, and `extra` body lines before its last paragraph.
    fn seed_with_colophon(extra: usize) -> String {
        let seed = include_str!("../../data/shuzhi-report.txt");
        let line =
            "各乡镇、各部门要结合本地区本行业实际，进一步细化检查范围和检查内容，做到全覆盖。\n";
        format!(
            "@抄送: 县委办公室，县人大常委会办公室，县政协办公室。\n@印发机关: 青山县人民政府办公室\n@印发日期: 2023年7月1日\n{seed}{}",
            line.repeat(extra)
        )
    }

    /// Grid lines used and whether numbered, page by page.
    fn used<L>(sheets: &[crate::plan::paginate::Sheet<L>]) -> Vec<(u32, bool)> {
        sheets.iter().map(|s| (s.lines_used, s.numbered)).collect()
    }

    /// The plan places the DOCX's 版记 by counting grid cells; the PDF paginates with its glyphs
    /// through the same routine, and both put it in the same place: for the seed, whose body
    /// ends on page 5 (odd), on page 6 of its own; with 19 sentences more (38 lines), at the foot
    /// of page 6 under the body; with 20, which fill page 6, on page 8 after a blank page 7.
    #[test]
    fn cells_and_glyphs_put_the_colophon_on_the_same_page() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let fonts = FontBook::load(
            &layout,
            &FontOptions {
                dirs: vec![],
                system: false,
            },
        )
        .unwrap();
        for (extra, pages, breaks) in [(0, 6, 1), (19, 6, 0), (20, 8, 2)] {
            let text = seed_with_colophon(extra);
            let doc = crate::plaintext::parse(&text, "seed.txt", &mut vec![]).unwrap();
            let plan = crate::plan::plan(&doc, &layout).unwrap();
            let c = plan.colophon.as_ref().unwrap();
            let want = (breaks > 0, breaks > 1);
            assert_eq!((c.own_page, c.blank_page), want, "extra {extra}");
            let cells = paginate(&plan, &layout, &mut Cells::new(&layout)).unwrap();
            let mut warnings = Vec::new();
            let mut shaper = Shaper {
                layout: &layout,
                fonts: &fonts,
                strict: false,
                source: &plan.source,
                warnings: &mut warnings,
                scratch: Vec::new(),
            };
            let glyphs = paginate(&plan, &layout, &mut shaper).unwrap();
            for p in [&cells.sheets.len(), &glyphs.sheets.len()] {
                assert_eq!(*p, pages, "extra {extra}");
            }
            assert_eq!(cells.colophon_breaks, breaks, "extra {extra}");
            assert_eq!(glyphs.colophon_breaks, breaks, "extra {extra}");
            // Page by page, the same grid lines used and the same pages numbered.
            assert_eq!(used(&cells.sheets), used(&glyphs.sheets), "extra {extra}");
            if breaks == 0 {
                continue;
            }
            // The 版记's page holds only the 版记: 抄送 and the 印发 line (organ, date) at the foot.
            let last = glyphs.sheets.last().unwrap();
            let lis: Vec<usize> = last
                .items
                .iter()
                .filter_map(|i| match i {
                    Placed::Line { li, .. } => Some(*li),
                    Placed::Rule(_) | Placed::At { .. } => None,
                })
                .collect();
            assert_eq!(lis, [20, 21, 21], "extra {extra}");
        }
    }
}
