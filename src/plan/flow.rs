//! The flow: lines onto the grid, page by page, for any [`Measure`].
//!
//! A page holds `grid.lines` lines (5.2.3: 22); every line sits in a grid line. Blank lines
//! before and after blocks are whole grid lines ("空一行"). The keep rules are the plan's: 署名
//! and 成文日期 stay on one page with body text (7.3.5); a heading kept with the next does not
//! end a page. Ruled tables go over pages under a repeated header; a 横排表格 on landscape pages
//! of its own (8), whose width and lines per page [`Flow::width`] and [`Flow::per_page`] give;
//! the 版记 goes to the foot of the last page, or a page of its own (7.4).

use super::fit::colophon_fits;
use super::paginate::{Geometry, Measure, Pagination, Placed, Sheet};
use super::{ColophonPlan, Para, Table};
use crate::error::Error;
use crate::model::{Element, Span, merge_at};
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
            items: vec![],
        });
        self.li = 0;
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
    fn line_top(&self, li: usize) -> f32 {
        self.layout.body_top() + li as f32 * self.layout.grid.line_pitch_pt
    }

    /// Put a line on grid line `li` of the current page (not moving the cursor).
    fn put(&mut self, li: usize, line: L) {
        let page = self.pages.last_mut().expect("there is always a page");
        page.items.push(Placed::Line { li, line });
        page.lines_used = page.lines_used.max(li as u32 + 1);
    }

    /// Draw a rule on the current page.
    fn rule(&mut self, rule: Rule) {
        self.pages
            .last_mut()
            .expect("there is always a page")
            .items
            .push(Placed::Rule(rule));
    }

    /// Put a line at the cursor, starting a page when this one is full.
    fn push(&mut self, line: L) {
        if self.li >= self.per_page() {
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
    /// goes whole.
    pub(super) fn place_para(&mut self, p: &Para, lines: Vec<L>, tail: usize) {
        let per_page = self.per_page();
        if p.page_break_before
            && (self.li > 0 || self.pages.last().is_some_and(|pg| !pg.items.is_empty()))
        {
            self.new_page(true);
        }
        if self.li > 0 {
            self.li += p.space_before as usize;
        }
        if self.li >= per_page {
            self.new_page(true);
        }
        let n = lines.len();
        let room = per_page - self.li;
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
        for (k, line) in lines.into_iter().enumerate() {
            if cut == Some(k) {
                self.new_page(true);
            }
            if k == 0
                && let Some(level) = p.role.level().filter(|l| *l <= 2)
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
        self.li += p.space_after as usize;
    }

    /// The pages, bookmarks and the 版记's page breaks.
    pub(super) fn finish(self) -> Pagination<L> {
        Pagination {
            sheets: self.pages,
            bookmarks: self.bookmarks,
            colophon_breaks: self.colophon_breaks,
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

    /// A ruled table in the body, its columns as the plan sized them: every row a whole number of
    /// grid lines, so the text after it stays on the grid; a row that does not fit goes to the next
    /// page, under a repeated header row. Cells merged down have no rule between them and their text in
    /// the first; a cell merged across has no rules inside it.
    pub(super) fn table<M: Measure<Line = L>>(
        &mut self,
        t: &Table,
        measure: &mut M,
    ) -> Result<(), Error> {
        let flow = self;
        flow.turn(t.landscape);
        let layout = flow.layout;
        let align = layout.element(Element::Table).align;
        let mut edges = vec![0.0];
        for w in &t.columns {
            edges.push(edges.last().copied().unwrap_or(0.0) + w);
        }
        let ncols = t.columns.len();
        // Shape every row: (lines per cell, height in grid lines).
        let mut rows = Vec::new();
        for (r, row) in t.rows.iter().enumerate() {
            let mut cells = Vec::new();
            for (c, text) in row.iter().enumerate() {
                let merge = merge_at(&t.merges, r, c);
                if merge.is_some_and(|m| m.row != r || m.col != c) {
                    continue; // covered: its text is in the merge's first cell
                }
                let end = (c + merge.map_or(1, |m| m.cols)).min(ncols);
                let g = Geometry {
                    left: edges[c] + t.padding,
                    width: edges[end] - edges[c] - 2.0 * t.padding,
                    first_indent: 0.0,
                    align: if r == 0 { Align::Center } else { align },
                    size: Some(t.size),
                };
                let spans = [Span {
                    element: Element::Table,
                    text: text.clone(),
                }];
                cells.push(measure.lines(&spans, &[], t.line, &g)?);
            }
            let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            rows.push((cells, height));
        }
        // Columns whose rule over row r is left out: the row continues a cell merged down.
        let open = |r: usize| -> Vec<bool> {
            (0..ncols)
                .map(|c| merge_at(&t.merges, r, c).is_some_and(|m| m.row < r))
                .collect()
        };
        // Whether the vertical rule at edge e crosses row r (not inside a cell merged across).
        let crosses = |r: usize, e: usize| {
            !t.merges
                .iter()
                .any(|m| m.covers(r, m.col) && m.col < e && e < m.col + m.cols)
        };
        let per_page = flow.per_page();
        let rule_t = t.rule;
        let mut seg_top = flow.li;
        // The vertical rules of the rows placed since the segment's top (row, first line, height),
        // and the rule under them.
        let draw = |flow: &mut Flow<L>, placed: &[(usize, usize, usize)]| {
            for (e, x) in edges.iter().enumerate() {
                let x = layout.body_left() + x - rule_t / 2.0;
                let mut k = 0;
                while k < placed.len() {
                    if !crosses(placed[k].0, e) {
                        k += 1;
                        continue;
                    }
                    let from = placed[k].1;
                    while k < placed.len() && crosses(placed[k].0, e) {
                        k += 1;
                    }
                    let to = placed[k - 1].1 + placed[k - 1].2;
                    let (y0, y1) = (flow.line_top(from), flow.line_top(to));
                    flow.rule(Rule {
                        x,
                        y: (y0 + y1) / 2.0,
                        width: rule_t,
                        thickness: y1 - y0,
                        colour: [0, 0, 0],
                    });
                }
            }
            if let Some(&(_, li, h)) = placed.last() {
                flow.rule(Rule {
                    x: layout.body_left(),
                    y: flow.line_top(li + h),
                    width: flow.width(),
                    thickness: rule_t,
                    colour: [0, 0, 0],
                });
            }
        };
        let header_height = rows[0].1;
        let mut placed: Vec<(usize, usize, usize)> = Vec::new();
        // Close the table's part on this page and open the next page, under the header row again
        // when `header` (a continued table repeats its header, as `w:tblHeader` does in the DOCX).
        let next_page =
            |flow: &mut Flow<L>, placed: &mut Vec<(usize, usize, usize)>, header: bool| {
                draw(flow, placed);
                placed.clear();
                flow.new_page(true);
                if header {
                    Flow::place_row(
                        flow,
                        &rows[0].0,
                        0..header_height,
                        rule_t,
                        &edges,
                        &vec![false; ncols],
                    );
                    placed.push((0, flow.li, header_height));
                    flow.li += header_height;
                }
            };
        for (r, (cells, height)) in rows.iter().enumerate() {
            let height = *height;
            let room = per_page.saturating_sub(flow.li);
            let header_again = r > 0 && header_height + height <= per_page;
            let fits_a_page = height + if header_again { header_height } else { 0 } <= per_page;
            // A row that does not fit goes to the next page whole, unless the table's part on
            // this page is empty still, or the row is taller than any page.
            if height > room && (room == 0 || fits_a_page && flow.li > seg_top) {
                next_page(flow, &mut placed, header_again);
                seg_top = 0;
            }
            // At the top of a page every row gets its rule over it.
            let skip = if placed.is_empty() {
                vec![false; ncols]
            } else {
                open(r)
            };
            // A row taller than the room left is split: its cells continue on the next page under
            // the header row (the DOCX's rows may split too: no `w:cantSplit`), so no line is lost.
            let mut from = 0;
            loop {
                let take = (height - from).min(per_page.saturating_sub(flow.li)).max(1);
                let skip = if from == 0 {
                    skip.clone()
                } else {
                    vec![false; ncols]
                };
                Flow::place_row(flow, cells, from..from + take, rule_t, &edges, &skip);
                placed.push((r, flow.li, take));
                flow.li += take;
                from += take;
                if from >= height {
                    break;
                }
                next_page(flow, &mut placed, r > 0 && header_height < per_page);
                seg_top = 0;
            }
        }
        draw(flow, &placed);
        flow.turn(false);
        Ok(())
    }

    /// Put the lines `part` of a shaped row at the cursor, with the rule over them but over the
    /// columns in `skip`.
    fn place_row(
        flow: &mut Flow<L>,
        cells: &[Vec<L>],
        part: std::ops::Range<usize>,
        rule_t: f32,
        edges: &[f32],
        skip: &[bool],
    ) {
        let layout = flow.layout;
        let y = flow.line_top(flow.li);
        let mut c = 0;
        while c < skip.len() {
            if skip[c] {
                c += 1;
                continue;
            }
            let from = c;
            while c < skip.len() && !skip[c] {
                c += 1;
            }
            let (x0, x1) = if from == 0 && c == skip.len() {
                (0.0, flow.width())
            } else {
                (edges[from], edges[c])
            };
            flow.rule(Rule {
                x: layout.body_left() + x0,
                y,
                width: x1 - x0,
                thickness: rule_t,
                colour: [0, 0, 0],
            });
        }
        for cell in cells {
            let lines = cell
                .get(part.clone())
                .or_else(|| cell.get(part.start.min(cell.len())..));
            for (k, line) in lines.unwrap_or(&[]).iter().enumerate() {
                flow.put(flow.li + k, line.clone());
            }
        }
    }
}
