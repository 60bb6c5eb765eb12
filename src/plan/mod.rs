//! The plan: `Document` + layout file → every decision both writers share, made once.
//!
//! The PDF layout (the `layout` stage) and the DOCX writer ([`crate::export::docx`]) both read a
//! [`Plan`] and neither re-derives what it says: each paragraph's role, face sizes, indents
//! (hanging and closing ones included), blank lines, keep rules and forced line breaks; the 版头's
//! grid lines and rule positions; table column widths; the fixed strings (`附件1`, `抄送：`,
//! `签发人：`, `…印发`). The plan has no fonts: where it must measure text (the title's breaks,
//! the 署名 column, the 附件说明 hang) it counts grid cells ([`metrics`]), which is what Word and
//! LibreOffice do for full-width text too, so both outputs agree.
//!
//! Pagination is one routine here ([`paginate`]), generic over how text is measured: the plan
//! runs it counting grid cells to place the DOCX's 版记 (Word and WPS paginate the rest of the
//! DOCX themselves), the PDF runs it with its glyphs. What must fit its page (the 版头, the 版记)
//! is checked when the plan is made, and whether a table goes on landscape pages decided
//! ([`fit`]).

pub mod build;
pub mod dump;
pub mod fit;
mod flow;
pub mod masthead;
pub mod metrics;
pub mod paginate;
pub mod table;
mod table_flow;
mod words;

use crate::error::Error;
use crate::model::{Element, Span};
use crate::spec::{Align, LayoutSpec};

pub use fit::{Orientation, check, max_table_columns, orientation};
pub use masthead::{DocNumber, IssuerMark, MastheadField, MastheadPlan, MastheadRule};
pub use paginate::{Count, count};

/// The longest title the metadata carries. A draft whose whole text is one line is read as one
/// huge title; the PDF holds its metadata title three times (Info, XMP, UTF-16) and a 20 MB
/// line took 60 MB more memory for a title no viewer shows in full.
pub const METADATA_TITLE_CHARS: usize = 1000;

/// Everything both writers need to know about one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The title on one line, for the files' metadata (PDF Info and XMP, DOCX core
    /// properties): at most [`METADATA_TITLE_CHARS`] characters, the rest marked by `…` (the
    /// title itself is set in full on the page).
    pub title: String,
    /// Where the document came from, for messages.
    pub source: String,
    /// Who issued it (the first 发文机关, else the first 署名): DOCX core properties.
    pub creator: String,
    /// The 成文日期 as ISO `YYYY-MM-DD`, when the document has one: the DOCX's creation date,
    /// so the same input gives the same bytes.
    pub date: Option<String>,
    /// The 版头 (7.2), if the document has one.
    pub masthead: Option<MastheadPlan>,
    /// Paragraphs and tables in reading order, attachment pages (8) included.
    pub blocks: Vec<Block>,
    /// The 版记 (7.4), if the document has one.
    pub colophon: Option<ColophonPlan>,
}

/// One block of the flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Para(Para),
    /// A ruled table (boxed: a table holds more than a paragraph, and a document of 262,000
    /// one-line paragraphs would carry the difference in each).
    Table(Box<Table>),
}

/// A paragraph with everything decided: lengths in points, blank lines in grid lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// The GB/T 9704 element it is: its face, colour and style come from the layout file's
    /// entry for this element.
    pub role: Element,
    /// The text in one or more faces (a run-in heading: heading span, then body span). No span
    /// holds a line break; forced breaks are in `breaks`.
    pub spans: Vec<Span>,
    /// Forced line breaks, as char offsets into the paragraph's text (the spans joined): the
    /// title's lines (7.3.1) and an attachment title's.
    pub breaks: Vec<usize>,
    /// Font size of the role's spans, points.
    pub size: f32,
    /// Alignment.
    pub align: Align,
    /// Left indent from the body area's left edge, points.
    pub left: f32,
    /// Right indent from the body area's right edge, points.
    pub right: f32,
    /// First-line indent relative to `left`, points; negative: a hanging indent.
    pub first: f32,
    /// Blank grid lines before (dropped at the top of a page).
    pub space_before: u32,
    /// Blank grid lines after.
    pub space_after: u32,
    /// Keep with the next block on one page: a heading with its first line; the last body
    /// paragraph (its last two lines), 附件说明, 署名 and 日期 with what follows, so that 署名
    /// and 日期 never open a page alone (7.3.5).
    pub keep_with_next: bool,
    /// Never split across pages (署名, 日期, 附注 lines, headings).
    pub keep_lines: bool,
    /// For a paragraph kept with the next that may split (the last body paragraph before the
    /// 署名): the char offset where the lines the keep carries begin — its last two lines as
    /// grid cells count them. A writer whose readers move a whole kept paragraph (LibreOffice
    /// does; Word keeps only its last lines) sets those lines as a paragraph of their own.
    pub kept_tail: Option<usize>,
    /// The line pitch, pt, of the page this paragraph starts on when that page is tightened so
    /// that its 署名 block fits (7.3.5.5, the layout's `closing_fit_lines`), as grid cells count
    /// the pages; `None` on the grid's pitch. The DOCX sets these paragraphs' lines exactly so.
    pub pitch: Option<f32>,
    /// Starts a new page (an attachment page's `附件N`, 8).
    pub page_break_before: bool,
    /// Source line, for messages (0: made by the plan).
    pub line: usize,
}

impl Para {
    /// A paragraph with its element's own geometry from the layout file, nothing kept.
    pub fn of(role: Element, spans: Vec<Span>, line: usize, layout: &LayoutSpec) -> Para {
        let spec = layout.element(role);
        let one = layout.char_width(spec.size_pt); // "一字" of this element (7.3.3: 空二字)
        Para {
            role,
            spans,
            breaks: vec![],
            size: spec.size_pt,
            align: spec.align,
            left: spec.left_chars * one,
            right: spec.right_chars * one,
            first: spec.first_line_chars * one,
            space_before: spec.space_before_lines,
            space_after: spec.space_after_lines,
            keep_with_next: false,
            keep_lines: false,
            kept_tail: None,
            pitch: None,
            page_break_before: false,
            line,
        }
    }

    /// The level a reader's outline shows this paragraph at (Word's navigation pane, the PDF's
    /// bookmarks): a heading's (7.3.3) when it stands alone on its line; none for body text, nor
    /// for a run-in heading (`（一）加强领导。各地要……`), whose paragraph is body text led by a
    /// heading's words: listing it would put its whole text, hundreds of characters, in the
    /// outline (issue 23).
    pub fn outline_level(&self) -> Option<u8> {
        let run_in = self.spans.iter().any(|s| s.element == Element::Body);
        self.role.level().filter(|_| !run_in)
    }

    /// All text of the paragraph.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// The text cut at the forced breaks: one string per line the author asked for.
    pub fn lines(&self) -> Vec<String> {
        let text: Vec<char> = self.text().chars().collect();
        let mut out = Vec::new();
        let mut from = 0;
        for &b in self.breaks.iter().chain(std::iter::once(&text.len())) {
            out.push(text[from..b.min(text.len())].iter().collect());
            from = b.min(text.len());
        }
        out
    }
}

/// A ruled table (practice; the standard gives no numbers; `[table]` in the layout file says
/// what this project chose and why).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Cells row by row; the first `header_rows` are the header, repeated on a new page. A cell
    /// a merge covers, but for its top-left one, is empty.
    pub rows: Vec<Vec<String>>,
    /// Merged cells: down (the PDF draws no rule between them, the DOCX `w:vMerge`) and across
    /// (one cell over the columns; the DOCX `w:gridSpan`).
    pub merges: Vec<crate::model::Merge>,
    /// Column widths, points, summing to the body width, from the cells' content
    /// ([`table::table_columns`]).
    pub columns: Vec<f32>,
    /// Text inset from the vertical rules on each side, points.
    pub padding: f32,
    /// Text inset from the horizontal rules above and below, points.
    pub padding_v: f32,
    /// Cell text size, points.
    pub size: f32,
    /// Pitch of a cell's lines, points: cells are set single-spaced at their own size, off the
    /// body's grid (the DOCX: exact line spacing, not snapped to the grid).
    pub line_pitch: f32,
    /// Rule thickness, points, in eighths of a point as the DOCX writes borders.
    pub rule: f32,
    /// Source line.
    pub line: usize,
    /// How many rows at the top are the header, repeated on every page the table goes on.
    pub header_rows: usize,
    /// Alignment of the header rows' cells.
    pub header_align: Align,
    /// Alignment of each column's other cells: a column of numbers, amounts or dates as the
    /// layout says, text as table text.
    pub column_align: Vec<Align>,
    /// A row whose tallest cell has fewer lines moves to the next page whole; a taller one
    /// breaks across pages, its part there under the header rows.
    pub split_min_lines: usize,
    /// Lines of each row's tallest cell, counted in grid cells as Word sets them: the DOCX
    /// marks a row of fewer than `split_min_lines` lines `w:cantSplit`.
    pub row_lines: Vec<usize>,
    /// Forced breaks in each header cell's text (char offsets): a header too wide for its
    /// column wraps between its words (项目/名称), lines as even as a title's.
    pub header_breaks: Vec<Vec<Vec<usize>>>,
    /// Space after the table that puts the next line back on the 22-line grid, points, as
    /// counting grid cells places the table ([`count`]): the DOCX adds it above the next
    /// paragraph (the PDF's flow snaps by itself). 0 when the next line opens a page.
    pub snap_after: f32,
    /// Set on landscape pages (GB/T 9704 8, 横排表格): its columns share the body height, it
    /// starts a page and the text after it resumes on a new portrait page
    /// ([`fit::orientation`]).
    pub landscape: bool,
}

impl Table {
    /// Height of a row part of `lines` lines, points: the rule over it, the padding above and
    /// below, the lines. (Word and LibreOffice give a bordered row its border's width too; the
    /// table's part on a page takes one rule more, under its last row.)
    pub fn row_height(&self, lines: usize) -> f32 {
        self.rule + 2.0 * self.padding_v + lines as f32 * self.line_pitch
    }

    /// Whether row `r` breaks across pages when it does not fit: a header row never, a body
    /// row of `split_min_lines` lines or more.
    pub fn may_split(&self, r: usize) -> bool {
        r >= self.header_rows
            && self
                .row_lines
                .get(r)
                .is_some_and(|n| *n >= self.split_min_lines)
    }

    /// The forced breaks in cell (`r`, `c`)'s text (a header cell's; none in other rows).
    pub fn breaks(&self, r: usize, c: usize) -> &[usize] {
        self.header_breaks
            .get(r)
            .and_then(|row| row.get(c))
            .map_or(&[], Vec::as_slice)
    }

    /// Alignment of cell (`r`, `c`).
    pub fn align(&self, r: usize, c: usize) -> Align {
        if r < self.header_rows {
            self.header_align
        } else {
            self.column_align.get(c).copied().unwrap_or(Align::Left)
        }
    }
}

/// The 版记 (7.4): 抄送 and the 印发 line with their rules, at the foot of the last page.
#[derive(Debug, Clone, PartialEq)]
pub struct ColophonPlan {
    /// `抄送：` (7.4.2).
    pub cc_label: String,
    /// The 抄送机关 after the label.
    pub cc: Option<String>,
    /// 印发机关, one character from the left (7.4.3); `None` when the line is not shown.
    pub printer: Option<String>,
    /// `2023年7月1日印发`, one character from the right (7.4.3).
    pub printed: Option<String>,
    /// Whether the 印发 line is shown (信函 has none).
    pub printer_line: bool,
    /// Text size (4号), points.
    pub size: f32,
    /// One character of that size: the inset from both sides, points.
    pub inset: f32,
    /// Width of `抄送：`: wrapped 抄送 lines hang under the first name, points.
    pub label_width: f32,
    /// Lines the 抄送 takes, counted in grid cells (the DOCX text box starts at that height and
    /// grows with its text).
    pub cc_lines: usize,
    /// Rules over and under (0.35 mm) and between (0.25 mm), points; `None`: no rules.
    pub rules: Option<(f32, f32)>,
    /// On an even page (double-sided printing): a blank page before it and its own page carry
    /// no page number (7.5).
    pub even_page: bool,
    /// The 版记 takes a page of its own (the next even page when `even_page`): the body ends on
    /// an odd page, or leaves no room for it. Counted in grid cells as Word does ([`count`]);
    /// the DOCX (double-sided) puts the 版记 in a section that starts on an even page, so Word or
    /// LibreOffice inserts the blank page if their own pagination needs one: no break counted
    /// here is written. The PDF runs the same pagination with its glyphs and agrees but for a
    /// line its fonts break differently.
    pub own_page: bool,
    /// A blank page comes before the 版记's page (the body ends on an even page that has no
    /// room for it); counted like `own_page`. The 版记's page then carries no number (7.5): the
    /// DOCX writes its section's footers empty.
    pub blank_page: bool,
}

impl ColophonPlan {
    /// Lines the 版记 takes on the grid.
    pub fn lines_needed(&self, cc_lines: usize) -> usize {
        cc_lines
            + usize::from(self.printer_line && (self.printer.is_some() || self.printed.is_some()))
    }
}

/// Make the plan of a document. A 版头 or 版记 that does not fit its page is refused here
/// ([`check`]), before either writer runs; a table too wide for the page goes on landscape pages.
pub fn plan(doc: &crate::model::Document, layout: &LayoutSpec) -> Result<Plan, Error> {
    build::plan(doc, layout)
}
