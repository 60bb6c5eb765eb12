//! Pagination: a plan's lines onto the 22-line grid page by page, one routine for both measures.
//!
//! What a line holds depends on who measures it: the PDF layout (the `layout` stage) sets glyphs
//! with its fonts, the plan counts grid cells as Word does ([`Cells`]). Everything else — where a
//! page breaks under the keep rules (7.3.5), how a table's rows go over pages under a repeated
//! header, whether the 版记 takes a page of its own and a blank page before it (7.4), which
//! pages carry no number (7.5), which blocks go on landscape pages and how such a page is turned
//! onto the paper (8, 横排表格: [`landscape_blocks`], [`turn`]) — is decided here once, for any
//! [`Measure`]. The plan runs it with
//! [`Cells`] to tell the DOCX where its 版记 goes; the PDF runs it with its glyphs and draws the
//! [`Sheet`]s it gets back.

use super::flow::Flow;
use super::metrics::{Script, char_cells, run_spacing, seam};
use super::{Block, Para, Plan};
use crate::error::Error;
use crate::model::{Element, Span};
use crate::page::{Bookmark, Rule};
use crate::spec::{Align, LayoutSpec};

/// Measures text: spans → lines broken and placed across the body area as a [`Geometry`] says.
pub trait Measure {
    /// One line as this measure sets it (glyph runs for the PDF; nothing but its existence for
    /// a count).
    type Line: Clone;

    /// Break spans into lines placed by `g`, with forced breaks at the char offsets `breaks`
    /// (a title's lines, decided by the plan). `line`: the source line, for messages.
    fn lines(
        &mut self,
        spans: &[Span],
        breaks: &[usize],
        line: usize,
        g: &Geometry,
    ) -> Result<Vec<Self::Line>, Error>;

    /// One string in an element's face (furniture: 版头 fields, labels, the 版记).
    fn text(&mut self, e: Element, text: &str, g: &Geometry) -> Result<Vec<Self::Line>, Error> {
        let spans = [Span {
            element: e,
            text: text.to_string(),
        }];
        self.lines(&spans, &[], 0, g)
    }
}

/// Where a paragraph's lines go across the body area, in points from its left edge.
#[derive(Debug, Clone)]
pub struct Geometry {
    /// Left indent of every line.
    pub left: f32,
    /// Width of every line but the first.
    pub width: f32,
    /// The first line's indent relative to `left` (negative: hanging).
    pub first_indent: f32,
    /// Alignment.
    pub align: Align,
    /// A size other than the element's (the 发文机关标志 is sized to fit).
    pub size: Option<f32>,
}

impl Geometry {
    /// The geometry an element's spec gives (furniture placed by its own rules).
    pub fn of(e: Element, layout: &LayoutSpec) -> Geometry {
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
    pub fn of_para(p: &Para, layout: &LayoutSpec) -> Geometry {
        Geometry {
            left: p.left,
            width: layout.body_width() - p.left - p.right,
            first_indent: p.first,
            align: p.align,
            size: None,
        }
    }
}

/// The grid-cell measure: every full-width character takes an em of its size, a Latin letter
/// or digit half, less the run spacing of base-size text, in portions of one script with the
/// 汉字–Latin autospace between them ([`super::metrics::seam`]) — as Word and LibreOffice set
/// text on the grid, and the PDF with its fonts. No font is read.
pub struct Cells<'a> {
    layout: &'a LayoutSpec,
    /// One buffer for every paragraph's characters, widths and autospaces.
    chars: Vec<char>,
    widths: Vec<f32>,
    spaces: Vec<f32>,
    /// The width each character gains when it ends a line (its run spacing given back).
    tails: Vec<f32>,
}

impl<'a> Cells<'a> {
    /// A cell measure for a layout's grid.
    pub fn new(layout: &'a LayoutSpec) -> Cells<'a> {
        Cells {
            layout,
            chars: Vec::new(),
            widths: Vec::new(),
            spaces: Vec::new(),
            tails: Vec::new(),
        }
    }
}

impl Cells<'_> {
    /// The char ranges of a paragraph's lines as grid cells set them.
    pub fn line_ranges(
        &mut self,
        spans: &[Span],
        breaks: &[usize],
        g: &Geometry,
    ) -> Vec<std::ops::Range<usize>> {
        let (chars, widths, spaces, tails) = (
            &mut self.chars,
            &mut self.widths,
            &mut self.spaces,
            &mut self.tails,
        );
        chars.clear();
        widths.clear();
        spaces.clear();
        tails.clear();
        let layout = self.layout;
        let tracked = |size: f32| run_spacing(size, layout);
        let (mut script, mut run, mut last_size) = (Script::Weak, None, 0.0);
        for span in spans {
            let size = g.size.unwrap_or(layout.element(span.element).size_pt);
            for ch in span.text.chars() {
                script = match (
                    chars.last(),
                    widths.last_mut(),
                    spaces.last_mut(),
                    tails.last_mut(),
                ) {
                    (Some(&prev), Some(w), Some(sp), Some(tail)) => {
                        let same_run = run == Some(span.element);
                        let s = seam(
                            prev,
                            script,
                            last_size,
                            ch,
                            same_run,
                            layout.grid.cjk_latin_space_em,
                        );
                        if s.ends {
                            *w -= tracked(last_size);
                            *tail = 0.0;
                        }
                        *sp = s.space;
                        s.script
                    }
                    _ => super::metrics::script(ch),
                };
                run = Some(span.element);
                last_size = size;
                chars.push(ch);
                widths.push(char_cells(ch) * size + tracked(size));
                spaces.push(0.0);
                tails.push(-tracked(size));
            }
        }
        let mut out = Vec::new();
        let mut from = 0;
        for (k, &to) in breaks
            .iter()
            .chain(std::iter::once(&chars.len()))
            .enumerate()
        {
            let to = to.clamp(from, chars.len());
            let (c, w) = (&chars[from..to], &widths[from..to]);
            let (sp, tl) = (&spaces[from..to], &tails[from..to]);
            from = to;
            if c.is_empty() {
                continue;
            }
            let first_indent = if k == 0 { g.first_indent } else { 0.0 };
            let at = to - c.len();
            out.extend(
                crate::linebreak::break_spaced(
                    c,
                    w,
                    |k| (sp[k], tl[k]),
                    g.width - first_indent,
                    g.width,
                )
                .into_iter()
                .map(|r| r.start + at..r.end + at),
            );
        }
        out
    }
}

impl Measure for Cells<'_> {
    type Line = ();

    fn lines(
        &mut self,
        spans: &[Span],
        breaks: &[usize],
        _line: usize,
        g: &Geometry,
    ) -> Result<Vec<()>, Error> {
        Ok(vec![(); self.line_ranges(spans, breaks, g).len()])
    }
}

/// One page as the pagination filled it, before anything is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet<L> {
    /// Whether the page shows a page number (7.5).
    pub numbered: bool,
    /// A landscape page (GB/T 9704 8, 横排表格): its lines and rules are placed as on a body
    /// area as wide as the portrait one is high (225 mm) and as high as it is wide (156 mm), in
    /// the same coordinates as a portrait page's (grid line tops from `body_top`, x from
    /// `body_left`); the writer turns them onto the portrait paper ([`turn`]).
    pub landscape: bool,
    /// Grid lines used (1-based grid line of the last line put; 0 when none).
    pub lines_used: u32,
    /// The distance from one line to the next, pt: the grid's, or less on a page tightened so
    /// that its 署名 block fits (7.3.5.5, the layout's `closing_fit_lines`).
    pub pitch: f32,
    /// Lines and rules, in the order they were put.
    pub items: Vec<Placed<L>>,
}

/// Something put on a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Placed<L> {
    /// A line on grid line `li` (0-based) of the body area.
    Line {
        /// The grid line.
        li: usize,
        /// The line as the measure set it.
        line: L,
    },
    /// A line off the grid (a table cell's, set at its own pitch): its box `pitch` points high
    /// with its top `top` points under the body area's top.
    At {
        /// Top of the line's box, points under the body area's top.
        top: f32,
        /// Height of the line's box, points (the baseline is placed in it as on the grid).
        pitch: f32,
        /// The line as the measure set it.
        line: L,
    },
    /// A table's or the 版记's rule.
    Rule(Rule),
}

/// Where a point of a landscape page's body area (x, y in points from the paper's top-left
/// corner, placed as if the body area began where a portrait one does) lands on the portrait
/// paper: the page is turned 90° so that the table's head faces the paper's left edge. GB/T 9704
/// 8 puts the head on the binding edge (订口) of an odd page and on the outer edge (切口) of an
/// even page; printed double-sided and bound on the left, an odd page's 订口 is its left edge,
/// and an even page (the back of the leaf) has its 切口 on the left: the left edge either way,
/// so every landscape page turns alike, and a reader turns the document a quarter clockwise to
/// read it. The landscape body area's left edge is the portrait one's foot, its top the
/// portrait one's left edge: the same rectangle of paper.
pub fn turn(layout: &LayoutSpec, x: f32, y: f32) -> (f32, f32) {
    let (u, v) = (x - layout.body_left(), y - layout.body_top());
    (
        layout.body_left() + v,
        layout.body_top() + layout.body_height() - u,
    )
}

/// A whole plan paginated.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination<L> {
    /// The pages, the 版头's first (the 版头 itself is not on it: it sits at fixed places the
    /// plan gives, and the title starts on its `title_line`).
    pub sheets: Vec<Sheet<L>>,
    /// Level-1 and level-2 headings and where they start.
    pub bookmarks: Vec<Bookmark>,
    /// Pages started for the 版记 (0, 1, or 2 with a blank page).
    pub colophon_breaks: usize,
    /// The page (0-based) each block of the plan starts on.
    pub block_pages: Vec<usize>,
    /// For each table in order, the space after it that puts the next line on the grid, points
    /// (0 when the next line opens a page).
    pub table_gaps: Vec<f32>,
}

/// The flow of a whole plan: the 版头's room, blocks (each measured first, so a block kept with
/// the next knows how many lines follow it), attachment pages, 版记.
pub fn paginate<M: Measure>(
    plan: &Plan,
    layout: &LayoutSpec,
    measure: &mut M,
) -> Result<Pagination<M::Line>, Error> {
    let mut flow = Flow::new(layout);
    if let Some(head) = &plan.masthead {
        flow.li = head.title_line;
    }
    let turned = landscape_blocks(&plan.blocks);
    let mut measured = Vec::with_capacity(plan.blocks.len());
    for (block, &turned) in plan.blocks.iter().zip(&turned) {
        measured.push(match block {
            Block::Para(p) => {
                let mut g = Geometry::of_para(p, layout);
                if turned {
                    // A table's caption on its landscape page, across the page's width.
                    g.width += layout.body_height() - layout.body_width();
                }
                Some(measure.lines(&p.spans, &p.breaks, p.line, &g)?)
            }
            Block::Table(_) => None,
        });
    }
    let heights: Vec<usize> = measured
        .iter()
        .map(|s| s.as_ref().map_or(usize::MAX / 4, Vec::len))
        .collect();
    let tails = chain_tails(&plan.blocks, &heights);
    let mut gaps = Vec::new();
    for (k, (((block, lines), tail), turned)) in plan
        .blocks
        .iter()
        .zip(measured)
        .zip(tails)
        .zip(turned)
        .enumerate()
    {
        if turned {
            flow.turn(true);
        }
        match (block, lines) {
            (Block::Para(p), Some(lines)) => {
                flow.place_para(p, lines, tail, closing_keep(&plan.blocks, k))
            }
            (Block::Table(t), _) => {
                flow.table_starts();
                gaps.push(flow.table(t, measure)?)
            }
            _ => unreachable!("paragraphs are measured"),
        }
    }
    if let Some(colophon) = &plan.colophon {
        flow.colophon(colophon, &plan.source, measure)?;
    }
    let mut done = flow.finish();
    done.table_gaps = gaps;
    Ok(done)
}

/// Which blocks go on landscape pages (GB/T 9704 8): each table the plan set landscape
/// ([`super::fit::orientation`]), and the caption and `单位：` lines kept with it (body
/// paragraphs kept whole and with the next, in a chain that ends at the table), so a 横排表格's
/// caption is over it on its page; a heading right before them goes with them, as it goes with
/// its first line (left on the portrait page, it would end that page alone). Both writers read this: the PDF turns these pages, the DOCX
/// puts these blocks in a landscape section.
pub fn landscape_blocks(blocks: &[Block]) -> Vec<bool> {
    let mut out = vec![false; blocks.len()];
    for k in (0..blocks.len()).rev() {
        out[k] = match &blocks[k] {
            Block::Table(t) => t.landscape,
            Block::Para(p) => {
                (p.role == Element::Body || p.role.level().is_some())
                    && p.keep_with_next
                    && p.keep_lines
                    && !p.page_break_before
                    && out.get(k + 1).copied().unwrap_or(false)
            }
        };
    }
    out
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

/// Whether block `k`'s keep with the next is the 署名 rule's (7.3.5: 署名 and 日期 never open a
/// page without body text; the 附件说明 goes with them): a keep no chain limit may break.
pub(super) fn closing_keep(blocks: &[Block], k: usize) -> bool {
    let closing = |b: Option<&Block>| {
        matches!(b, Some(Block::Para(p)) if matches!(
            p.role,
            Element::Attachment | Element::Signature | Element::Date
        ))
    };
    closing(blocks.get(k)) || closing(blocks.get(k + 1))
}

/// Let a keep yield where its chain would carry more than the layout's `chain_max_lines` to
/// the next page (a typesetter moves a few lines, never half a page): from the end, each kept
/// block's chain is what `chain_tails` would give it; where its own lines that move (all of a
/// block never split, else its last two) and that chain pass the limit, its `keep_with_next`
/// is cleared and the chain starts again after it. The 署名 rule's keeps never yield. And a
/// paragraph kept with the next that may split gets its `kept_tail`: where its last two lines
/// begin. Counted in grid cells, so the plan decides once for both writers.
pub(super) fn settle_keeps(blocks: &mut [Block], layout: &LayoutSpec) -> Result<(), Error> {
    let max = layout.keeps.chain_max_lines as usize;
    let mut cells = Cells::new(layout);
    let mut from = vec![0usize; blocks.len() + 1];
    for k in (0..blocks.len()).rev() {
        let mandatory = closing_keep(blocks, k);
        let Block::Para(p) = &mut blocks[k] else {
            continue;
        };
        if p.page_break_before {
            continue;
        }
        let ranges = cells.line_ranges(&p.spans, &p.breaks, &Geometry::of_para(p, layout));
        let n = ranges.len();
        let own = p.space_before as usize;
        if p.keep_with_next && !mandatory {
            let moved = if p.keep_lines { n } else { n.min(2) };
            if moved.saturating_add(from[k + 1]) > max {
                p.keep_with_next = false;
            }
        }
        p.kept_tail = (p.keep_with_next && !p.keep_lines && n > 2).then(|| ranges[n - 2].start);
        from[k] = if !p.keep_lines {
            own + n.min(1)
        } else if p.keep_with_next {
            own.saturating_add(n).saturating_add(from[k + 1])
        } else {
            own + n
        };
    }
    Ok(())
}

/// What counting grid cells gives: pages, and whether the 版记 takes a page of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// Pages.
    pub pages: usize,
    /// Pages started for the 版记 (0, 1, or 2 with a blank page).
    pub colophon_breaks: usize,
}

/// Paginate a plan by counting grid cells ([`Cells`]): what Word and WPS make of the DOCX.
pub fn count(plan: &Plan, layout: &LayoutSpec) -> Result<Count, Error> {
    let p = paginate(plan, layout, &mut Cells::new(layout))?;
    Ok(Count {
        pages: p.sheets.len(),
        colophon_breaks: p.colophon_breaks,
    })
}
