//! The flow: lines onto the grid, page by page, for any [`Measure`].
//!
//! A page holds `grid.lines` lines (5.2.3: 22); every line sits in a grid line. Blank lines
//! before and after blocks are whole grid lines ("空一行"). The keep rules are the plan's: 署名
//! and 成文日期 stay on one page with body text (7.3.5); a heading kept with the next does not
//! end a page. Ruled tables ([`super::table_flow`]) are set off the grid at their own pitch and
//! snap the text after them back onto it; a 横排表格 goes on landscape pages of its own (8),
//! whose width and lines per page [`Flow::width`] and [`Flow::per_page`] give; the 版记 goes to
//! the foot of the last page, or a page of its own (7.4).

use super::fit::colophon_fits;
use super::paginate::{Geometry, Measure, Pagination, Placed, Sheet};
use super::{ColophonPlan, Para};
use crate::error::Error;
use crate::model::Element;
use crate::page::{Bookmark, Rule};
use crate::spec::{Align, LayoutSpec};

/// Pages being filled, and the next free grid line.
pub(super) struct Flow<'a, L> {
    pub(super) layout: &'a LayoutSpec,
    pages: Vec<Sheet<L>>,
    bookmarks: Vec<Bookmark>,
    /// Next free grid line (0-based) on the last page.
    pub(super) li: usize,
    /// Pages started for the 版记.
    colophon_breaks: usize,
    /// Lines the current page holds beyond the grid's (7.3.5.5: a page tightened so that its
    /// 署名 block fits; 0 on every other page).
    extra: usize,
    /// The page each paragraph or table placed so far starts on (0-based), in plan order.
    block_pages: Vec<usize>,
    /// New pages are landscape (a 横排表格 is being placed, GB/T 9704 8).
    landscape: bool,
}

impl<'a, L: Clone> Flow<'a, L> {
    pub(super) fn new(layout: &'a LayoutSpec) -> Flow<'a, L> {
        let mut f = Flow {
            layout,
            pages: vec![],
            bookmarks: vec![],
            li: 0,
            colophon_breaks: 0,
            extra: 0,
            block_pages: vec![],
            landscape: false,
        };
        f.new_page(true);
        f
    }

    /// Whether the current page is a landscape one.
    fn turned(&self) -> bool {
        self.pages.last().is_some_and(|p| p.landscape)
    }

    /// Lines on the current page: the grid's 22 (5.2.3); on a landscape page, as many grid
    /// lines as the portrait body width (156 mm, now its height) holds.
    pub(super) fn per_page(&self) -> usize {
        if self.turned() {
            (self.layout.body_width() / self.layout.grid.line_pitch_pt).floor() as usize
        } else {
            self.layout.grid.lines as usize
        }
    }

    /// The width a line or a table has on the current page, points: the body width, or on a
    /// landscape page the body height (225 mm).
    pub(super) fn width(&self) -> f32 {
        if self.turned() {
            self.layout.body_height()
        } else {
            self.layout.body_width()
        }
    }

    /// Start a new page; `numbered` is false for pages that carry no page number (7.5).
    pub(super) fn new_page(&mut self, numbered: bool) {
        self.pages.push(Sheet {
            numbered,
            landscape: self.landscape,
            lines_used: 0,
            pitch: self.layout.grid.line_pitch_pt,
            items: vec![],
        });
        self.li = 0;
        self.extra = 0;
    }

    /// Place the next blocks on landscape pages (`true`, a 横排表格: GB/T 9704 8), from a new
    /// page unless this one is still empty, or back on portrait pages (`false`): the page in
    /// hand is then full, so what follows starts a new portrait page.
    pub(super) fn turn(&mut self, landscape: bool) {
        if landscape == self.landscape {
            return;
        }
        self.landscape = landscape;
        let empty = self.li == 0 && self.pages.last().is_some_and(|p| p.items.is_empty());
        if landscape {
            if empty && self.pages.len() > 1 {
                let page = self.pages.last_mut().expect("there is always a page");
                page.landscape = true;
                self.li = 0;
            } else {
                self.new_page(true);
            }
        } else {
            self.li = self.per_page();
        }
    }

    /// 1-based number of the current page.
    fn page_no(&self) -> usize {
        self.pages.len()
    }

    /// Top of grid line `li`, points from the paper's top edge.
    pub(super) fn line_top(&self, li: usize) -> f32 {
        let pitch = self
            .pages
            .last()
            .map_or(self.layout.grid.line_pitch_pt, |p| p.pitch);
        self.layout.body_top() + li as f32 * pitch
    }

    /// Put a line on grid line `li` of the current page (not moving the cursor).
    fn put(&mut self, li: usize, line: L) {
        let page = self.pages.last_mut().expect("there is always a page");
        page.items.push(Placed::Line { li, line });
        page.lines_used = page.lines_used.max(li as u32 + 1);
    }

    /// Put a line off the grid on the current page: its box `pitch` high, its top `top` points
    /// under the body area's top (a table cell's line, set at the cell's own pitch).
    pub(super) fn put_at(&mut self, top: f32, pitch: f32, line: L) {
        let grid = self.layout.grid.line_pitch_pt;
        let page = self.pages.last_mut().expect("there is always a page");
        page.items.push(Placed::At { top, pitch, line });
        let used = ((top + pitch) / grid - 0.01).ceil().max(0.0) as u32;
        page.lines_used = page.lines_used.max(used);
    }

    /// Draw a rule on the current page.
    pub(super) fn rule(&mut self, rule: Rule) {
        self.pages
            .last_mut()
            .expect("there is always a page")
            .items
            .push(Placed::Rule(rule));
    }

    /// Put a line at the cursor, starting a page when this one is full.
    fn push(&mut self, line: L) {
        if self.li >= self.per_page() + self.extra {
            self.new_page(true);
        }
        self.put(self.li, line);
        self.li += 1;
    }

    /// Place a paragraph's lines after its blank lines. `tail`: the lines that must follow it
    /// onto its page when it is kept with the next block (`paginate::chain_tails`).
    ///
    /// A paragraph never split (a heading, 署名, 日期) that does not fit goes to the next page
    /// whole. One kept with the next whose chain does not fit leaves its last two lines to go
    /// with the chain (7.3.5: 署名 and 日期 never open a page without body text); a shorter one
    /// goes whole. `closing`: the chain is the 署名 block's; with the layout's
    /// `closing_fit_lines` (7.3.5.5) a chain that overruns the page by that many lines or fewer
    /// stays, the page's line pitch tightened so that it holds them.
    pub(super) fn place_para(&mut self, p: &Para, lines: Vec<L>, tail: usize, closing: bool) {
        let per_page = self.per_page();
        if p.page_break_before
            && (self.li > 0 || self.pages.last().is_some_and(|pg| !pg.items.is_empty()))
        {
            self.new_page(true);
        }
        if self.li > 0 {
            self.li += p.space_before as usize;
        }
        if self.li >= per_page + self.extra {
            self.new_page(true);
        }
        let n = lines.len();
        let room = (per_page + self.extra).saturating_sub(self.li);
        // 7.3.5.5: "可以采取调整行距、字距的措施" so that the 署名 block stays on the page.
        let over = (n + tail).saturating_sub(room);
        let fit = self.layout.keeps.closing_fit_lines as usize;
        if closing && p.keep_with_next && self.li > 0 && over > 0 && self.extra + over <= fit {
            self.extra += over;
            // Whole twips, rounded down: the DOCX carries twips, and its lines must not pass the
            // room the grid's own lines take.
            let pitch =
                self.layout.grid.line_pitch_pt * per_page as f32 / (per_page + self.extra) as f32;
            let pitch = (pitch * 20.0).floor() / 20.0;
            if let Some(page) = self.pages.last_mut() {
                page.pitch = pitch;
            }
        }
        let room = (per_page + self.extra).saturating_sub(self.li);
        // Lines to put on this page before a break the keep rules ask for (None: no break).
        let cut = if self.li == 0 {
            None
        } else if p.keep_with_next && tail > 0 && n + tail > room && n + tail <= per_page {
            if p.keep_lines || n <= 2 {
                Some(0)
            } else {
                Some(room.min(n - 2))
            }
        } else if p.keep_lines && n > room && n <= per_page {
            Some(0)
        } else {
            None
        };
        let mut first_page = self.pages.len() - 1;
        for (k, line) in lines.into_iter().enumerate() {
            if cut == Some(k) {
                self.new_page(true);
            }
            if k == 0 {
                // (`push` starts a page when this one is full)
                first_page = self.pages.len() - usize::from(self.li < per_page + self.extra);
            }
            if k == 0
                && let Some(level) = p.outline_level().filter(|l| *l <= 2)
            {
                let (page, y) = (
                    self.pages.len() - 1,
                    self.line_top(self.li.min(per_page - 1)),
                );
                self.bookmarks.push(Bookmark {
                    level,
                    title: p.spans[0].text.clone(),
                    page,
                    y,
                });
            }
            self.push(line);
        }
        self.block_pages.push(first_page);
        self.li += p.space_after as usize;
    }

    /// Note the page a table starts on (tables are placed by [`Flow::table`]).
    pub(super) fn table_starts(&mut self) {
        self.block_pages.push(self.pages.len() - 1);
    }

    /// The pages, bookmarks and the 版记's page breaks.
    pub(super) fn finish(self) -> Pagination<L> {
        Pagination {
            sheets: self.pages,
            bookmarks: self.bookmarks,
            colophon_breaks: self.colophon_breaks,
            block_pages: self.block_pages,
            table_gaps: vec![],
        }
    }

    /// The 版记 (7.4) at the foot of the last page: 抄送 one character in, wrapped lines under the
    /// first character after the colon; 印发机关 one character from the left and 印发日期 (with 印发)
    /// one character from the right, on the last grid line; rules over, between and under them,
    /// the last on the bottom edge of the body area. With double-sided printing the 版记 page is
    /// an even page; a blank page before it and the 版记 page then carry no number (7.5).
    pub(super) fn colophon<M: Measure<Line = L>>(
        &mut self,
        c: &ColophonPlan,
        source: &str,
        measure: &mut M,
    ) -> Result<(), Error> {
        let flow = self;
        let layout = flow.layout;
        let mut cc_lines = Vec::new();
        if let Some(cc) = &c.cc {
            let g = Geometry {
                left: c.inset + c.label_width,
                width: layout.body_width() - 2.0 * c.inset - c.label_width,
                first_indent: -c.label_width,
                align: Align::Justify,
                size: None,
            };
            cc_lines = measure.text(Element::Cc, &format!("{}{cc}", c.cc_label), &g)?;
        }
        let printer = c.printer_line && (c.printer.is_some() || c.printed.is_some());
        let need = c.lines_needed(cc_lines.len());
        let per_page = flow.per_page();
        // Counted when the plan was made (fit::check); the fonts may still set one more line than
        // the grid cells.
        colophon_fits(source, need, per_page)?;
        let fits = flow.li + need <= per_page;
        let even = flow.page_no().is_multiple_of(2);
        if !fits || (c.even_page && !even) {
            let next = flow.page_no() + 1;
            if c.even_page && next % 2 == 1 {
                flow.new_page(false); // the blank page before the 版记 page
                flow.new_page(false);
                flow.colophon_breaks = 2;
            } else {
                flow.new_page(true);
                flow.colophon_breaks = 1;
            }
        }
        let start = per_page - need;
        for (k, l) in cc_lines.into_iter().enumerate() {
            flow.put(start + k, l);
        }
        let last = per_page - 1;
        if printer {
            let g = Geometry {
                left: c.inset,
                width: layout.body_width() - 2.0 * c.inset,
                first_indent: 0.0,
                align: Align::Left,
                size: None,
            };
            if let Some(p) = &c.printer {
                for l in measure.text(Element::Printer, p, &g)? {
                    flow.put(last, l);
                }
            }
            if let Some(d) = &c.printed {
                let g = Geometry {
                    align: Align::Right,
                    ..g
                };
                for l in measure.text(Element::Printer, d, &g)? {
                    flow.put(last, l);
                }
            }
        }
        if let Some((outer, inner)) = c.rules {
            let rule = |y: f32, t: f32| Rule {
                x: layout.body_left(),
                y,
                width: layout.body_width(),
                thickness: t,
                colour: [0, 0, 0],
            };
            flow.rule(rule(flow.line_top(start), outer));
            if printer && need > 1 {
                flow.rule(rule(flow.line_top(last), inner));
            }
            flow.rule(rule(
                layout.body_top() + layout.body_height() - outer / 2.0,
                outer,
            ));
        }
        Ok(())
    }
}
