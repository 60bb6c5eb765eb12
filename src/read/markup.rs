//! Markup: `@key: value` lines for what plain text cannot say — the 版头, the 版记, the seal,
//! attachment pages and the line under a report's title.
//!
//! | line | meaning |
//! |---|---|
//! | `@份号: 000001` | 份号 (7.2.1) |
//! | `@密级: 秘密★1年` | 密级和保密期限 (7.2.2) |
//! | `@紧急程度: 特急` | 紧急程度 (7.2.3) |
//! | `@发文机关: XX市人民政府` | 发文机关标志 (7.2.5); repeat it for joint issuers |
//! | `@标志后缀: 文件` | what follows the organ names (default 文件; 纪要 uses none) |
//! | `@发文字号: 国办发〔2023〕12号` | 发文字号 under the 标志 (7.2.4) |
//! | `@签发人: 张三 李四` | 签发人 of an upward document (7.2.6) |
//! | `@令: 青山县人民政府令` | a 命令(令)'s 标志: the organ's full name and 令 or 命令 (10.2) |
//! | `@令号: 第5号` | its 令号, centred under the 标志 (10.2) |
//! | `@印章` | the signature leaves room for a seal (7.3.5.1) |
//! | `@抄送: A，B。` | 抄送机关 in the 版记 (7.4.2) |
//! | `@印发机关: XX办公室` and `@印发日期: 2023年7月1日` | 印发 line of the 版记 (7.4.3) |
//! | `@附件 1: 标题` | starts attachment page 1; the lines after it are its body (8) |
//! | `@作者: 单位 职务 姓名` | the line under a report's title |
//! | `@表格` … rows `a | b | c` … `@表格结束` | a ruled table, the first row its header |
//! | `@出席: 姓名、…` (`@请假`, `@列席`) | a 纪要's attendance lines after the body (10.3) |
//! | `@版式: xinhan` | the bundled layout to set it in, when the command line names none (our DOCX records it) |

use crate::error::Error;
use crate::model::{Colophon, Masthead};

/// What the markup lines of a document say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// 版头, when any of its fields is given.
    pub masthead: Option<Masthead>,
    /// 版记, when 抄送 or 印发 is given.
    pub colophon: Option<Colophon>,
    /// `@印章`: room for a seal.
    pub seal: bool,
    /// `@作者` lines, with their line numbers.
    pub bylines: Vec<(usize, String)>,
    /// `@出席`/`@请假`/`@列席` lines of a 纪要: (line, label, names).
    pub attendance: Vec<(usize, String, String)>,
    /// `@版式`: a bundled layout's name.
    pub layout: Option<String>,
}

/// The mark the template renderer puts at the start of a line that a data value began: after a
/// line break inside a value, or where a value starting with `@` stands first on its line. The
/// plain-text reader takes such a line as body text (never markup, a heading, a 署名 or 日期,
/// an attachment or 版记 line) and removes the mark, so a value cannot forge a 版头 or an
/// attachment page (issue 19). A private-use character of plane 15: no font draws it and no
/// office text holds it; a data value holding it loses it before the template sees it.
pub const LITERAL: char = '\u{F0000}';

/// Is this line markup?
pub fn is_markup(line: &str) -> bool {
    line.starts_with('@')
}

/// Split `@key: value` (full- or half-width colon; the value may be empty).
pub fn key_value(line: &str) -> (&str, &str) {
    let body = line.trim_start_matches('@');
    match body.split_once([':', '：']) {
        Some((k, v)) => (k.trim(), v.trim()),
        None => (body.trim(), ""),
    }
}

/// `@附件 1: 标题` → ("1", "标题").
pub fn attachment_start(line: &str) -> Option<(String, String)> {
    let (key, value) = key_value(line);
    let number = key.strip_prefix("附件")?.trim();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((number.to_string(), value.to_string()))
}

/// Read markup lines (with their line numbers) into [`Meta`].
pub fn read(lines: &[(usize, String)], source: &str) -> Result<Meta, Error> {
    let mut meta = Meta::default();
    let mut mh = Masthead {
        suffix: "文件".into(),
        ..Masthead::default()
    };
    let mut has_mh = false;
    let mut col = Colophon::default();
    for (n, line) in lines {
        let (key, value) = key_value(line);
        let need_value = |v: &str| -> Result<String, Error> {
            if v.is_empty() {
                Err(Error::at(source, *n, 1, format!("'@{key}' needs a value"))
                    .hint(format!("write @{key}: …")))
            } else {
                Ok(v.to_string())
            }
        };
        match key {
            "份号" => (mh.copy_no, has_mh) = (Some(need_value(value)?), true),
            "密级" => (mh.secrecy, has_mh) = (Some(need_value(value)?), true),
            "紧急程度" => (mh.urgency, has_mh) = (Some(need_value(value)?), true),
            "发文机关" => {
                mh.issuers.push(need_value(value)?);
                has_mh = true;
            }
            "标志后缀" => mh.suffix = value.to_string(),
            "发文字号" => (mh.doc_number, has_mh) = (Some(need_value(value)?), true),
            "签发人" => (mh.signers, has_mh) = (Some(need_value(value)?), true),
            "令" | "命令" => {
                let v = need_value(value)?;
                // `青山县人民政府令` or the name alone (`@命令: 中央军委` gives 命令 after it).
                let (name, suffix) = match (v.strip_suffix("命令"), v.strip_suffix('令')) {
                    (Some(n), _) if !n.is_empty() => (n, "命令"),
                    (_, Some(n)) if !n.is_empty() => (n, "令"),
                    _ => (v.as_str(), key),
                };
                mh.issuers.push(name.to_string());
                mh.suffix = suffix.to_string();
                has_mh = true;
            }
            "令号" => (mh.doc_number, has_mh) = (Some(need_value(value)?), true),
            "印章" => meta.seal = true,
            "版式" => {
                // Only a bundled layout: a draft never names a file to read (a house layout is
                // named with --layout).
                let v = need_value(value)?;
                let names = crate::spec::bundled_names();
                if !names.contains(&v) {
                    return Err(Error::at(
                        source,
                        *n,
                        1,
                        format!("'@版式: {v}' is not a bundled layout"),
                    )
                    .hint(format!(
                        "bundled: {}; a layout file of your own is named with --layout",
                        names.join(", ")
                    )));
                }
                meta.layout = Some(v);
            }
            "抄送" => col.cc = Some(need_value(value)?),
            "印发机关" => col.printer = Some(need_value(value)?),
            "印发日期" => col.print_date = Some(need_value(value)?),
            "作者" | "byline" => meta.bylines.push((*n, need_value(value)?)),
            "出席" | "请假" | "列席" => {
                meta.attendance
                    .push((*n, key.to_string(), need_value(value)?))
            }
            other => {
                return Err(Error::at(source, *n, 1, format!("unknown markup '@{other}'")).hint(
                    "known: @份号 @密级 @紧急程度 @发文机关 @标志后缀 @发文字号 @签发人 @令 @令号 @印章 @抄送 @印发机关 @印发日期 @附件 N @作者 @出席 @请假 @列席 @版式 (see README)",
                ));
            }
        }
    }
    if has_mh {
        meta.masthead = Some(mh);
    }
    if col.cc.is_some() || col.printer.is_some() || col.print_date.is_some() {
        meta.colophon = Some(col);
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[&str]) -> Vec<(usize, String)> {
        s.iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect()
    }

    #[test]
    fn masthead_and_colophon_fields() {
        let m = read(
            &lines(&[
                "@份号: 000001",
                "@密级：秘密★1年",
                "@发文机关: 中共XX市委",
                "@发文机关: XX市人民政府",
                "@发文字号: X发〔2023〕1号",
                "@抄送: A，B。",
                "@印发机关: XX办公室",
                "@印发日期: 2023年7月1日",
                "@印章",
            ]),
            "t",
        )
        .unwrap();
        let mh = m.masthead.unwrap();
        assert_eq!(mh.copy_no.as_deref(), Some("000001"));
        assert_eq!(mh.secrecy.as_deref(), Some("秘密★1年"));
        assert_eq!(mh.issuers, ["中共XX市委", "XX市人民政府"]);
        assert_eq!(mh.suffix, "文件");
        let c = m.colophon.unwrap();
        assert_eq!(c.cc.as_deref(), Some("A，B。"));
        assert_eq!(c.print_date.as_deref(), Some("2023年7月1日"));
        assert!(m.seal);
    }

    #[test]
    fn a_ling_mark_and_number() {
        let m = read(&lines(&["@令: 青山县人民政府令", "@令号: 第5号"]), "t").unwrap();
        let mh = m.masthead.unwrap();
        assert_eq!(
            (mh.issuers[0].as_str(), mh.suffix.as_str()),
            ("青山县人民政府", "令")
        );
        assert_eq!(mh.doc_number.as_deref(), Some("第5号"));
        assert!(mh.is_order());
        let m = read(&lines(&["@命令: 中央军事委员会"]), "t").unwrap();
        let mh = m.masthead.unwrap();
        assert_eq!(
            (mh.issuers[0].as_str(), mh.suffix.as_str()),
            ("中央军事委员会", "命令")
        );
    }

    #[test]
    fn unknown_and_empty_keys_name_their_line() {
        let e = read(&lines(&["@作者: 张三", "@标体: x"]), "t.txt").unwrap_err();
        assert_eq!(e.location(), "t.txt:2:1");
        assert!(e.message.contains("@标体"));
        let e = read(&lines(&["@份号:"]), "t.txt").unwrap_err();
        assert!(e.message.contains("needs a value"), "{e}");
    }

    #[test]
    fn a_layout_is_a_bundled_name_never_a_path() {
        let m = read(&lines(&["@版式: xinhan"]), "t").unwrap();
        assert_eq!(m.layout.as_deref(), Some("xinhan"));
        for bad in ["@版式: ../house", "@版式: /etc/passwd", "@版式: nosuch"] {
            let e = read(&lines(&["@作者: 张三", bad]), "t.txt").unwrap_err();
            assert_eq!(e.location(), "t.txt:2:1", "{bad}");
            assert!(e.message.contains("not a bundled layout"), "{e}");
        }
    }

    #[test]
    fn attachment_page_markers() {
        assert_eq!(
            attachment_start("@附件 2: 检查表"),
            Some(("2".into(), "检查表".into()))
        );
        assert_eq!(
            attachment_start("@附件2：名单"),
            Some(("2".into(), "名单".into()))
        );
        assert_eq!(attachment_start("@附件: x"), None);
    }
}
