//! Lists (`numbering.xml`) for `check`: each instance's levels' paragraph properties (their
//! indents sit between the style and the paragraph, as in Word) and the prefix a level shows.

use std::collections::HashMap;
use std::sync::Arc;

use roxmltree::{Document as Xml, Node};

use super::docx::{Origin, PPr};
use crate::read::docx::{Numbering, child, format_number, is_w, w_attr};

/// Each numbering instance's levels' paragraph properties (`w:lvl/w:pPr`, an instance's
/// `w:lvlOverride` winning), as "numbering" in messages. Instances share their abstract
/// numbering's levels: 300,000 `w:num` of one list are not 2.7 million copies (3.4 GB).
#[derive(Default)]
pub(super) struct LevelPprs {
    /// numId → its abstract numbering's levels, and its own overriding levels.
    nums: HashMap<String, (Option<Arc<Vec<(usize, PPr)>>>, Vec<(usize, PPr)>)>,
}

impl LevelPprs {
    pub(super) fn read(xml: &Xml) -> LevelPprs {
        let from = Origin::Numbering;
        let root = xml.root_element();
        let levels = |n: &Node| -> Vec<(usize, PPr)> {
            n.descendants()
                .filter(|l| is_w(l, "lvl"))
                .filter_map(|l| {
                    let i = w_attr(&l, "ilvl")?.parse().ok()?;
                    Some((i, PPr::read(child(&l, "pPr"), &from)))
                })
                .collect()
        };
        let mut abstracts: HashMap<&str, Arc<Vec<(usize, PPr)>>> = HashMap::new();
        for a in root.children().filter(|c| is_w(c, "abstractNum")) {
            if let Some(id) = w_attr(&a, "abstractNumId") {
                abstracts.insert(id, Arc::new(levels(&a)));
            }
        }
        let mut nums = HashMap::new();
        for n in root.children().filter(|c| is_w(c, "num")) {
            let (Some(id), Some(abs)) = (
                w_attr(&n, "numId"),
                child(&n, "abstractNumId").and_then(|a| w_attr(&a, "val")),
            ) else {
                continue;
            };
            nums.insert(id.to_string(), (abstracts.get(abs).cloned(), levels(&n)));
        }
        LevelPprs { nums }
    }

    /// A level's properties: the instance's own (the last of a level wins), else its abstract
    /// numbering's.
    pub(super) fn get(&self, id: &str, lvl: usize) -> Option<&PPr> {
        let (abs, own) = self.nums.get(id)?;
        let find = |levels: &'_ [(usize, PPr)]| -> Option<usize> {
            levels.iter().rposition(|(i, _)| *i == lvl)
        };
        if let Some(i) = find(own) {
            return Some(&own[i].1);
        }
        let abs = abs.as_ref()?;
        find(abs).map(|i| &abs[i].1)
    }
}

/// The prefix automatic numbering shows for a level (its first number; enough to tell 一、
/// from （一） and 1.).
pub(super) fn prefix(numbering: &Numbering, id: &str, lvl: usize) -> String {
    let Some((_, levels)) = numbering.nums.get(id) else {
        return String::new();
    };
    let Some(Some(level)) = levels.get(lvl) else {
        return String::new();
    };
    let mut out = String::new();
    let mut chars = level.text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%'
            && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
        {
            chars.next();
            let i = (d as usize).saturating_sub(1);
            let Some(Some(l)) = levels.get(i) else {
                return String::new();
            };
            match format_number(l.start, &l.format) {
                Some(s) => out.push_str(&s),
                None => return String::new(),
            }
        } else {
            out.push(c);
        }
    }
    out
}
