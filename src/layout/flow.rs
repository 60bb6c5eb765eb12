//! The flow: lines onto the grid, page by page.
//!
//! A page holds `grid.lines` lines (5.2.3: 22); every line's baseline sits at the same offset in
//! its grid line. Blank lines before and after blocks are whole grid lines ("空一行"). The keep
//! rules are the plan's: 署名 and 成文日期 stay on one page with body text (7.3.5); a heading
//! kept with the next does not end a page.

use super::{SetLine, baseline_offset};
use crate::page::{Bookmark, Item, Page, Rule};
use crate::plan::Para;
use crate::spec::Layout;

/// Pages being filled, and the next free grid line.
pub(crate) struct Flow<'a> {
    pub(crate) layout: &'a Layout,
    pages: Vec<Page>,
    bookmarks: Vec<Bookmark>,
    /// Next free grid line (0-based) on the last page.
    pub(crate) li: usize,
    /// Pages started for the 版记.
    pub(crate) colophon_breaks: usize,
}

impl<'a> Flow<'a> {
    pub(crate) fn new(layout: &'a Layout) -> Flow<'a> {
        let mut f = Flow {
            layout,
            pages: vec![],
            bookmarks: vec![],
            li: 0,
            colophon_breaks: 0,
        };
        f.new_page(true);
        f
    }

    /// Lines per page.
    pub(crate) fn per_page(&self) -> usize {
        self.layout.grid.lines as usize
    }

    /// Start a new page; `numbered` is false for pages that carry no page number (7.5).
    pub(crate) fn new_page(&mut self, numbered: bool) {
        let l = self.layout;
        self.pages.push(Page {
            width: l.page_width(),
            height: l.page_height(),
            items: vec![],
            lines_used: 0,
            numbered,
        });
        self.li = 0;
    }

    /// 1-based number of the current page.
    pub(crate) fn page_no(&self) -> usize {
        self.pages.len()
    }

    /// Top of grid line `li`, points from the paper's top edge.
    pub(crate) fn line_top(&self, li: usize) -> f32 {
        self.layout.body_top() + li as f32 * self.layout.grid.line_pitch_pt
    }

    /// Put a line on grid line `li` of the current page (not moving the cursor).
    pub(crate) fn put(&mut self, li: usize, mut line: SetLine) {
        let baseline =
            self.line_top(li) + baseline_offset(self.layout.grid.line_pitch_pt, line.size);
        let page = self.pages.last_mut().expect("there is always a page");
        for mut run in line.runs.drain(..) {
            run.y = baseline;
            page.items.push(Item::Text(run));
        }
        page.lines_used = page.lines_used.max(li as u32 + 1);
    }

    /// Put a glyph line at an exact baseline (the 发文机关标志 is not on the grid).
    pub(crate) fn put_at(&mut self, baseline: f32, mut line: SetLine) {
        let page = self.pages.last_mut().expect("there is always a page");
        for mut run in line.runs.drain(..) {
            run.y = baseline;
            page.items.push(Item::Text(run));
        }
    }

    /// Draw a rule on the current page.
    pub(crate) fn rule(&mut self, rule: Rule) {
        self.pages
            .last_mut()
            .expect("there is always a page")
            .items
            .push(Item::Rule(rule));
    }

    /// Put a line at the cursor, starting a page when this one is full.
    pub(crate) fn push(&mut self, line: SetLine) {
        if self.li >= self.per_page() {
            self.new_page(true);
        }
        self.put(self.li, line);
        self.li += 1;
    }

    /// Place a paragraph's lines after its blank lines. `tail`: the lines that must follow it
    /// onto its page when it is kept with the next block ([`super::chain_tails`]).
    ///
    /// A paragraph never split (a heading, 署名, 日期) that does not fit goes to the next page
    /// whole. One kept with the next whose chain does not fit leaves its last two lines to go
    /// with the chain (7.3.5: 署名 and 日期 never open a page without body text); a shorter one
    /// goes whole.
    pub(crate) fn place_para(&mut self, p: &Para, lines: Vec<SetLine>, tail: usize) {
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
            if k == 0 {
                if let Some(level) = p.role.level().filter(|l| *l <= 2) {
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
            }
            self.push(line);
        }
        self.li += p.space_after as usize;
    }

    /// The pages and bookmarks.
    pub(crate) fn finish(self) -> (Vec<Page>, Vec<Bookmark>) {
        (self.pages, self.bookmarks)
    }
}
