//! Our own DOCX read back (issue 23, item 4): a file whose styles carry the names our writer
//! gives ([`crate::export::docx::style_of`]) is read by its paragraph styles, so an edited copy
//! keeps every role — the 版头, the title, attachment pages, enclosed titles, the 版记 — and
//! `gongwen render edited.docx` gives the PDF the same edit in the text would.
//!
//! Style *names* are what is matched, not ids: Word and LibreOffice keep a style's name when
//! they save (Word renames the ids of styles it does not know), and a user who edits a paragraph
//! keeps its style. A file is ours when its styles define the names only our writer gives
//! ([`OURS`]); anyone else's `Title` or `heading 1` reads as it always has, by its text.
//!
//! What a style says becomes what the plain-text reader takes: the 版头 and 版记 paragraphs
//! (wherever they stand: in the body, a text box, a table cell or a footer) become their `@`
//! lines ([`Furniture`]), put first as a template puts them; every other paragraph is its text
//! on one line for `read::text`, whose recogniser finds the same role in it that it found in the
//! draft the file was made from. A paragraph's own text is never markup: one that starts with
//! `@` is marked as a value ([`LITERAL`]), body text whatever it looks like. A title's line
//! breaks are `|` again (7.3.1), an enclosed or attachment title's are joined (the plan breaks
//! them afresh); a bracketed last line (`（试行）`) stays a line of its own, as it was typed. A
//! paragraph our writer split to keep its last lines with the 署名 is one paragraph again.

use std::collections::HashMap;

use roxmltree::{Document as Xml, Node};

use super::{child, is_w, w_attr};
use crate::export::docx::style_of;
use crate::model::Element;
use crate::read::markup::LITERAL;
use crate::read::recognise::is_title_bracket;

/// The elements whose style names no one but our writer gives (Chinese names for parts Word has
/// no style for): a file defining all four is ours.
pub(crate) const OURS: [Element; 4] = [
    Element::DocNumber,
    Element::Attachment,
    Element::Table,
    Element::Printer,
];

/// Whether a file whose paragraph styles have these names is ours (`check` asks too).
pub fn is_ours<'n>(names: impl Iterator<Item = &'n str>) -> bool {
    let names: std::collections::HashSet<String> = names.map(str::to_ascii_lowercase).collect();
    OURS.iter()
        .all(|e| names.contains(&style_of(*e).1.to_ascii_lowercase()))
}

/// Our styles in one file: its style ids → the element each names.
#[derive(Debug, Default)]
pub(crate) struct Ours {
    by_id: HashMap<String, Element>,
}

impl Ours {
    /// The styles part's paragraph styles that carry our names; `None` when the file is not ours.
    pub(crate) fn read(styles: &Xml) -> Option<Ours> {
        let by_name: HashMap<String, Element> = Element::ALL
            .iter()
            .map(|&e| (style_of(e).1.to_ascii_lowercase(), e))
            .collect();
        let mut by_id = HashMap::new();
        for s in styles
            .root_element()
            .children()
            .filter(|n| is_w(n, "style"))
        {
            if w_attr(&s, "type").is_some_and(|t| t != "paragraph") {
                continue;
            }
            let name = child(&s, "name").and_then(|n| w_attr(&n, "val"));
            // LibreOffice writes Word's built-in names capitalised (`Heading 1`).
            let e = name.and_then(|n| by_name.get(&n.to_ascii_lowercase()));
            if let (Some(id), Some(e)) = (w_attr(&s, "styleId"), e) {
                by_id.insert(id.to_string(), *e);
            }
        }
        OURS.iter()
            .all(|e| by_id.values().any(|v| v == e))
            .then_some(Ours { by_id })
    }

    /// The element a paragraph's style names, if it is one of ours.
    pub(crate) fn element(&self, p: &Node) -> Option<Element> {
        let id = child(p, "pPr")
            .and_then(|pr| child(&pr, "pStyle"))
            .and_then(|s| w_attr(&s, "val"))?;
        self.by_id.get(id).copied()
    }
}

/// Whether a paragraph starts flush left by its own `w:ind` (no first-line or left indent): the
/// tail our
/// writer splits off a paragraph to keep its last lines with the 署名
/// (`export::docx::body::paragraphs`) does, in its paragraph's style. It is the tail when it
/// follows a paragraph of that style that does not start flush and ends mid-sentence (a
/// caption over its `单位：` line, or the lines of a 目录, start flush both).
pub(crate) fn is_flush(p: &Node) -> bool {
    child(p, "pPr")
        .and_then(|ppr| child(&ppr, "ind"))
        .is_some_and(|i| {
            let zero = |k: &str| w_attr(&i, k).is_none_or(|v| v == "0");
            // LibreOffice's re-save writes the same as `w:hanging="0"`.
            ["firstLine", "firstLineChars", "hanging", "hangingChars"]
                .iter()
                .any(|k| w_attr(&i, k) == Some("0"))
                && zero("left")
                && zero("leftChars")
                && zero("start")
        })
}

/// Whether text ends a sentence (a paragraph after it is a paragraph of its own).
pub(crate) fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['。', '！', '？', '；', '：', '”', '…', ':', ';'])
}

/// The 版头 and 版记 of our file, gathered from their paragraphs, and the `@` lines of the other
/// parts markup says (a byline, a 纪要's attendance).
#[derive(Debug, Default)]
pub(crate) struct Furniture {
    /// The 标志's lines: `XX文件`, then the other organs of a joint 标志; or `XX令`.
    marks: Vec<String>,
    /// 份号, 密级, 紧急程度 as `@` lines.
    fields: Vec<String>,
    number: Option<String>,
    signer: Option<String>,
    /// The title has been read: a 发文字号 after it is a line of the text (a 通报's under its
    /// title), not the 版头's.
    titled: bool,
    /// `@抄送`, `@印发机关`, `@印发日期`.
    colophon: Vec<String>,
    /// A 署名 leaves the seal's room (`@印章`).
    seal: bool,
}

/// The space (twips) over a 署名 from which it leaves a seal's room: our writer puts the
/// layout's `seal.space_before_lines` (3 lines, 7.3.5.1: 1,737 twips on the 28.95 pt grid) over
/// it, and nothing of its own over a 署名 without a seal (the style's one line).
pub(crate) const SEAL_ROOM: u32 = 1_400;

/// Whether a 署名 paragraph of ours leaves the seal's room: its own space before.
pub(crate) fn leaves_seal_room(p: &Node) -> bool {
    child(p, "pPr")
        .and_then(|ppr| child(&ppr, "spacing"))
        .and_then(|s| w_attr(&s, "before"))
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|b| b >= SEAL_ROOM)
}

/// Text with its line breaks joined and its spaces at both ends trimmed.
fn joined(text: &str) -> String {
    text.split('\n')
        .collect::<String>()
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_string()
}

/// A line of text for the plain-text reader: a paragraph that starts with `@` is a value.
fn value_line(text: String) -> String {
    if text.starts_with('@') {
        format!("{LITERAL}{text}")
    } else {
        text
    }
}

/// A label (`抄送：`, `签发人：`) taken off the front of a text.
fn unlabel<'t>(text: &'t str, label: &str) -> &'t str {
    text.strip_prefix(label)
        .and_then(|r| r.strip_prefix(['：', ':']))
        .unwrap_or(text)
        .trim()
}

impl Furniture {
    /// Take one of our paragraphs, `element` its style's: the 版头's and 版记's go into the
    /// furniture (`None`); any other is the line (or lines) the plain-text reader reads.
    pub(crate) fn take(&mut self, element: Element, text: &str) -> Option<String> {
        let parts = || {
            text.split('\t')
                .map(joined)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        match element {
            Element::Masthead => self.marks.extend(parts().into_iter().next()),
            Element::CopyNo | Element::Secrecy | Element::Urgency => {
                let key = match element {
                    Element::CopyNo => "份号",
                    Element::Secrecy => "密级",
                    _ => "紧急程度",
                };
                let mut parts = parts().into_iter();
                if let Some(f) = parts.next() {
                    self.fields.push(format!("@{key}: {f}"));
                }
                // 信函: the 发文字号 flush right on the 份号's line (10.1).
                if let Some(n) = parts.next() {
                    self.number = Some(n);
                }
            }
            Element::DocNumber | Element::Signer if !self.titled => {
                for part in parts() {
                    if element == Element::Signer || part.starts_with("签发人") {
                        self.signer = Some(unlabel(&part, "签发人").to_string());
                    } else {
                        self.number = Some(part);
                    }
                }
            }
            Element::Cc => {
                let t = joined(text);
                let cc = unlabel(&t, "抄送");
                if !cc.is_empty() {
                    self.push_colophon(format!("@抄送: {cc}"));
                }
            }
            Element::Printer => {
                for part in parts() {
                    match part.strip_suffix("印发") {
                        Some(date) => self.push_colophon(format!("@印发日期: {}", date.trim())),
                        None => self.push_colophon(format!("@印发机关: {part}")),
                    }
                }
            }
            Element::Byline => {
                let t = joined(text);
                return (!t.is_empty()).then(|| format!("@作者: {t}"));
            }
            Element::Attendance | Element::AttendanceLabel => {
                let t = joined(text);
                match t.split_once(['：', ':']) {
                    Some((label, names)) if matches!(label.trim(), "出席" | "请假" | "列席") =>
                    {
                        return Some(format!("@{}: {}", label.trim(), names.trim()));
                    }
                    _ => return Some(value_line(t)),
                }
            }
            Element::Title | Element::EnclosedTitle | Element::AttachmentTitle => {
                self.titled |= element == Element::Title;
                // A title's lines stay where they were broken (`|`, 7.3.1: the author, or the
                // plan, decided; a user sees and edits them in Word); an enclosed or attachment
                // title is broken afresh. A bracketed last line stays its own line.
                let glue = if element == Element::Title { "|" } else { "" };
                let mut lines: Vec<String> = Vec::new();
                for piece in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
                    match lines.last_mut() {
                        Some(last) if !is_title_bracket(piece) => {
                            last.push_str(glue);
                            last.push_str(piece);
                        }
                        _ => lines.push(piece.to_string()),
                    }
                }
                let mut lines = lines.into_iter();
                let first = value_line(lines.next()?);
                return Some(lines.fold(first, |acc, l| format!("{acc}\n{l}")));
            }
            _ => return Some(value_line(joined(text))),
        }
        None
    }

    /// A 署名 that leaves the seal's room was read.
    pub(crate) fn seal(&mut self) {
        self.seal = true;
    }

    fn push_colophon(&mut self, line: String) {
        // A 版记 repeated in the odd and even footers is one 版记.
        if !self.colophon.contains(&line) {
            self.colophon.push(line);
        }
    }

    /// The `@` lines, in the order a template writes them.
    pub(crate) fn lines(self) -> Vec<String> {
        let mut out = Vec::new();
        let order = self.marks.len() == 1
            && !self.marks[0].ends_with("文件")
            && (self.marks[0].ends_with('令') || self.marks[0].ends_with("命令"));
        if order {
            // A 命令(令) (10.2): its 标志 and 令号.
            out.push(format!("@令: {}", self.marks[0]));
            out.extend(self.number.as_ref().map(|n| format!("@令号: {n}")));
        } else {
            for (i, m) in self.marks.iter().enumerate() {
                let name = match m.strip_suffix("文件") {
                    Some(n) if i == 0 => n,
                    _ => m.as_str(),
                };
                out.push(format!("@发文机关: {name}"));
            }
            // 文件 is the suffix unless markup says otherwise.
            if self.marks.first().is_some_and(|m| !m.ends_with("文件")) {
                out.push("@标志后缀:".into());
            }
        }
        out.extend(self.fields);
        if !order {
            out.extend(self.number.map(|n| format!("@发文字号: {n}")));
        }
        out.extend(self.signer.map(|s| format!("@签发人: {s}")));
        if self.seal {
            out.push("@印章".into());
        }
        out.extend(self.colophon);
        out
    }
}

/// The footer parts `word/document.xml`'s relationships name (`word/footer1.xml` …).
pub(crate) fn footer_parts(rels: &Xml) -> Vec<String> {
    let mut out: Vec<String> = rels
        .root_element()
        .children()
        .filter(|n| n.tag_name().name() == "Relationship")
        .filter(|n| n.attribute("Type").is_some_and(|t| t.ends_with("/footer")))
        .filter_map(|n| n.attribute("Target"))
        .map(|t| match t.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("word/{t}"),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The text boxes drawn in a paragraph, once each: DrawingML's, not the VML copy Word and
/// LibreOffice keep beside it for old readers (`mc:Fallback`), and not the boxes inside a box
/// (the box's own walk reads those).
pub(crate) fn text_boxes<'a, 'i>(p: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    p.descendants()
        .filter(|d| is_w(d, "txbxContent"))
        .filter(|d| {
            d.ancestors()
                .skip(1)
                .take_while(|a| a != &p)
                .all(|a| !is_w(&a, "txbxContent") && a.tag_name().name() != "Fallback")
        })
        .collect()
}

/// The layout our writer recorded in `docProps/custom.xml`
/// ([`crate::export::docx::LAYOUT_PROPERTY`]), when it is a bundled layout's name: a value from
/// the file never names a path, and a house layout is named on the command line again.
pub fn recorded_layout(props: &Xml) -> Option<String> {
    let value = props
        .root_element()
        .children()
        .filter(|n| n.tag_name().name() == "property")
        .find(|n| n.attribute("name") == Some(crate::export::docx::LAYOUT_PROPERTY))?
        .children()
        .find(|n| n.is_element())?
        .text()?
        .trim()
        .to_string();
    crate::spec::bundled_names()
        .contains(&value)
        .then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_furniture_becomes_the_markup_a_template_writes() {
        let mut f = Furniture::default();
        assert_eq!(f.take(Element::Masthead, "青山县人民政府文件"), None);
        assert_eq!(f.take(Element::Masthead, "青山县财政局"), None);
        assert_eq!(f.take(Element::Secrecy, "秘密★1年"), None);
        assert_eq!(
            f.take(Element::DocNumber, "青政〔2023〕31号\t签发人：王建国"),
            None
        );
        assert_eq!(f.take(Element::Cc, ""), None);
        assert_eq!(f.take(Element::Cc, "抄送：县委办公室。"), None);
        assert_eq!(
            f.take(Element::Printer, "\t青山县人民政府办公室\t2023年7月1日印发"),
            None
        );
        // The odd and even footers' copy of the 版记 is one 版记.
        f.take(Element::Cc, "抄送：县委办公室。");
        assert_eq!(
            f.lines(),
            [
                "@发文机关: 青山县人民政府",
                "@发文机关: 青山县财政局",
                "@密级: 秘密★1年",
                "@发文字号: 青政〔2023〕31号",
                "@签发人: 王建国",
                "@抄送: 县委办公室。",
                "@印发机关: 青山县人民政府办公室",
                "@印发日期: 2023年7月1日",
            ]
        );
        let mut f = Furniture::default();
        f.take(Element::Masthead, "青山县人民政府令");
        f.take(Element::DocNumber, "第7号");
        assert_eq!(f.lines(), ["@令: 青山县人民政府令", "@令号: 第7号"]);
        let mut f = Furniture::default();
        f.take(Element::Masthead, "青山县人民政府常务会议纪要");
        assert_eq!(
            f.lines(),
            ["@发文机关: 青山县人民政府常务会议纪要", "@标志后缀:"]
        );
    }

    #[test]
    fn a_paragraph_is_its_text_never_markup() {
        let mut f = Furniture::default();
        // A title's breaks stay; an enclosed title's are joined; a bracketed last line stays.
        assert_eq!(
            f.take(Element::Title, "青山县人民政府关于\n做好防汛工作的通知")
                .as_deref(),
            Some("青山县人民政府关于|做好防汛工作的通知")
        );
        assert_eq!(
            f.take(Element::AttachmentTitle, "2024年上半年\n名单")
                .as_deref(),
            Some("2024年上半年名单")
        );
        assert_eq!(
            f.take(Element::EnclosedTitle, "青山县应急预案\n（2024年修订）")
                .as_deref(),
            Some("青山县应急预案\n（2024年修订）")
        );
        assert_eq!(
            f.take(Element::Body, "@抄送: 全县").as_deref(),
            Some("\u{F0000}@抄送: 全县")
        );
        assert_eq!(
            f.take(Element::Attendance, "出席：王建国、李明").as_deref(),
            Some("@出席: 王建国、李明")
        );
        // A 发文字号 under the title (a 通报's) is the text's, not the 版头's.
        assert_eq!(
            f.take(Element::DocNumber, "青政办〔2024〕21号").as_deref(),
            Some("青政办〔2024〕21号")
        );
        assert!(f.lines().is_empty());
    }
}
