//! Plain-text import: a report as offices keep it (one paragraph per line) → `Document`.
//!
//! `decode` turns bytes into text (UTF-8, or the GBK/GB18030 that Chinese Windows still writes);
//! `parse` reads the lines top-down: title, 发文字号, 主送机关, headings by their numbering
//! (一、 / （一） / 1. / （1）, 7.3.3), body, 附件说明, 署名 blocks (organ lines over a date, then
//! `（……）` 附注) wherever they stand; after a 署名 block a `附件N`/`附件：`/`附：` line alone
//! starts an attachment page read the same way (8); `抄送：…` and `…印发` lines at the end are
//! the 版记 (7.4). A first line that reads as a sentence is still the title, with a warning.
//! Site markers such as `##paidbegin##` are dropped with a warning naming the line.

use crate::error::{Error, Warning};
use crate::markup;
use crate::model::{AttachmentPage, Block, Colophon, Document, Element, Merge, Span, TableLabel};

/// Decode a text file: a BOM wins; else strict UTF-8; else GB18030 (a superset of GBK and
/// GB2312). Bytes that are neither are an error naming the byte offset.
pub fn decode(bytes: &[u8], source: &str) -> Result<String, Error> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling_and_without_replacement(&bytes[bom_len..])
            .map(|s| s.into_owned())
            .ok_or_else(|| {
                Error::at(
                    source,
                    0,
                    0,
                    format!(
                        "bytes do not match the file's {} byte-order mark",
                        enc.name()
                    ),
                )
            });
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok(s.to_string()),
        Err(e) => e.valid_up_to(),
    };
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => {
            let gb_offset = gb18030_error_offset(bytes);
            Err(Error::at(
                source,
                0,
                0,
                format!(
                    "cannot decode the text: not UTF-8 (bad byte at offset {utf8_error}) and not GBK/GB18030 (bad byte at offset {gb_offset})"
                ),
            )
            .hint("save the file as UTF-8 (记事本: 另存为 → 编码 UTF-8) and run again"))
        }
    }
}

/// Byte offset of the first sequence GB18030 cannot decode.
fn gb18030_error_offset(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut buf = String::with_capacity(16);
    let mut read = 0;
    // Feed the input a byte at a time so the decoder reports exactly where it failed.
    for (i, b) in bytes.iter().enumerate() {
        buf.clear();
        let (r, n) =
            decoder.decode_to_string_without_replacement(std::slice::from_ref(b), &mut buf, false);
        read += n;
        if let encoding_rs::DecoderResult::Malformed(bad, _) = r {
            return (i + 1).saturating_sub(bad as usize);
        }
    }
    read
}

/// Read the lines of a plain-text report into a `Document`. Lines starting with `@` are
/// markup (see [`crate::markup`]); `@附件 N: 标题` starts an attachment page.
pub fn parse(text: &str, source: &str, warnings: &mut Vec<Warning>) -> Result<Document, Error> {
    let all = clean_lines(text, source, warnings);
    let (mut all, tables) = extract_tables(all, text, source, warnings)?;
    let plain_colophon = take_colophon(&mut all);
    // Attachment pages come after the main part: everything from the first `@附件 N`.
    let split = all
        .iter()
        .position(|(_, l)| markup::is_markup(l) && markup::attachment_start(l).is_some())
        .unwrap_or(all.len());
    let (main, rest) = all.split_at(split);
    let (markup_lines, lines): (Vec<_>, Vec<_>) = main
        .iter()
        .cloned()
        .partition(|(_, l)| markup::is_markup(l));
    let meta = markup::read(&markup_lines, source)?;
    let bylines: Vec<Block> = meta
        .bylines
        .iter()
        .map(|(n, t)| Block::new(Element::Byline, t.as_str(), *n))
        .collect();
    if lines.is_empty() {
        return Err(Error::at(source, 0, 0, "the file has no text")
            .hint("the first non-empty line is the title"));
    }
    let (first_line, first) = &lines[0];
    let first = split_breaks(first).0;
    if first.ends_with('。') || first.chars().count() > 40 {
        let head: String = first.chars().take(20).collect();
        warnings.push(Warning::at(
            source,
            *first_line,
            format!("the first line reads as a sentence, not a title (「{head}…」); it is taken as the title"),
        ));
    }
    let mut doc = parse_main(&lines, bylines);
    // A 纪要's 出席/请假/列席 lines follow the body, before any 署名 (10.3).
    let at = doc
        .blocks
        .iter()
        .position(|b| {
            matches!(
                b.element,
                Element::Signature | Element::Date | Element::Note
            )
        })
        .unwrap_or(doc.blocks.len());
    let attendance = meta.attendance.iter().map(|(n, label, names)| Block {
        element: Element::Attendance,
        spans: vec![
            Span {
                element: Element::AttendanceLabel,
                text: format!("{label}："),
            },
            Span {
                element: Element::Attendance,
                text: names.clone(),
            },
        ],
        line: *n,
        rows: vec![],
        merges: vec![],
        label: None,
        breaks: vec![],
    });
    doc.blocks.splice(at..at, attendance);
    doc.source = source.to_string();
    doc.masthead = meta.masthead;
    doc.colophon = meta.colophon;
    // `抄送：…` and `XX办公室　2024年10月15日印发` as plain lines: the markup wins where both say.
    if plain_colophon != Colophon::default() {
        let c = doc.colophon.get_or_insert_with(Colophon::default);
        c.cc = c.cc.take().or(plain_colophon.cc);
        c.printer = c.printer.take().or(plain_colophon.printer);
        c.print_date = c.print_date.take().or(plain_colophon.print_date);
    }
    doc.seal = meta.seal;
    // With a 版头, a 发文字号 line under the title belongs in it (7.2.4).
    if let Some(mh) = doc.masthead.as_mut() {
        if let Some(i) = doc
            .blocks
            .iter()
            .position(|b| b.element == Element::DocNumber)
        {
            let b = doc.blocks.remove(i);
            mh.doc_number.get_or_insert(b.text());
        }
    }
    let mut page_lines: Vec<(usize, String)> = vec![];
    for (n, line) in rest {
        if let Some((number, title)) =
            markup::attachment_start(line).filter(|_| markup::is_markup(line))
        {
            if let Some(page) = doc.attachments.last_mut() {
                page.blocks = page_blocks(&std::mem::take(&mut page_lines));
            }
            let (title, title_breaks) = split_breaks(&title);
            doc.attachments.push(AttachmentPage {
                number,
                title,
                title_breaks,
                blocks: vec![],
            });
        } else if markup::is_markup(line) {
            return Err(Error::at(
                source,
                *n,
                1,
                "markup other than @附件 cannot follow an attachment page",
            )
            .hint("put @版头/@版记 lines before the first @附件 line"));
        } else {
            page_lines.push((*n, line.clone()));
        }
    }
    if let Some(page) = doc.attachments.last_mut() {
        if !page_lines.is_empty() {
            page.blocks = page_blocks(&page_lines);
        }
    }
    put_tables(&mut doc.blocks, &tables);
    for page in &mut doc.attachments {
        put_tables(&mut page.blocks, &tables);
    }
    Ok(doc)
}

/// A table stands in the text as one line holding this character and its index until the
/// blocks are read; then [`put_tables`] swaps the table in. A control character, so no input
/// line can hold it ([`clean_lines`] drops them): a private-use character such as U+E000 is
/// text (GBK's user-defined area, where offices keep rare name characters).
const TABLE_MARK: char = '\u{1}';

/// A table cut out of the lines, and whether it was pasted with tabs.
type Extracted = (Block, bool);

/// The lines left, with stand-ins for the tables, and the tables.
type Extraction = (Vec<(usize, String)>, Vec<Extracted>);

/// Cut `@表格` … `@表格结束` regions out of the lines: each row a line of cells separated by `|`
/// (or `｜`), the first row the header. Every row must have the header's number of cells. Then
/// the tables pasted with tabs ([`tab_tables`]; `text` is the file, to see the tabs
/// [`clean_lines`] trimmed). Each table comes with whether it came from tabs.
fn extract_tables(
    lines: Vec<(usize, String)>,
    text: &str,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Extraction, Error> {
    let mut out = Vec::new();
    let mut tables = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in lines {
        let (key, _) = markup::key_value(&line);
        match (&mut open, markup::is_markup(&line), key) {
            (None, true, "表格") => {
                open = Some(Block {
                    element: Element::Table,
                    spans: vec![],
                    line: n,
                    rows: vec![],
                    merges: vec![],
                    label: None,
                    breaks: vec![],
                });
            }
            (Some(_), true, "表格结束") => {
                let table = open.take().expect("a table is open");
                if table.rows.is_empty() {
                    return Err(Error::at(source, n, 1, "the table has no rows"));
                }
                out.push((table.line, format!("{TABLE_MARK}{}", tables.len())));
                tables.push((table, false));
            }
            (Some(table), _, _) => {
                let cells: Vec<String> = line
                    .trim_matches(|c| c == '|' || c == '｜')
                    .split(['|', '｜'])
                    .map(|c| c.trim().to_string())
                    .collect();
                if let Some(header) = table.rows.first() {
                    if header.len() != cells.len() {
                        return Err(Error::at(
                            source,
                            n,
                            1,
                            format!(
                                "this row has {} cells, the header {}",
                                cells.len(),
                                header.len()
                            ),
                        )
                        .hint("separate cells with |; an empty cell is written | |"));
                    }
                }
                table.rows.push(cells);
            }
            (None, _, _) => out.push((n, line)),
        }
    }
    if let Some(table) = open {
        return Err(Error::at(source, table.line, 1, "@表格 without @表格结束")
            .hint("end the table with a line @表格结束"));
    }
    let raw: Vec<&str> = text.lines().collect();
    let out = tab_tables(out, &raw, source, warnings, &mut tables)?;
    Ok((out, tables))
}

/// Tables pasted from Excel or Word: a run of consecutive lines holding tabs is a table, as
/// `@表格` is, its cells split at the tabs, the first row the header. A row with fewer cells than
/// the header continues cells merged in the source: its cells fill the last columns, the leading
/// ones merge with the row above. A row of one cell spans all columns (a group row; a line with
/// no tab counts when a line with tabs follows it, as Excel's trailing tabs are trimmed). A tab
/// in a line of no table becomes a space, with a warning naming the line.
fn tab_tables(
    lines: Vec<(usize, String)>,
    raw: &[&str],
    source: &str,
    warnings: &mut Vec<Warning>,
    tables: &mut Vec<Extracted>,
) -> Result<Vec<(usize, String)>, Error> {
    let plain = |l: &str| !markup::is_markup(l) && !l.starts_with(TABLE_MARK);
    let tabbed = |(n, l): &(usize, String)| {
        plain(l) && raw.get(n.wrapping_sub(1)).is_some_and(|r| r.contains('\t'))
    };
    let split = |l: &str| -> Vec<String> { l.split('\t').map(|c| c.trim().to_string()).collect() };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !tabbed(&lines[i]) {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        // The run: consecutive source lines with tabs, and lines without between them.
        let mut j = i + 1;
        loop {
            let mut k = j;
            while k < lines.len()
                && lines[k].0 == lines[k - 1].0 + 1
                && plain(&lines[k].1)
                && !tabbed(&lines[k])
            {
                k += 1;
            }
            if k < lines.len() && lines[k].0 == lines[k - 1].0 + 1 && tabbed(&lines[k]) {
                j = k + 1;
            } else {
                break;
            }
        }
        let run = &lines[i..j];
        i = j;
        let header = split(&run[0].1);
        if run.len() < 2 || header.len() < 2 {
            for (n, l) in run {
                if l.contains('\t') {
                    warnings.push(Warning::at(
                        source,
                        *n,
                        "a tab in a line outside a table, replaced by a space (a table is two or more consecutive lines with tabs)",
                    ));
                }
                out.push((*n, l.replace('\t', " ")));
            }
            continue;
        }
        let ncols = header.len();
        let mut rows = vec![header];
        let mut merges: Vec<Merge> = Vec::new();
        let mut group = vec![false];
        for (n, l) in &run[1..] {
            let r = rows.len();
            let cells = split(l);
            if cells.len() > ncols {
                return Err(Error::at(
                    source,
                    *n,
                    1,
                    format!("this row has {} cells, the header {}", cells.len(), ncols),
                )
                .hint("a row of a table pasted with tabs has at most the header's cells; a shorter row's cells fill the last columns"));
            }
            if cells.len() == 1 {
                merges.push(Merge {
                    row: r,
                    col: 0,
                    rows: 1,
                    cols: ncols,
                });
                let mut row = cells;
                row.resize(ncols, String::new());
                rows.push(row);
                group.push(true);
                continue;
            }
            let lead = ncols - cells.len();
            // The leading columns continue the cells above (not the header's, not a group row's).
            if r >= 2 && !group[r - 1] {
                for c in 0..lead {
                    match merges
                        .iter_mut()
                        .find(|m| m.cols == 1 && m.col == c && m.row + m.rows == r)
                    {
                        Some(m) => m.rows += 1,
                        None => merges.push(Merge {
                            row: r - 1,
                            col: c,
                            rows: 2,
                            cols: 1,
                        }),
                    }
                }
            }
            let mut row = vec![String::new(); lead];
            row.extend(cells);
            rows.push(row);
            group.push(false);
        }
        out.push((run[0].0, format!("{TABLE_MARK}{}", tables.len())));
        tables.push((
            Block {
                element: Element::Table,
                spans: vec![],
                line: run[0].0,
                rows,
                merges,
                label: None,
                breaks: vec![],
            },
            true,
        ));
    }
    Ok(out)
}

/// Swap the stand-in lines for their tables. Before a table pasted with tabs, a `单位：` line
/// and a caption (a short line without 。) are labelled as such.
fn put_tables(blocks: &mut [Block], tables: &[Extracted]) {
    for j in 0..blocks.len() {
        let text = blocks[j].text();
        if let Some(i) = text
            .strip_prefix(TABLE_MARK)
            .and_then(|i| i.parse::<usize>().ok())
        {
            blocks[j] = tables[i].0.clone();
            if tables[i].1 {
                label_table(blocks, j);
            }
        }
    }
}

/// Label the `单位：` line and the caption before the table at `at`.
fn label_table(blocks: &mut [Block], at: usize) {
    let body = |b: &Block| b.element == Element::Body && b.label.is_none() && b.spans.len() == 1;
    let mut k = at;
    if k > 0 && body(&blocks[k - 1]) {
        let t = blocks[k - 1].text();
        if t.starts_with("单位：") || t.starts_with("单位:") {
            blocks[k - 1].label = Some(TableLabel::Unit);
            k -= 1;
        }
    }
    if k > 0 && body(&blocks[k - 1]) {
        let t = blocks[k - 1].text();
        let short = t.chars().count() <= 40;
        if short && !t.contains('。') && !t.ends_with(['：', ':']) && !t.starts_with("注") {
            blocks[k - 1].label = Some(TableLabel::Caption);
        }
    }
}

/// The main part: title, 发文字号, 主送, body, 附件说明, 署名, 成文日期, 附注; then the attachment
/// pages that plain lines start after a 署名 block (`附件1`, `附件：`, `附：` alone, 8).
fn parse_main(lines: &[(usize, String)], bylines: Vec<Block>) -> Document {
    let (start, end) = (1usize, lines.len());
    // `|` in the title line breaks it there (7.3.1: the author decides how it is arranged).
    let (title_text, breaks) = split_breaks(&lines[0].1);
    let mut title = Block::new(Element::Title, title_text.clone(), lines[0].0);
    title.breaks = breaks;
    let mut blocks = vec![title];
    blocks.extend(bylines);
    let mut i = start;
    if i < end && is_doc_number(&lines[i].1) {
        blocks.push(Block::new(
            Element::DocNumber,
            lines[i].1.clone(),
            lines[i].0,
        ));
        i += 1;
    }
    let lines = &lines[i..];
    let starts = attachment_page_starts(lines);
    let main_end = starts.first().copied().unwrap_or(lines.len());
    blocks.extend(page_blocks(&lines[..main_end]));
    let mut attachments = Vec::new();
    for (k, &a) in starts.iter().enumerate() {
        let stop = starts.get(k + 1).copied().unwrap_or(lines.len());
        let number = attachment_page_start(&lines[a].1).unwrap_or_default();
        let (title, title_breaks) = split_breaks(&lines[a + 1].1);
        attachments.push(AttachmentPage {
            number,
            title,
            title_breaks,
            blocks: page_blocks(&lines[a + 2..stop]),
        });
    }
    Document {
        title: title_text,
        blocks,
        attachments,
        ..Document::default()
    }
}

/// The lines of a main text after its title, or of an attachment page after its title: 主送,
/// then body, 附件说明 and the 署名 blocks wherever they stand.
fn page_blocks(lines: &[(usize, String)]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    if i < lines.len() && is_addressee(&lines[i].1) {
        blocks.push(Block::new(
            Element::Addressee,
            lines[i].1.clone(),
            lines[i].0,
        ));
        i += 1;
    }
    let lines = &lines[i..];
    let roles = closing_roles(lines);
    let mut in_attachments = false;
    for ((line_no, line), role) in lines.iter().zip(roles) {
        if let Some(element) = role {
            in_attachments = false;
            blocks.push(Block::new(element, line.clone(), *line_no));
            continue;
        }
        if line.starts_with("附件：") || line.starts_with("附件:") {
            in_attachments = true;
            blocks.push(Block::new(Element::Attachment, line.clone(), *line_no));
            continue;
        }
        if in_attachments && heading_level(line) == Some(3) {
            blocks.push(Block::new(Element::Attachment, line.clone(), *line_no));
            continue;
        }
        in_attachments = false;
        blocks.push(body_block(line, *line_no));
    }
    blocks
}

/// 署名 blocks wherever they stand (7.3.5): one or more organ lines (a joint document signs
/// one organ a line) directly over a date line, then any `（……）` lines as 附注 (7.3.6). A date
/// with no organ over it is a 成文日期 only at the end of its part.
fn closing_roles(lines: &[(usize, String)]) -> Vec<Option<Element>> {
    let n = lines.len();
    let mut roles: Vec<Option<Element>> = vec![None; n];
    for d in 0..n {
        if roles[d].is_some() || !is_date(&lines[d].1) {
            continue;
        }
        let mut k = d;
        while k > 0 && d - k < 6 && roles[k - 1].is_none() && is_signature(&lines[k - 1].1) {
            k -= 1;
        }
        let mut e = d + 1;
        while e < n && is_note(&lines[e].1) {
            e += 1;
        }
        if k == d && e < n {
            continue;
        }
        roles[k..d].fill(Some(Element::Signature));
        roles[d] = Some(Element::Date);
        roles[d + 1..e].fill(Some(Element::Note));
    }
    roles
}

/// Where plain lines start attachment pages (8): a `附件`/`附件1`/`附件：`/`附：` line alone
/// right after a 署名 block (or a numbered `附件N` once the pages have begun), with a title line
/// after it.
fn attachment_page_starts(lines: &[(usize, String)]) -> Vec<usize> {
    let roles = closing_roles(lines);
    let mut starts: Vec<usize> = Vec::new();
    for a in 1..lines.len().saturating_sub(1) {
        let Some(number) = attachment_page_start(&lines[a].1) else {
            continue;
        };
        // After 署名, 日期 and any 附注: walk back over the notes to the date, then a 署名.
        let mut k = a;
        while k > 0 && roles[k - 1] == Some(Element::Note) {
            k -= 1;
        }
        let after_signature = k >= 2
            && roles[k - 1] == Some(Element::Date)
            && roles[k - 2] == Some(Element::Signature);
        let next_page =
            !starts.is_empty() && !number.is_empty() && a > starts[starts.len() - 1] + 1;
        if after_signature || next_page {
            starts.push(a);
        }
    }
    starts
}

/// `附件`, `附件1`, `附件：` or `附：` alone → the number (empty when none).
fn attachment_page_start(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("附件")
        .or_else(|| line.strip_prefix('附').filter(|r| matches!(*r, "：" | ":")))?;
    let rest = rest.trim_end_matches(['：', ':']).trim();
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    Some(
        rest.chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .collect(),
    )
}

/// 版记 lines at the end of the text (7.4): `抄送：…。` and `XX办公室　2024年10月15日印发`,
/// taken off the lines.
fn take_colophon(lines: &mut Vec<(usize, String)>) -> Colophon {
    let mut c = Colophon::default();
    while let Some((_, last)) = lines.last() {
        let cc = ["抄送：", "抄送:"]
            .iter()
            .find_map(|p| last.strip_prefix(p))
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let (Some(v), None) = (cc, &c.cc) {
            c.cc = Some(v.to_string());
        } else if let (Some((organ, date)), None) = (printer_line(last), &c.printer) {
            c.printer = Some(organ);
            c.print_date = Some(date);
        } else {
            break;
        }
        lines.pop();
    }
    c
}

/// `XX办公室　2024年10月15日印发` → (organ, date).
fn printer_line(line: &str) -> Option<(String, String)> {
    let rest = line.strip_suffix("印发")?;
    let (organ, date) = rest.rsplit_once(char::is_whitespace)?;
    let (organ, date) = (organ.trim(), date.trim());
    (is_date(date)
        && !organ.is_empty()
        && organ.chars().count() <= 30
        && !has_sentence_punct(organ)
        && !organ.contains(['：', ':']))
    .then(|| (organ.to_string(), date.to_string()))
}

/// Non-empty lines with their 1-based numbers, trimmed, site markers removed.
fn clean_lines(text: &str, source: &str, warnings: &mut Vec<Warning>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let mut line = raw
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .to_string();
        while let Some(marker) = find_marker(&line) {
            warnings.push(Warning::at(
                source,
                n + 1,
                format!("removed site marker {}", &line[marker.clone()]),
            ));
            line.replace_range(marker, "");
        }
        // Control characters (NUL, form feed, escape …; a tab stays) have no place in a
        // document and make a DOCX unreadable: dropped, with a warning.
        if line.chars().any(is_control) {
            let codes: Vec<String> = line
                .chars()
                .filter(|c| is_control(*c))
                .map(|c| format!("U+{:04X}", c as u32))
                .collect();
            warnings.push(Warning::at(
                source,
                n + 1,
                format!("removed control character(s) {}", codes.join(" ")),
            ));
            line.retain(|c| !is_control(c));
        }
        let line = line.trim().to_string();
        if !line.is_empty() {
            out.push((n + 1, line));
        }
    }
    out
}

/// A title with `|` (or `｜`) where the author breaks it → the text and the char offsets of the
/// breaks.
fn split_breaks(line: &str) -> (String, Vec<usize>) {
    let parts: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
    let mut breaks = Vec::new();
    let mut at = 0;
    for part in &parts[..parts.len() - 1] {
        at += part.chars().count();
        breaks.push(at);
    }
    (parts.concat(), breaks)
}

/// A C0 or C1 control character other than the tab.
fn is_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// The byte range of a `##word##` marker left by a web site, if any.
fn find_marker(line: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(s) = line[from..].find("##").map(|p| p + from) {
        let rest = &line[s + 2..];
        let word_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if word_len > 0 && rest[word_len..].starts_with("##") {
            return Some(s..s + 2 + word_len + 2);
        }
        from = s + 2;
    }
    None
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇";

/// The heading level a line's numbering gives it (7.3.3): `一、` 1, `（一）` 2, `1.` 3, `（1）` 4.
pub fn heading_level(line: &str) -> Option<u8> {
    let chars: Vec<char> = line.chars().collect();
    let count = |from: usize, pred: &dyn Fn(char) -> bool| {
        chars[from..].iter().take_while(|c| pred(**c)).count()
    };
    let cn = |c: char| CN_DIGITS.contains(c);
    let ar = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let n = count(0, &cn);
    if n > 0 && chars.get(n) == Some(&'、') {
        return Some(1);
    }
    if matches!(chars.first(), Some('（') | Some('(')) {
        let close = |c: Option<&char>| matches!(c, Some('）') | Some(')'));
        let n = count(1, &cn);
        if n > 0 && close(chars.get(1 + n)) {
            return Some(2);
        }
        let n = count(1, &ar);
        if n > 0 && close(chars.get(1 + n)) {
            return Some(4);
        }
        return None;
    }
    let n = count(0, &ar);
    // `1.` or `1．` but not a decimal number such as `1.5万亩`.
    if n > 0
        && matches!(chars.get(n), Some('.') | Some('．'))
        && !chars.get(n + 1).is_some_and(|c| ar(*c))
    {
        return Some(3);
    }
    None
}

/// A body line: a heading (whole or run-in) or a plain paragraph. `一是……二是……` stays body.
fn body_block(line: &str, line_no: usize) -> Block {
    let Some(level) = heading_level(line) else {
        return Block::new(Element::Body, line, line_no);
    };
    let element = Element::heading(level);
    // A run-in heading: the heading sentence ends at the first 。 and body text follows.
    match line.find('。') {
        Some(p) if p + '。'.len_utf8() < line.len() => {
            let (head, rest) = line.split_at(p + '。'.len_utf8());
            Block {
                element,
                spans: vec![
                    Span {
                        element,
                        text: head.to_string(),
                    },
                    Span {
                        element: Element::Body,
                        text: rest.to_string(),
                    },
                ],
                line: line_no,
                rows: vec![],
                merges: vec![],
                label: None,
                breaks: vec![],
            }
        }
        _ => Block::new(element, line, line_no),
    }
}

fn has_sentence_punct(line: &str) -> bool {
    line.contains(['，', '。', '；', '！', '？'])
}

/// `国办发〔2023〕12号`: an organ abbreviation, the year in 〔〕, a number, 号 (7.2.4).
fn is_doc_number(line: &str) -> bool {
    line.chars().count() <= 30
        && line.ends_with('号')
        && (line.contains('〔') || line.contains('['))
}

/// `各省、自治区、直辖市人民政府：` — short, no sentence punctuation, ends with a colon (7.3.2).
fn is_addressee(line: &str) -> bool {
    // A list of organs, separated by 、 and ，: no full stop or other sentence ending.
    (line.ends_with('：') || line.ends_with(':'))
        && line.chars().count() <= 80
        && !line.contains(['。', '；', '！', '？'])
}

/// `2023年7月1日` or `二〇二三年七月一日` (7.3.5.4).
pub fn is_date(line: &str) -> bool {
    let Some((y, rest)) = line.split_once('年') else {
        return false;
    };
    let Some((m, rest)) = rest.split_once('月') else {
        return false;
    };
    let Some(d) = rest.strip_suffix('日') else {
        return false;
    };
    let num = |s: &str, max: usize| {
        !s.is_empty()
            && s.chars().count() <= max
            && s.chars()
                .all(|c| c.is_ascii_digit() || CN_DIGITS.contains(c))
    };
    num(y, 4) && y.chars().count() == 4 && num(m, 3) && num(d, 3)
}

/// An organ line of a 署名: short, no sentence punctuation (。，；：？！), not a heading.
fn is_signature(line: &str) -> bool {
    !line.starts_with("附件")
        && attachment_page_start(line).is_none()
        && !line.contains(['：', ':'])
        && !line.starts_with(TABLE_MARK)
        && line.chars().count() <= 30
        && !has_sentence_punct(line)
        && heading_level(line).is_none()
}

fn is_note(line: &str) -> bool {
    heading_level(line).is_none()
        && ((line.starts_with('（') && line.ends_with('）'))
            || (line.starts_with('(') && line.ends_with(')')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (Document, Vec<Warning>) {
        let mut w = vec![];
        (parse(text, "t.txt", &mut w).unwrap(), w)
    }

    const TAB_TABLE: &str = "标题\n现将情况报告如下。\n表1 项目进展\n单位：万元\n片区\t项目\t计划\n一、产业项目\t\t\n城东\t园区\t100\n\t物流\t80\n\t冷链\t60\n注：截至9月底。\n";

    #[test]
    fn tab_lines_are_a_table_with_merges_a_group_row_a_caption_and_a_unit() {
        let (d, w) = doc(TAB_TABLE);
        assert!(w.is_empty(), "{w:?}");
        let els: Vec<Element> = d.blocks.iter().map(|b| b.element).collect();
        use Element::*;
        assert_eq!(els, [Title, Body, Body, Body, Table, Body]);
        assert_eq!(d.blocks[2].label, Some(TableLabel::Caption));
        assert_eq!(d.blocks[3].label, Some(TableLabel::Unit));
        assert_eq!((d.blocks[1].label, d.blocks[5].label), (None, None));
        let t = &d.blocks[4];
        assert_eq!(t.line, 5);
        let s = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            t.rows,
            [
                s(&["片区", "项目", "计划"]),
                s(&["一、产业项目", "", ""]),
                s(&["城东", "园区", "100"]),
                s(&["", "物流", "80"]),
                s(&["", "冷链", "60"]),
            ]
        );
        let m = |row, col, rows, cols| Merge {
            row,
            col,
            rows,
            cols,
        };
        assert_eq!(t.merges, [m(1, 0, 1, 3), m(2, 0, 3, 1)]);
        assert_eq!(d.blocks[5].text(), "注：截至9月底。");
    }

    #[test]
    fn a_tab_outside_a_table_is_a_space_with_a_warning_naming_the_line() {
        let (d, w) = doc("标题\n正文\t第一段。\n第二段。\n");
        assert!(d.blocks.iter().all(|b| b.element != Element::Table));
        assert_eq!(d.blocks[1].text(), "正文 第一段。");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].to_string().contains(":2") && w[0].message.contains("tab"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn a_tab_row_longer_than_the_header_is_an_error() {
        let mut w = vec![];
        let e = parse("标题\n甲\t乙\n1\t2\t3\n", "t.txt", &mut w).unwrap_err();
        assert!(e.to_string().contains("3 cells"), "{e}");
    }

    #[test]
    fn control_characters_are_dropped_with_a_warning_and_private_use_is_text() {
        let (d, w) = doc("标题\n正文\u{0}有\u{1b}控制符。\n\u{E000}0 李\u{E001}的名字。\n");
        let texts: Vec<String> = d.blocks.iter().map(Block::text).collect();
        assert!(texts.contains(&"正文有控制符。".to_string()), "{texts:?}");
        assert!(
            texts.iter().any(|t| t == "\u{E000}0 李\u{E001}的名字。"),
            "{texts:?}"
        );
        assert!(d.blocks.iter().all(|b| b.element != Element::Table));
        let msg = w
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            msg.contains("t.txt:2") && msg.contains("U+0000 U+001B"),
            "{msg}"
        );
    }

    #[test]
    fn numbering_levels() {
        assert_eq!(heading_level("一、加强政治理论学习"), Some(1));
        assert_eq!(heading_level("十一、其他"), Some(1));
        assert_eq!(heading_level("（一）加强组织领导"), Some(2));
        assert_eq!(heading_level("1.建立工作机制"), Some(3));
        assert_eq!(heading_level("12．建立工作机制"), Some(3));
        assert_eq!(heading_level("（1）做好工作"), Some(4));
        assert_eq!(heading_level("(2)做好工作"), Some(4));
        assert_eq!(heading_level("一是利用业余时间"), None);
        assert_eq!(heading_level("1.5万亩耕地"), None);
        assert_eq!(heading_level("2023年"), None);
        assert_eq!(heading_level("（注）"), None);
    }

    #[test]
    fn run_in_heading_splits_at_first_full_stop() {
        let (d, _) = doc(
            "标题\n（一）加强组织领导。各地要落实。\n1.建立工作机制，落实分管职责。作为分管农业的副镇长",
        );
        let b = &d.blocks[1];
        assert_eq!(b.element, Element::Heading2);
        assert_eq!(
            b.spans[0],
            Span {
                element: Element::Heading2,
                text: "（一）加强组织领导。".into()
            }
        );
        assert_eq!(
            b.spans[1],
            Span {
                element: Element::Body,
                text: "各地要落实。".into()
            }
        );
        let b = &d.blocks[2];
        assert_eq!(b.element, Element::Heading3);
        assert_eq!(b.spans[0].text, "1.建立工作机制，落实分管职责。");
        assert_eq!(b.spans[1].text, "作为分管农业的副镇长");
    }

    #[test]
    fn yi_shi_stays_body_and_whole_heading_has_one_span() {
        let (d, _) = doc("标题\n一、总体要求\n一是学习。二是落实。");
        assert_eq!(d.blocks[1].element, Element::Heading1);
        assert_eq!(d.blocks[1].spans.len(), 1);
        assert_eq!(d.blocks[2].element, Element::Body);
    }

    #[test]
    fn notice_parts() {
        let text = "关于开展检查的通知\n国办发〔2023〕12号\n各省、自治区、直辖市人民政府：\n现将有关事项通知如下：\n一、总体要求\n附件：1.检查表\n2.名单\nXX市人民政府办公室\n2023年7月1日\n（此件公开发布）\n";
        let (d, _) = doc(text);
        let kinds: Vec<Element> = d.blocks.iter().map(|b| b.element).collect();
        use Element::*;
        assert_eq!(
            kinds,
            [
                Title, DocNumber, Addressee, Body, Heading1, Attachment, Attachment, Signature,
                Date, Note
            ]
        );
        assert_eq!(d.title, "关于开展检查的通知");
    }

    #[test]
    fn long_paragraph_ending_in_colon_is_body_not_addressee() {
        let (d, _) = doc("标题\n一段时间以来，在县委的领导下，工作有进展。现报告如下：\n");
        assert_eq!(d.blocks[1].element, Element::Body);
        let (d, _) = doc("标题\n各乡镇人民政府，县政府各部门：\n正文。");
        assert_eq!(d.blocks[1].element, Element::Addressee);
    }

    #[test]
    fn markers_are_removed_with_a_warning_naming_the_line() {
        let (d, w) = doc("标题\n正文##paidbegin##继续。\n##paidend##\n");
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.blocks[1].text(), "正文继续。");
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].location, "t.txt:2");
        assert!(w[1].message.contains("##paidend##"));
    }

    #[test]
    fn decodes_gbk_and_reports_bad_bytes() {
        let (gbk, _, _) = encoding_rs::GBK.encode("述职报告\n正文。");
        assert_eq!(decode(&gbk, "x").unwrap(), "述职报告\n正文。");
        assert_eq!(decode("述职".as_bytes(), "x").unwrap(), "述职");
        let mut bad = "述职".as_bytes().to_vec();
        bad.extend([0xff, 0xff, 0x41]);
        let e = decode(&bad, "x.txt").unwrap_err().to_string();
        assert!(e.contains("offset 6"), "{e}");
    }

    #[test]
    fn dates() {
        assert!(is_date("2023年7月1日"));
        assert!(is_date("二〇二三年七月一日"));
        assert!(!is_date("2023年7月1日印发"));
        assert!(!is_date("今年7月1日"));
    }
}
