//! A ruled table over pages, for any [`Measure`]: cells set single-spaced at their own size,
//! off the 22-line grid; a row taller than what is left on the page breaks there and goes on
//! under the repeated header rows (a row of fewer than `split_min_lines` lines moves whole, as
//! the DOCX's `w:cantSplit` asks); the text after the table snaps back onto the grid.
//!
//! Heights are what Word and LibreOffice give a row of exactly spaced paragraphs: the lines at
//! the table's pitch and the cell margins above and below, on each page a row is broken over.

use super::Table;
use super::flow::Flow;
use super::paginate::{Geometry, Measure};
use crate::error::Error;
use crate::model::{Element, Span, merge_at};
use crate::page::Rule;
use crate::spec::LayoutSpec;

/// Slack in comparing heights, points: twips round lengths to 0.05 pt.
const EPS: f32 = 0.05;

/// A part of a row on one page: the row, its top under the body area's top, its height.
#[derive(Clone, Copy)]
struct Part {
    row: usize,
    top: f32,
    height: f32,
}

impl<'a, L: Clone> Flow<'a, L> {
    /// A ruled table in the body, its columns as the plan sized them. Returns the space after
    /// it that puts the next line back on a grid line (0 when the next line opens a page).
    pub(super) fn table<M: Measure<Line = L>>(
        &mut self,
        t: &Table,
        measure: &mut M,
    ) -> Result<f32, Error> {
        // A 横排表格 goes on landscape pages of its own (GB/T 9704 8).
        self.turn(t.landscape);
        let layout = self.layout;
        let grid = layout.grid.line_pitch_pt;
        let mut edges = vec![0.0];
        for w in &t.columns {
            edges.push(edges.last().copied().unwrap_or(0.0) + w);
        }
        let ncols = t.columns.len();
        let text_align = layout.element(Element::Table).align;
        // Shape every row: each drawn cell's lines, and the row's lines (its tallest cell).
        let mut rows: Vec<(Vec<Vec<L>>, usize)> = Vec::with_capacity(t.rows.len());
        for (r, row) in t.rows.iter().enumerate() {
            let mut cells = Vec::new();
            for (c, text) in row.iter().enumerate() {
                let merge = merge_at(&t.merges, r, c);
                if merge.is_some_and(|m| m.row != r || m.col != c) {
                    continue; // covered: its text is in the merge's first cell
                }
                let cols = merge.map_or(1, |m| m.cols);
                let end = (c + cols).min(ncols);
                let align = if cols > 1 && r >= t.header_rows {
                    text_align // a group row across the columns reads as text
                } else {
                    t.align(r, c)
                };
                let g = Geometry {
                    left: edges[c] + t.padding,
                    width: edges[end] - edges[c] - 2.0 * t.padding,
                    first_indent: 0.0,
                    align,
                    size: Some(t.size),
                };
                let spans = [Span {
                    element: Element::Table,
                    text: text.clone(),
                }];
                cells.push(measure.lines(&spans, t.breaks(r, c), t.line, &g)?);
            }
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            rows.push((cells, lines));
        }
        let per_page = self.per_page();
        // The page's body area, which a table may fill to its foot (the grid's lines leave
        // 0.9 pt under the last): the room Word and LibreOffice give it.
        let depth = if t.landscape {
            layout.body_width() // the portrait body width is a landscape page's height
        } else {
            per_page as f32 * grid
                + (layout.body_height() - layout.grid.lines as f32 * grid).max(0.0)
        };
        // The rule under a page's part of the table.
        let foot = t.rule;
        let hn = t.header_rows.min(rows.len());
        let header: f32 = rows[..hn].iter().map(|r| t.row_height(r.1)).sum();
        // The header goes again on each page the table goes on, if a line fits under it.
        let repeat = hn > 0 && header + t.row_height(1) + foot <= depth + EPS;
        // What the first row under the header needs on a page: all of it, or one line.
        let need = |lines: usize| t.row_height(if lines < t.split_min_lines { lines } else { 1 });
        if self.li >= per_page {
            self.new_page(true);
        }
        let mut y = self.li as f32 * grid;
        let first_need = header + rows.get(hn).map_or(0.0, |r| need(r.1));
        if y > 0.0 && y + first_need + foot > depth + EPS {
            self.new_page(true);
            y = 0.0;
        }
        // A header too tall to repeat is set once, its rows breaking as body rows do.
        let hn = if repeat { hn } else { 0 };
        let mut parts: Vec<Part> = Vec::new();
        y = self.table_header(t, &edges, &rows[..hn], y, &mut parts);
        // Parts of body rows on the current page.
        let mut body_parts = 0;
        for r in hn..rows.len() {
            let lines = rows[r].1;
            let mut from = 0;
            while from < lines {
                let rest = lines - from;
                let room = depth - y - foot;
                let take = if t.row_height(rest) <= room + EPS {
                    rest
                } else if lines >= t.split_min_lines || body_parts == 0 {
                    // Breaks here: as many lines as fit (one at least when nothing else of the
                    // table's body is on the page, so a row taller than a page still goes on).
                    let fit = ((room - t.row_height(0) + EPS) / t.line_pitch).floor();
                    let fit = fit.max(0.0) as usize;
                    if body_parts == 0 { fit.max(1) } else { fit }.min(rest)
                } else {
                    0
                };
                if take > 0 {
                    // The first row part under the header on a page is ruled across whole.
                    let full = body_parts == 0 || from > 0;
                    let h = t.row_height(take);
                    self.table_part(t, &edges, &rows[r].0, from..from + take, y, r, full);
                    parts.push(Part {
                        row: r,
                        top: y,
                        height: h,
                    });
                    y += h;
                    from += take;
                    body_parts += 1;
                }
                if from < lines {
                    // The row goes on (or starts) on the next page, under the header again.
                    self.table_rules(t, &edges, &parts);
                    parts.clear();
                    self.new_page(true);
                    y = 0.0;
                    body_parts = 0;
                    if repeat {
                        y = self.table_header(t, &edges, &rows[..hn], y, &mut parts);
                    }
                }
            }
        }
        self.table_rules(t, &edges, &parts);
        if t.landscape {
            // The text after a 横排表格 resumes on a new portrait page.
            self.turn(false);
            return Ok(0.0);
        }
        y += foot;
        // The next line on the grid line at or under the table's foot.
        let li = (y / grid - 1e-3).ceil().max(0.0) as usize;
        self.li = li;
        Ok(if li >= per_page {
            0.0
        } else {
            (li as f32 * grid - y).max(0.0)
        })
    }

    /// Put the header rows from `y` down (each whole; the second of a two-row header ruled but
    /// under a cell merged down into it); returns the y under them.
    fn table_header(
        &mut self,
        t: &Table,
        edges: &[f32],
        header: &[(Vec<Vec<L>>, usize)],
        mut y: f32,
        parts: &mut Vec<Part>,
    ) -> f32 {
        for (r, (cells, lines)) in header.iter().enumerate() {
            let height = t.row_height(*lines);
            self.table_part(t, edges, cells, 0..*lines, y, r, r == 0);
            parts.push(Part {
                row: r,
                top: y,
                height,
            });
            y += height;
        }
        y
    }

    /// Put the lines `part` of row `r`'s cells with their top at `top` (points under the body
    /// area's top), and the rule over them: across the whole table when `full`, else over the
    /// columns that do not continue a cell merged down.
    #[allow(clippy::too_many_arguments)]
    fn table_part(
        &mut self,
        t: &Table,
        edges: &[f32],
        cells: &[Vec<L>],
        part: std::ops::Range<usize>,
        top: f32,
        r: usize,
        full: bool,
    ) {
        let layout = self.layout;
        let ncols = t.columns.len();
        let skip: Vec<bool> = (0..ncols)
            .map(|c| !full && merge_at(&t.merges, r, c).is_some_and(|m| m.row < r))
            .collect();
        let y = layout.body_top() + top + t.rule / 2.0;
        let mut c = 0;
        while c < ncols {
            if skip[c] {
                c += 1;
                continue;
            }
            let from = c;
            while c < ncols && !skip[c] {
                c += 1;
            }
            let (x0, x1) = if from == 0 && c == ncols {
                (0.0, self.width())
            } else {
                (edges[from], edges[c])
            };
            self.rule(Rule {
                x: layout.body_left() + x0,
                y,
                width: x1 - x0,
                thickness: t.rule,
                colour: [0, 0, 0],
            });
        }
        for cell in cells {
            let lines = cell
                .get(part.clone())
                .unwrap_or(match cell.get(part.start..) {
                    Some(rest) => rest,
                    None => &[],
                });
            for (k, line) in lines.iter().enumerate() {
                let at = top + t.rule + t.padding_v + k as f32 * t.line_pitch;
                self.put_at(at, t.line_pitch, line.clone());
            }
        }
    }

    /// The vertical rules of a table's parts on one page (not inside a cell merged across) and
    /// the rule under the last.
    fn table_rules(&mut self, t: &Table, edges: &[f32], parts: &[Part]) {
        let layout = self.layout;
        // Whether the vertical rule at edge e crosses row r (not inside a cell merged across).
        let crosses = |r: usize, e: usize| {
            !t.merges
                .iter()
                .any(|m| m.covers(r, m.col) && m.col < e && e < m.col + m.cols)
        };
        for (e, x) in edges.iter().enumerate() {
            let x = layout.body_left() + x - t.rule / 2.0;
            let mut k = 0;
            while k < parts.len() {
                if !crosses(parts[k].row, e) {
                    k += 1;
                    continue;
                }
                let from = parts[k].top;
                while k < parts.len() && crosses(parts[k].row, e) {
                    k += 1;
                }
                let to = parts[k - 1].top + parts[k - 1].height + t.rule;
                let (y0, y1) = (layout.body_top() + from, layout.body_top() + to);
                self.rule(Rule {
                    x,
                    y: (y0 + y1) / 2.0,
                    width: t.rule,
                    thickness: y1 - y0,
                    colour: [0, 0, 0],
                });
            }
        }
        if let Some(p) = parts.last() {
            self.rule(Rule {
                x: layout.body_left(),
                y: layout.body_top() + p.top + p.height + t.rule / 2.0,
                width: self.width(),
                thickness: t.rule,
                colour: [0, 0, 0],
            });
        }
    }
}

/// Landscape runs past this many are not floated: each float paginates the plan again, and a
/// document of thousands of wide tables would be quadratic.
const MAX_FLOATS: usize = 32;

/// A 横排表格 floats past the text after it (the rule of 先见文后见表, 版面不留大空白): a
/// landscape run (the table with its caption) starts a page of its own, and where the portrait
/// page before it would end more than two grid lines early, the whole body paragraphs and
/// headings after the run that fit there (one line to spare, for a measure a little wider than
/// the grid's cells) move ahead of it, so that page is filled and the table follows on the next.
/// Never a 署名 block, what is kept with it, an attachment page or another table: the table stays
/// before the 署名 that closes its text. Decided here by counting grid cells, once, so the PDF
/// and the DOCX (Word lays out a landscape section from the same order) put the same text first.
pub(super) fn float_landscape(plan: &mut super::Plan, layout: &LayoutSpec) -> Result<(), Error> {
    use super::Block;
    use super::paginate::{Cells, closing_keep, landscape_blocks, paginate};
    let n = plan.blocks.len();
    let mut from = 0;
    for _ in 0..MAX_FLOATS {
        let turned = landscape_blocks(&plan.blocks);
        let Some(a) = (from..n).find(|&k| turned[k]) else {
            break;
        };
        let b = (a..n).find(|&k| !turned[k]).unwrap_or(n);
        from = b;
        let p = paginate(plan, layout, &mut Cells::new(layout))?;
        let page = p.block_pages[a];
        let Some(before) = page.checked_sub(1).map(|s| &p.sheets[s]) else {
            continue;
        };
        let free = (layout.grid.lines as usize).saturating_sub(before.lines_used as usize);
        if before.landscape || free <= 2 {
            continue;
        }
        let mut cells = Cells::new(layout);
        let (mut used, mut take) = (0usize, 0usize);
        for k in b..n {
            let Block::Para(q) = &plan.blocks[k] else {
                break;
            };
            let movable = q.role == Element::Body || q.role.level().is_some();
            if !movable || q.page_break_before || closing_keep(&plan.blocks, k) {
                break;
            }
            let lines = cells
                .line_ranges(&q.spans, &q.breaks, &Geometry::of_para(q, layout))
                .len()
                + q.space_before as usize;
            used += lines;
            if used + 1 > free {
                break;
            }
            // A heading (or a paragraph kept with the next) never ends the moved text.
            if !q.keep_with_next {
                take = k + 1 - b;
            }
        }
        if take > 0 {
            plan.blocks[a..b + take].rotate_right(take);
            from = b + take;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::plan::{Block, plan};
    use crate::spec::LayoutSpec;

    /// The roles' first characters in plan order: `T` a table, else the paragraph's text head.
    fn order(text: &str) -> Vec<String> {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let doc = crate::plaintext::parse(text, "t.txt", &mut vec![]).unwrap();
        plan(&doc, &layout)
            .unwrap()
            .blocks
            .iter()
            .map(|b| match b {
                Block::Table(_) => "T".to_string(),
                Block::Para(p) => p.text().chars().take(4).collect(),
            })
            .collect()
    }

    #[test]
    fn a_landscape_table_floats_past_the_text_after_it_but_not_past_the_signature() {
        let fixture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/pages/wide-table.txt"
        ))
        .unwrap();
        let o = order(&fixture);
        let at = |head: &str| o.iter().position(|h| h == head).unwrap();
        // 三、 and 四、 with their paragraphs fill the page the table would have left two lines
        // into; 特此报告。 stays with the 署名, after the table.
        assert!(at("三、存在") < at("T"), "{o:?}");
        assert!(at("四、下一") < at("T"), "{o:?}");
        assert!(at("T") < at("特此报告"), "{o:?}");
        assert!(at("二、各乡") < at("T"), "{o:?}");
        // With only the 署名 block after it, nothing floats.
        let cut = fixture.find("三、存在的主要问题").unwrap();
        let end = fixture.find("特此报告。").unwrap();
        let short = format!("{}{}", &fixture[..cut], &fixture[end..]);
        let o = order(&short);
        let t = o.iter().position(|h| h == "T").unwrap();
        assert_eq!(o[t + 1], "特此报告", "{o:?}");
    }
}
