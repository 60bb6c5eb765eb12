//! Unit tests of the table conventions ([`super::table_shape`]): no table is refused (issue 21).

use super::*;
use crate::model::{Block, Merge, Table};

/// The one table of `text`, and the warnings.
fn table(text: &str) -> (Table, Vec<Warning>) {
    let mut w = vec![];
    let d = parse(text, "t.txt", &mut w).unwrap();
    let t = d
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(t.clone()),
            _ => None,
        })
        .expect("a table");
    (t, w)
}

fn m(row: usize, col: usize, rows: usize, cols: usize) -> Merge {
    Merge {
        row,
        col,
        rows,
        cols,
    }
}

fn s(r: &[&str]) -> Vec<String> {
    r.iter().map(|c| c.to_string()).collect()
}

fn sorted(mut merges: Vec<Merge>) -> Vec<Merge> {
    merges.sort_by_key(|m| (m.row, m.col));
    merges
}

/// Each warning as `file:line: message`.
fn said(w: &[Warning]) -> Vec<String> {
    w.iter().map(|w| w.to_string()).collect()
}

#[test]
fn a_row_wider_than_the_header_widens_the_table_the_header_last_cell_spanning() {
    let (t, w) = table("标题\n地区\t人数\n北京\t12\t8\n天津\t9\t6\n正文。\n");
    assert_eq!(t.rows[0], s(&["地区", "人数", ""]));
    assert_eq!(t.rows[1], s(&["北京", "12", "8"]));
    assert_eq!((t.header_rows, t.merges.clone()), (1, vec![m(0, 1, 1, 2)]));
    // The second row holds numbers: data, not a second header row.
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].to_string().contains(
            "t.txt:3: row 2 has 3 cells, the header 2: the table is widened to 3 columns"
        ),
        "{}",
        w[0]
    );
}

const ENROL: &str = "省（市）\t1995年招生人数\t扩招\t分年度招生任务\n";
const DATA: &str = "北京\t1200\t300\t100\t100\t100\n天津\t800\t200\t60\t70\t70\n";

fn assert_two_row_header(t: &Table, w: &[Warning], line: usize) {
    assert_eq!(t.header_rows, 2);
    assert_eq!(
        t.rows[..2],
        [
            s(&[
                "省（市）",
                "1995年招生人数",
                "扩招",
                "分年度招生任务",
                "",
                ""
            ]),
            s(&["", "", "", "1996年", "1997年", "1998年"]),
        ]
    );
    assert_eq!(t.rows[2], s(&["北京", "1200", "300", "100", "100", "100"]));
    assert_eq!(
        sorted(t.merges.clone()),
        [m(0, 0, 2, 1), m(0, 1, 2, 1), m(0, 2, 2, 1), m(0, 3, 1, 3)]
    );
    assert_eq!(
        said(w),
        [format!(
            "t.txt:{line}: the table's header takes two rows: 1996年、1997年、1998年 read as the sub-headings of 分年度招生任务 above, the first row's other cells spanning both rows"
        )]
    );
}

#[test]
fn a_short_header_like_second_row_under_a_spanning_cell_is_a_two_row_header() {
    // Just the years under the last cell (the line trimmed), …
    let (t, w) = table(&format!("标题\n{ENROL}1996年\t1997年\t1998年\n{DATA}"));
    assert_two_row_header(&t, &w, 3);
    // … with the empty cells' tabs kept, …
    let (t, w) = table(&format!(
        "标题\n{}\t\n\t\t\t1996年\t1997年\t1998年\n{DATA}",
        ENROL.trim_end()
    ));
    assert_two_row_header(&t, &w, 3);
    // … and written with `|` (outer bars, as Markdown writes them, hold no cell).
    let (t, w) = table(
        "标题\n@表格\n| 省（市） | 1995年招生人数 | 扩招 | 分年度招生任务 | | |\n| | | | 1996年 | 1997年 | 1998年 |\n北京 | 1200 | 300 | 100 | 100 | 100\n天津 | 800 | 200 | 60 | 70 | 70\n@表格结束\n",
    );
    assert_two_row_header(&t, &w, 4);
}

#[test]
fn empty_cells_continue_the_cell_above_or_the_total_to_their_left() {
    let text = "标题\n@表格\n序号 | 类别 | 项目 | 金额 | 备注\n1 | 产业 | 园区 | 100 | 新建\n2 | | 物流 | 80 | |\n3 | | 冷链 | 60 | 续建\n| | | 仓储 | 20 | |\n4 | 民生 | 医院 | 90 | |\n合计 | | | 350 | |\n@表格结束\n";
    let (t, w) = table(text);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(t.rows.len(), 7);
    // 类别 runs down rows 1–4; the unnumbered row 4 continues 序号 3 as well; 备注 left empty
    // stays empty; 合计 spans 序号, 类别 and 项目.
    assert_eq!(
        sorted(t.merges.clone()),
        [m(1, 1, 4, 1), m(3, 0, 2, 1), m(6, 0, 1, 3)]
    );
    assert_eq!(t.rows[6], s(&["合计", "", "", "350", ""]));
}

#[test]
fn tab_rows_keep_the_empty_cells_at_their_ends() {
    // The file keeps the tabs the trimmed line lost: a row whose 序号 is merged starts with one,
    // a row with no 备注 ends with one.
    let (t, w) = table("标题\n片区\t项目\t计划\t备注\n城东\t园区\t100\t\n\t物流\t80\t新增\n");
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(t.rows[1], s(&["城东", "园区", "100", ""]));
    assert_eq!(t.rows[2], s(&["", "物流", "80", "新增"]));
    assert_eq!(t.merges, [m(1, 0, 2, 1)]);
}

#[test]
fn ragged_rows_that_were_refused_make_a_table_with_a_warning_each() {
    // `@表格` rows of 2, 3 and 4 cells (before: "this row has 2 cells, the header 3").
    let (t, w) =
        table("标题\n@表格\n甲 | 乙 | 丙\n1 | 2\n3 | 4 | 5 | 6\n7 | 8 | 9\n@表格结束\n正文。\n");
    assert_eq!(
        t.rows,
        [
            s(&["甲", "乙", "丙", ""]),
            s(&["1", "2", "", ""]),
            s(&["3", "4", "5", "6"]),
            s(&["7", "8", "9", ""]),
        ]
    );
    assert_eq!(sorted(t.merges.clone()), [m(0, 2, 1, 2), m(3, 2, 1, 2)]);
    assert_eq!(
        said(&w),
        [
            "t.txt:5: row 3 has 4 cells, the header 3: the table is widened to 4 columns, the header's last cell spanning the last 2",
            "t.txt:4: row 2 has 2 cells, the table 4: its cells fill the first 2 columns, the last 2 left empty",
            "t.txt:6: row 4 has 3 cells, the table 4: its last cell spans the last 2 columns, as the header's does",
        ]
    );
    // Pasted with tabs, lines trimmed (no leading tab anywhere): a short row fills the last
    // columns, continuing the cells above.
    let (t, w) = table("标题\n甲\t乙\t丙\t丁\n1\t2\t3\t4\n5\t6\n7\t8\t9\t10\t11\n");
    assert_eq!(t.rows[2], s(&["", "", "", "5", "6"]));
    assert_eq!(
        sorted(t.merges.clone()),
        [
            m(0, 3, 1, 2),
            m(1, 0, 2, 1),
            m(1, 1, 2, 1),
            m(1, 2, 2, 1),
            m(1, 3, 1, 2)
        ]
    );
    assert_eq!(w.len(), 3, "{w:?}");
}
