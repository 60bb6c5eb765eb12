//! `gongwen explain`: each line of an input with what the reader made of it, and the warnings.
//!
//! The roles are read back from the [`Document`] the plain-text reader ([`crate::read::text`], asking [`crate::read::recognise`]) produced — each block
//! keeps its source line (a table each row's), attachment pages their label and title lines,
//! the 版记 its plain lines — so what is shown is what was decided, not a second guess. Markup
//! lines (`@…`) are named by their key. The structure is serde-serialisable (`--json`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::Options;
use crate::error::{Error, Warning};
use crate::model::{Block, Document, Element, Table, TableLabel, merge_at};
use crate::read::{self, markup};

/// What each line of one input became.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// How messages name the input.
    pub source: String,
    /// `text`, `docx` or `data`.
    pub kind: String,
    /// What the line numbers count.
    pub lines_of: String,
    /// Each non-empty line, in order.
    pub lines: Vec<Line>,
    /// The reader's warnings.
    pub warnings: Vec<Located>,
}

/// One line and its role.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// 1-based line number in the text read.
    pub line: usize,
    /// The line as read (trimmed; a tab stays a tab).
    pub text: String,
    /// What it became, in Chinese: 标题, 主送, 一级标题, 表格 5×3 第1行（表头）, 附文标题 …
    pub role: String,
    /// The layout file's key of its element (`title`, `heading1` …), if it is one.
    pub element: Option<String>,
}

/// A warning with its line.
#[derive(Debug, Clone, Serialize)]
pub struct Located {
    /// `file:line`, as `render` prints it.
    pub location: String,
    /// The line it names, if any.
    pub line: Option<usize>,
    /// What was noticed.
    pub message: String,
}

/// Read an input as `render` does (a `.docx` through its text, a data file through its
/// template) and say what each line became.
pub fn explain(input: &Path, opts: &Options) -> Result<Explained, Error> {
    let crate::error::Warned {
        value: source,
        mut warnings,
    } = read::source_text(input, opts)?;
    let mut doc = read::document(&source.text, &source.label)?.take(&mut warnings);
    // What `render` writes for typed dates and numbers, said as it says it (the layout that
    // cannot be read is `render`'s error to report).
    let layout = opts.layout.clone().or(source.layout.clone());
    let layout = layout.unwrap_or_else(|| crate::spec::DEFAULT_LAYOUT.into());
    let as_typed = crate::spec::LayoutSpec::load(&layout).is_ok_and(|l| l.text.as_typed);
    read::habits::apply(&mut doc, as_typed, &mut warnings);
    let lines_of = match source.kind {
        "docx" => "the text read from the Word file: one line a paragraph or table row",
        "data" => "the text the template made from the data (not the data file's own lines)",
        _ => "the file",
    };
    Ok(Explained {
        lines: lines(&source.text, &doc),
        warnings: warnings.iter().map(|w| located(w, &source.label)).collect(),
        source: source.label,
        kind: source.kind.to_string(),
        lines_of: lines_of.to_string(),
    })
}

/// Each non-empty line of `text` with the role `doc` gave it.
pub fn lines(text: &str, doc: &Document) -> Vec<Line> {
    let mut roles: BTreeMap<usize, (String, Option<Element>)> = BTreeMap::new();
    let mut put = |line: usize, role: String, e: Option<Element>| {
        if line > 0 {
            roles.entry(line).or_insert((role, e));
        }
    };
    for (line, e, role) in &doc.head_lines {
        put(*line, role.clone(), Some(*e));
    }
    for block in &doc.blocks {
        block_roles(block, &mut put);
    }
    // A 版头 typed as plain lines: named as its markup lines are.
    for (line, e) in doc.masthead.iter().flat_map(|m| &m.typed) {
        put(*line, format!("版头（{}）", e.name()), Some(*e));
    }
    for page in &doc.attachments {
        let label = format!("附件页（附件{}）", page.number);
        if page.line == page.title_line {
            let role = format!("{label}＋附件标题");
            put(page.line, role, Some(Element::AttachmentLabel));
        } else {
            put(page.line, label, Some(Element::AttachmentLabel));
            put(
                page.title_line,
                "附件标题".into(),
                Some(Element::AttachmentTitle),
            );
        }
        for &line in &page.title_more_lines {
            put(
                line,
                "附件标题（续行）".into(),
                Some(Element::AttachmentTitle),
            );
        }
        for block in &page.blocks {
            block_roles(block, &mut put);
        }
    }
    if let Some(c) = &doc.colophon {
        if let Some(line) = c.cc_line {
            put(line, Element::Cc.name().into(), Some(Element::Cc));
        }
        if let Some(line) = c.print_line {
            put(line, Element::Printer.name().into(), Some(Element::Printer));
        }
    }
    let mut out = Vec::new();
    for (i, raw) in read::text::split_lines(text).into_iter().enumerate() {
        let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if t.is_empty() {
            continue;
        }
        let (role, e) = match roles.get(&(i + 1)) {
            Some((r, e)) => (r.clone(), *e),
            None if markup::is_markup(t) => (markup_role(t), None),
            // Only a line the reader dropped whole has no role: a site marker (warned about).
            None => ("删除（见警告）".to_string(), None),
        };
        out.push(Line {
            line: i + 1,
            text: t.replace(markup::LITERAL, ""),
            role,
            element: e.map(|e| e.key().to_string()),
        });
    }
    out
}

/// The roles of one block's lines.
fn block_roles(block: &Block, put: &mut impl FnMut(usize, String, Option<Element>)) {
    let e = block.element();
    let block = match block {
        Block::Para(p) => p,
        Block::Table(t) => return table_roles(t, put),
    };
    let role = match (block.label, e) {
        (Some(TableLabel::Caption), _) => "表题".to_string(),
        (Some(TableLabel::Unit), _) => "表格单位".to_string(),
        (_, e) if e.level().is_some() && block.spans.len() > 1 => {
            format!("{}（接正文）", e.name())
        }
        (_, e) => e.name().to_string(),
    };
    // A title the draft split over lines: its later lines are the same title, joined.
    for &line in &block.more_lines {
        put(line, format!("{role}（续行）"), Some(e));
    }
    put(block.line, role, Some(e));
}

/// The roles of a table's rows: its shape (rows × columns), each row's place, the header's
/// rows (the first says how many when more than one) and the merged cells starting in the row.
fn table_roles(block: &Table, put: &mut impl FnMut(usize, String, Option<Element>)) {
    let (rows, cols) = (block.rows.len(), block.rows.first().map_or(0, Vec::len));
    for (r, &line) in block.row_lines.iter().enumerate() {
        let group = merge_at(&block.merges, r, 0).is_some_and(|m| m.cols == cols && cols > 1);
        let kind = match r {
            0 if block.header_rows > 1 => format!("（表头，共{}行）", block.header_rows),
            _ if r < block.header_rows => "（表头）".to_string(),
            _ if group => "（分组行）".to_string(),
            _ => String::new(),
        };
        let mut role = format!("表格 {rows}行×{cols}列 第{}行{kind}", r + 1);
        let mut starting: Vec<_> = block
            .merges
            .iter()
            .filter(|m| m.row == r && !group)
            .collect();
        starting.sort_by_key(|m| m.col);
        let spans: Vec<String> = starting
            .iter()
            .map(|m| {
                let at = match m.cols {
                    1 => format!("第{}列", m.col + 1),
                    n => format!("第{}–{}列", m.col + 1, m.col + n),
                };
                match m.rows {
                    1 => at,
                    n => format!("{at}跨{n}行"),
                }
            })
            .collect();
        if !spans.is_empty() {
            role.push_str(&format!(" 合并：{}", spans.join("、")));
        }
        put(line, role, Some(Element::Table));
    }
}

/// What a markup line is, from its key (the line itself shows the key).
fn markup_role(line: &str) -> String {
    let (key, _) = markup::key_value(line);
    match key {
        "份号" | "密级" | "紧急程度" | "发文字号" | "签发人" => {
            format!("版头（{key}）")
        }
        "发文机关" | "标志后缀" => "版头（发文机关标志）".to_string(),
        "令" | "命令" => "版头（令标志）".to_string(),
        "令号" => "版头（令号）".to_string(),
        "抄送" => "版记（抄送）".to_string(),
        "印发机关" | "印发日期" => "版记（印发）".to_string(),
        "印章" => "印章（署名留出盖章位置）".to_string(),
        "版式" => "版式".to_string(),
        "表格" | "表格结束" => "表格标记".to_string(),
        _ => "标记".to_string(),
    }
}

/// A warning with the line its location names (`label:12`).
fn located(w: &Warning, label: &str) -> Located {
    let line = w
        .location()
        .strip_prefix(label)
        .and_then(|r| r.strip_prefix(':'))
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok());
    Located {
        location: w.location(),
        line,
        message: w.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain_text(text: &str) -> (Vec<Line>, Vec<Warning>) {
        let mut w = vec![];
        let doc = read::document_from_text(text, "t.txt", &mut w).unwrap();
        (lines(text, &doc), w)
    }

    #[test]
    fn every_line_gets_the_role_the_reader_gave_it() {
        let text = "关于印发方案的通知\n\n各区人民政府：\n现将《实施方案》印发给你们，请认真贯彻执行。\n市人民政府办公厅\n2024年3月5日\n（此件公开发布）\n实施方案\n一、目标\n甲\t乙\n一组\n1\t2\n正文。\n##paidend##\n抄送：市委办公厅。\n";
        let (lines, w) = explain_text(text);
        let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.line, l.role.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "标题"),
                (3, "主送"),
                (4, "正文"),
                (5, "署名"),
                (6, "日期"),
                (7, "附注"),
                (8, "附文标题"),
                (9, "一级标题"),
                (10, "表格 3行×2列 第1行（表头）"),
                (11, "表格 3行×2列 第2行（分组行）"),
                (12, "表格 3行×2列 第3行"),
                (13, "正文"),
                (14, "删除（见警告）"),
                (15, "版记（抄送）"),
            ]
        );
        assert_eq!(lines[6].element.as_deref(), Some("enclosed_title"));
        assert!(lines[10].role.ends_with("第3行"), "{}", lines[10].role);
        assert!(w.iter().any(|w| w.location() == "t.txt:14"), "{w:?}");
    }

    #[test]
    fn a_table_shows_its_shape_header_rows_and_merges() {
        let text = "关于扩招的请示\n省（市）\t招生人数\t分年度任务\n1996年\t1997年\n甲省\t1200\t100\t110\n\t\t90\t95\n";
        let (lines, _) = explain_text(text);
        let got: Vec<&str> = lines.iter().skip(1).map(|l| l.role.as_str()).collect();
        assert_eq!(
            got,
            [
                "表格 4行×4列 第1行（表头，共2行） 合并：第1列跨2行、第2列跨2行、第3–4列",
                "表格 4行×4列 第2行（表头）",
                "表格 4行×4列 第3行 合并：第1列跨2行、第2列跨2行",
                "表格 4行×4列 第4行",
            ]
        );
    }
}
