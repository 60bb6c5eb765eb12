//! `Page`: the laid-out result, fully resolved — positioned glyph runs and rules, in points
//! from the top-left corner of the paper.
//!
//! The PDF writer draws exactly this and re-interprets nothing (like resvg's tree): fonts are
//! chosen, glyphs mapped, lines broken and justified before a `Page` exists.

use crate::fonts::FontId;

/// One glyph of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Distance to the next glyph's origin, in points (justification included).
    pub advance: f32,
    /// The bytes of the run's `text` this glyph shows (for copy and search in the PDF). `u32`,
    /// not `usize`: a glyph then takes 16 bytes instead of 32, and a long document has millions.
    pub text_range: std::ops::Range<u32>,
}

/// Glyphs in one font and size on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// Left end of the run, points from the paper's left edge.
    pub x: f32,
    /// Baseline, points from the paper's top edge.
    pub y: f32,
    /// Font of every glyph of the run.
    pub font: FontId,
    /// Size in points.
    pub size: f32,
    /// RGB colour.
    pub colour: [u8; 3],
    /// The text shown.
    pub text: String,
    /// The glyphs, left to right.
    pub glyphs: Vec<Glyph>,
    /// Turned a quarter anticlockwise, on a landscape page (a 横排表格, GB/T 9704 8): the
    /// baseline runs up the paper from (`x`, `y`), the glyphs' tops face its left edge.
    pub turned: bool,
}

impl GlyphRun {
    /// Width of the run in points.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// A horizontal rule (版头 red rule, 版记 rules), or a vertical one (a table's, or any rule of a
/// landscape page: a rectangle of `width` × `thickness`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Left end, points from the left edge.
    pub x: f32,
    /// Centre line, points from the top edge.
    pub y: f32,
    /// Length in points.
    pub width: f32,
    /// Thickness in points.
    pub thickness: f32,
    /// RGB colour.
    pub colour: [u8; 3],
}

/// One item on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text.
    Text(GlyphRun),
    /// A rule.
    Rule(Rule),
}

/// A PDF bookmark: a heading and where it sits.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    /// Heading level, 1 or 2.
    pub level: u8,
    /// The heading text.
    pub title: String,
    /// Page index (0-based).
    pub page: usize,
    /// Top of the heading's line, points from the top edge.
    pub y: f32,
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// What is on it.
    pub items: Vec<Item>,
    /// Body lines used (1-based grid line of the last text line; 0 when none).
    pub lines_used: u32,
    /// Whether the page shows a page number (7.5: not a blank page before the 版记 page, nor
    /// that page; not the first page of a 信函).
    pub numbered: bool,
}

/// The whole laid-out document: what the PDF writer needs and nothing else.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// Document title (PDF metadata).
    pub title: String,
    /// Bookmarks for level-1 and level-2 headings.
    pub bookmarks: Vec<Bookmark>,
}

/// `Paged` as text, one line per glyph run and rule (page, grid line, x, font, size, text), for
/// reference tests (`tests/ref/`). `font_name` names a run's font.
pub fn dump(paged: &Paged, top: f32, pitch: f32, font_name: &dyn Fn(FontId) -> String) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, page) in paged.pages.iter().enumerate() {
        let _ = writeln!(
            out,
            "page {} numbered {} lines {}",
            i + 1,
            page.numbered,
            page.lines_used
        );
        for item in &page.items {
            match item {
                Item::Text(r) => {
                    let line = (r.y - top) / pitch;
                    let _ = writeln!(
                        out,
                        "  line {:5.2} x {:6.1} {} {:.1} {:?}{}",
                        line,
                        r.x,
                        font_name(r.font),
                        r.size,
                        r.text,
                        if r.turned { " turned" } else { "" }
                    );
                }
                Item::Rule(r) => {
                    let _ = writeln!(
                        out,
                        "  rule y {:6.1} x {:6.1} w {:6.1} t {:.2} {:?}",
                        r.y, r.x, r.width, r.thickness, r.colour
                    );
                }
            }
        }
    }
    out
}
