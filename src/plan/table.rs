//! A ruled table's decisions (practice; GB/T 9704 gives no numbers): column widths from the
//! cells' content, each column's alignment, the cells' own line pitch and padding, which rows
//! may break across pages. Both writers read them from [`Table`]; the flow that sets a table
//! over pages is [`super::table_flow`].

use super::Table;
use super::metrics::{autospace, char_cells, word_boundaries};
use super::paginate::{Cells, Geometry, Measure};
use crate::model::{self, Element, Span};
use crate::spec::{Align, LayoutSpec, PT_PER_MM};

/// Rows whose cells are read for the columns' least widths (segmenting words) and for the
/// widths that set the fewest lines: a long table's first rows say what its columns hold, and
/// a table of 60,000 rows is not segmented whole (issue 19).
const SAMPLE_ROWS: usize = 200;

/// A body cell this wide (in cells) or narrower is not broken when a column can hold it: 县商务局,
/// 2025年3月. A longer one breaks anywhere the 禁则 allow, as Chinese text does, but inside a
/// number with its unit.
const SHORT_CELLS: f32 = 4.0;

/// A header cell this wide (in cells) or narrower stays on one line (序号); a longer one may wrap
/// between its words (项目/名称), at breaks the plan gives.
const HEADER_WHOLE_CELLS: f32 = 2.0;

/// A table: the cells, and everything about its shape both writers use.
pub(super) fn table(block: &model::Table, layout: &LayoutSpec) -> Table {
    let spec = layout.element(Element::Table);
    let ts = &layout.table;
    // Portrait or landscape pages (GB/T 9704 8), and the size its columns fit at.
    let o = super::fit::orientation(&block.rows, &block.merges, layout);
    let one = layout.char_width(o.size);
    let header_rows = block.header_rows.clamp(1, block.rows.len().max(1));
    let columns = table_columns(
        &block.rows,
        &block.merges,
        header_rows,
        layout,
        o.width,
        o.size,
    );
    let column_align = (0..columns.len())
        .map(|c| {
            let mut body = block.rows.iter().skip(header_rows).map(|r| r[c].trim());
            let mut body = body.by_ref().filter(|t| !t.is_empty()).peekable();
            if body.peek().is_some() && body.all(is_number) {
                ts.number_align
            } else {
                spec.align
            }
        })
        .collect();
    let mut t = Table {
        rows: block.rows.clone(),
        merges: block.merges.clone(),
        columns,
        padding: ts.padding_chars * one,
        padding_v: ts.padding_v_chars * one,
        size: o.size,
        line_pitch: ts.line_spacing * o.size,
        landscape: o.landscape,
        // In eighths of a point, as the DOCX's borders are (17.18.2), since Word and
        // LibreOffice add a border's width to a row's height.
        rule: (ts.rule_mm * PT_PER_MM * 8.0).round().max(2.0) / 8.0,
        line: block.line,
        header_rows,
        header_align: ts.header_align,
        column_align,
        split_min_lines: ts.split_min_lines.max(1),
        row_lines: vec![],
        header_breaks: vec![],
        snap_after: 0.0,
    };
    t.header_breaks = header_breaks(&t, layout);
    t.row_lines = row_lines(&t, layout);
    t
}

/// Lines of each row's tallest cell, counting grid cells as Word sets them.
fn row_lines(t: &Table, layout: &LayoutSpec) -> Vec<usize> {
    let mut cells = Cells::new(layout);
    let mut edges = vec![0.0];
    for w in &t.columns {
        edges.push(edges.last().copied().unwrap_or(0.0) + w);
    }
    let ncols = t.columns.len();
    t.rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let mut most = 1;
            for (c, text) in row.iter().enumerate().take(ncols) {
                let merge = model::merge_at(&t.merges, r, c);
                if text.is_empty() || merge.is_some_and(|m| m.row != r || m.col != c) {
                    continue;
                }
                let end = (c + merge.map_or(1, |m| m.cols)).min(ncols);
                let g = Geometry {
                    left: 0.0,
                    width: edges[end] - edges[c] - 2.0 * t.padding,
                    first_indent: 0.0,
                    align: Align::Left,
                    size: Some(t.size),
                };
                let spans = [Span {
                    element: Element::Table,
                    text: text.clone(),
                }];
                let n = cells
                    .lines(&spans, t.breaks(r, c), 0, &g)
                    .map_or(1, |l| l.len());
                most = most.max(n);
            }
            most
        })
        .collect()
}

/// Whether a cell is a number, an amount, a percentage, a date or a count ("12000", "79.3%",
/// "2025年3月", "5项"): such a column is aligned as `table.number_align` says.
fn is_number(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && text.chars().count() <= 12
        && text.chars().all(|c| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || ".,%+-－—~～／/:：年月日号时分万亿千百元个项人次家笔场台套件座亩吨第（）()"
                    .contains(c)
        })
}

/// Width of `text` on one line, points: grid cells of the table's size and the 汉字–Latin
/// autospace. A Latin letter or digit counts 0.6 of a cell, not half: off the base size the
/// fonts set digits at their own advance, a little wider (a "2025年" counted at 0.5 broke
/// after its digits).
fn one_line(chars: &[char], one: f32, space: f32) -> f32 {
    let gaps = chars.windows(2).filter(|w| autospace(w[0], w[1])).count();
    let cells: f32 = chars
        .iter()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                0.6
            } else {
                char_cells(*c)
            }
        })
        .sum();
    cells * one + gaps as f32 * space
}

/// The widest piece of `text` no line may break inside, points, as HTML's min-content width:
/// with `words`, a word (jieba's, a number with its unit, punctuation with the word it may not
/// leave); else a number with its unit, and two characters of Chinese text (a character and
/// the punctuation the 禁则 keep with it).
fn widest_word(text: &str, one: f32, space: f32, words: bool) -> f32 {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 1 {
        return one_line(&chars, one, space);
    }
    let mut edges = word_boundaries(text, &chars, &|_| false);
    edges.insert(0, 0);
    edges.push(chars.len());
    edges
        .windows(2)
        .map(|e| {
            let piece = &chars[e[0]..e[1]];
            let w = one_line(piece, one, space);
            if words || piece.iter().any(|c| c.is_ascii_alphanumeric()) {
                w
            } else {
                w.min(2.0 * one)
            }
        })
        .fold(0.0, f32::max)
}

/// Where each header cell's text breaks (char offsets): between words, in lines as even as
/// the column allows, as a title breaks (7.3.1); none when it fits on one line.
fn header_breaks(t: &Table, layout: &LayoutSpec) -> Vec<Vec<Vec<usize>>> {
    let one = layout.char_width(t.size);
    let space = layout.grid.cjk_latin_space_em * t.size;
    let ncols = t.columns.len();
    t.rows[..t.header_rows]
        .iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .take(ncols)
                .map(|(c, text)| {
                    let cols = model::merge_at(&t.merges, r, c).map_or(1, |m| m.cols);
                    let width: f32 =
                        t.columns[c..(c + cols).min(ncols)].iter().sum::<f32>() - 2.0 * t.padding;
                    let chars: Vec<char> = text.chars().collect();
                    if one_line(&chars, one, space) <= width + 0.01 {
                        vec![]
                    } else {
                        super::metrics::title_breaks(text, t.size, width, layout)
                    }
                })
                .collect()
        })
        .collect()
}

/// Column widths of a table in points, summing to `width` (the body width, or the body height
/// on landscape pages: [`super::fit::orientation`]) with its text at `size` points, from the cells' content as
/// HTML's automatic table layout (CSS 2.1 §17.5.2.2) starts: each column's least width is its
/// widest unbreakable word (a header of up to four characters whole), its most the widest cell
/// on one line. When the most widths fit, the spare width is shared in proportion to them; when
/// they do not, every column starts at its least width and the rest goes, a half character at a
/// time, where it saves the most lines in the table (the long text columns, a 序号 column
/// staying as narrow as its widest number). A cell merged across columns (a group row) spans the
/// widths the others decide, so it does not widen its first column. Every column holds at least
/// one character and its padding (issue 19); more columns than fit so go on landscape pages,
/// their text smaller ([`super::fit::orientation`]).
pub fn table_columns(
    rows: &[Vec<String>],
    merges: &[model::Merge],
    header_rows: usize,
    layout: &LayoutSpec,
    width: f32,
    size: f32,
) -> Vec<f32> {
    let one = layout.char_width(size);
    let space = layout.grid.cjk_latin_space_em * size;
    let pad = 2.0 * layout.table.padding_chars * one;
    let ncols = rows.first().map_or(0, Vec::len);
    let across = |r: usize, c: usize| model::merge_at(merges, r, c).is_some_and(|m| m.cols > 1);
    let floor = one + pad;
    let mut least = vec![floor; ncols];
    let mut most = vec![floor; ncols];
    // Widths of the sampled cells on one line, for the lines they take.
    let mut sample: Vec<Vec<f32>> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let sampled = r < header_rows + SAMPLE_ROWS;
        let mut widths = vec![0.0; ncols];
        for (c, text) in row.iter().enumerate().take(ncols) {
            if across(r, c) || text.is_empty() {
                continue;
            }
            let chars: Vec<char> = text.chars().collect();
            let w = one_line(&chars, one, space);
            most[c] = most[c].max(w + pad);
            widths[c] = w;
            if !sampled {
                continue;
            }
            let header = r < header_rows;
            let whole = if header {
                HEADER_WHOLE_CELLS
            } else {
                SHORT_CELLS
            };
            let word = if w <= whole * one + 0.01 {
                w
            } else {
                widest_word(text, one, space, header)
            };
            least[c] = least[c].max(word + pad);
        }
        if sampled {
            sample.push(widths);
        }
    }
    for c in 0..ncols {
        most[c] = most[c].max(least[c]);
    }
    let body = width;
    let (least_sum, most_sum) = (least.iter().sum::<f32>(), most.iter().sum::<f32>());
    if least_sum >= body {
        // Too wide even so: each column keeps one character and its padding, the rest is
        // shared in proportion to what each asks beyond that.
        let spare = body - floor * ncols as f32;
        if spare >= 0.0 && least_sum > floor * ncols as f32 {
            let scale = spare / (least_sum - floor * ncols as f32);
            return least.iter().map(|m| floor + (m - floor) * scale).collect();
        }
        return least.iter().map(|m| m * body / least_sum).collect();
    }
    if most_sum <= body {
        return most.iter().map(|w| w * body / most_sum).collect();
    }
    let mut widths = least;
    let mut budget = body - least_sum;
    let step = one / 2.0;
    let lines = |w: f32, col: f32| -> usize {
        let cap = (((col - pad) / one + 0.01).floor() * one).max(one);
        if w <= col - pad + 0.01 {
            1
        } else {
            (w / cap - 0.001).ceil() as usize
        }
    };
    let height = |widths: &[f32]| -> Vec<usize> {
        sample
            .iter()
            .map(|row| {
                (0..ncols)
                    .map(|c| lines(row[c], widths[c]))
                    .max()
                    .unwrap_or(1)
            })
            .collect()
    };
    while budget >= step - 0.001 {
        let rows_now = height(&widths);
        let total: usize = rows_now.iter().sum();
        // (lines saved per step, column, steps)
        let mut best: Option<(f32, usize, usize)> = None;
        for c in 0..ncols {
            // Each sampled row's height without column c.
            let others: Vec<usize> = sample
                .iter()
                .map(|row| {
                    (0..ncols)
                        .filter(|&k| k != c)
                        .map(|k| lines(row[k], widths[k]))
                        .max()
                        .unwrap_or(1)
                })
                .collect();
            let max_steps = (budget / step + 0.001).floor() as usize;
            for d in 1..=max_steps {
                let w = widths[c] + d as f32 * step;
                if w > most[c] + step {
                    break;
                }
                let t: usize = sample
                    .iter()
                    .zip(&others)
                    .map(|(row, o)| lines(row[c], w).max(*o))
                    .sum();
                if t < total {
                    let gain = (total - t) as f32 / d as f32;
                    if best.is_none_or(|(g, _, _)| gain > g) {
                        best = Some((gain, c, d));
                    }
                    break;
                }
            }
        }
        let Some((_, c, d)) = best else { break };
        widths[c] += d as f32 * step;
        budget -= d as f32 * step;
    }
    // No more lines to save: what is left goes to the columns in proportion to their widest
    // cells, as HTML shares it.
    if budget > 0.0 {
        let want: f32 = most.iter().sum();
        for (w, m) in widths.iter_mut().zip(&most) {
            *w += budget * m / want;
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_counts_are_numbers() {
        for t in ["12000", "79.3%", "2025年3月", "5项", "1"] {
            assert!(is_number(t), "{t}");
        }
        for t in ["县市场监管局", "第三中学", ""] {
            assert!(!is_number(t), "{t}");
        }
    }

    /// A 序号 column is as narrow as its header; the long text column takes what is left but
    /// what the short columns need to stay about as tall as it.
    #[test]
    fn columns_follow_their_content() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let long = "依托省企业开办一网通办平台，实现营业执照、公章刻制、发票申领、社保登记等事项一表填报、一次提交、并联办理。";
        let rows: Vec<Vec<String>> = [
            ["序号", "项目名称", "主要内容", "责任单位", "完成时限"],
            ["1", "企业开办全程网办", long, "县市场监管局", "2025年3月"],
            [
                "12",
                "工程建设项目审批提速",
                long,
                "县住房城乡建设局",
                "2025年12月",
            ],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        let w = table_columns(
            &rows,
            &[],
            1,
            &layout,
            layout.body_width(),
            layout.element(Element::Table).size_pt,
        );
        let one = 14.0;
        assert!((w.iter().sum::<f32>() - layout.body_width()).abs() < 0.01);
        // 序号: two characters and the padding.
        assert!((w[0] - 3.0 * one).abs() < 0.6, "{w:?}");
        // The text column is the widest, at least 40 % of the table.
        assert!(w[2] > 0.4 * layout.body_width(), "{w:?}");
        assert!(w.iter().all(|c| *c <= w[2]), "{w:?}");
        // A date column keeps "2025年" whole: three characters, two digits' slack, padding.
        assert!(w[4] >= 4.5 * one, "{w:?}");
    }
}
