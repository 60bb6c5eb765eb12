//! `gongwen check`: a linter for any Word file against a layout (default gbt9704): what in it
//! breaks GB/T 9704, paragraph by paragraph, with the clause and the value expected.
//!
//! Owns: reading the file ([`docx`]: formatting resolved as Word resolves it), telling each
//! paragraph's part (标题, 主送, headings by their numbering text, 正文, 署名, 日期, 版记 …) with
//! the plain-text reader's recogniser ([`crate::read::recognise`]), running the rules
//! ([`rules`]) and folding the findings a style causes into one; for `--fix`, the parts of
//! the input against the parts of the copy ([`compare`]). It never changes the file;
//! `check --fix` re-renders the text through [`crate::read::docx`] and the normal pipeline
//! instead.

mod compare;
mod document;
pub mod docx;
mod footer;
mod lists;
mod props;
mod punctuation;
mod roles;
mod rules;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::error::Error;
use crate::spec::LayoutSpec;

pub use roles::Role;
#[cfg(test)]
pub(crate) use roles::classify_text;

/// One thing in the file that does not follow the format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// 1-based, over the body's paragraphs as Word numbers them; 0 for the document as a whole
    /// (page setup, grid, page numbers).
    pub paragraph: usize,
    /// The paragraph's first characters, to find it by (empty for the document).
    pub text: String,
    /// What is wrong, in one line.
    pub message: String,
    /// The GB/T 9704-2012 clause it breaks (`7.3.3`).
    pub clause: String,
    /// What the layout asks for.
    pub expected: String,
    /// What the file has.
    pub found: String,
}

impl Finding {
    /// `file:paragraph N: message (GB/T 9704 clause); expected …` (`file: …` for the document).
    pub fn line(&self, file: &str) -> String {
        let at = match self.paragraph {
            0 => file.to_string(),
            n => format!("{file}:paragraph {n}"),
        };
        format!(
            "{at}: {} (GB/T 9704 {}); expected {}",
            self.message, self.clause, self.expected
        )
    }
}

/// A finding before folding: where the value that is wrong was set.
pub(crate) struct Raw {
    pub finding: Finding,
    /// The rule's name.
    pub rule: &'static str,
    /// Where the wrong value was set: a style or the defaults fold findings into one.
    pub origin: docx::Origin,
}

/// Check the Word file `bytes` (named `name` in messages) against `layout`: every finding, in
/// paragraph order (the document's own first). A file that is not a Word document is an error.
pub fn check(bytes: &[u8], name: &str, layout: &LayoutSpec) -> Result<Vec<Finding>, Error> {
    let pkg = docx::read(bytes, Path::new(name))?;
    if pkg.paras.iter().all(|p| p.text().trim().is_empty()) {
        return Err(
            Error::io(Path::new(name), "the Word document holds no text")
                .hint("the first non-empty paragraph is the title"),
        );
    }
    let roles = roles::classify_file(&pkg.paras, pkg.ours);
    let mut raw = Vec::new();
    document::document(&pkg, &roles, layout, &mut raw);
    rules::paragraphs(&pkg, &roles, layout, &mut raw);
    punctuation::switches(&pkg, &mut raw);
    punctuation::held_signatures(&pkg, &roles, layout, &mut raw);
    Ok(fold(raw))
}

/// `check --fix`: each paragraph whose part (标题, 版头, 主送, heading, 署名 …) differs between
/// the input `before` and the copy `after` that `--fix` wrote, as `check` tells both — a finding
/// naming the paragraph in both; and each 版头 or 标题 paragraph of the input the copy has no
/// paragraph for (see [`compare`]).
pub fn role_changes(
    before: &[u8],
    before_name: &str,
    after: &[u8],
    after_name: &str,
) -> Result<Vec<Finding>, Error> {
    let old = docx::read(before, Path::new(before_name))?;
    let new = docx::read(after, Path::new(after_name))?;
    // Both told alike: by their styles when both are ours, else by their text (the copy is
    // ours; a draft's parts are known by its text only).
    let both = old.ours && new.ours;
    Ok(compare::role_changes(
        &old.paras,
        &roles::classify_file(&old.paras, both),
        &new.paras,
        &roles::classify_file(&new.paras, both),
    ))
}

/// One finding per wrong value a style (or the defaults) sets, at the first paragraph it shows
/// in, saying how many more it affects; findings from direct formatting stay one a paragraph.
fn fold(raw: Vec<Raw>) -> Vec<Finding> {
    let mut out: Vec<(Finding, usize)> = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let mut style_of: Vec<Option<String>> = Vec::new();
    for r in raw {
        let style = match &r.origin {
            docx::Origin::Direct => None,
            docx::Origin::Style(s) => Some(format!("style '{s}'")),
            docx::Origin::Defaults => Some("the document defaults".to_string()),
            docx::Origin::Numbering => Some("the list's numbering level".to_string()),
        };
        if let Some(s) = &style {
            let key = (
                format!("{} {}", r.rule, r.finding.expected),
                s.clone(),
                r.finding.found.clone(),
            );
            if let Some(&i) = seen.get(&key) {
                out[i].1 += 1;
                continue;
            }
            seen.insert(key, out.len());
        }
        out.push((r.finding, 0));
        style_of.push(style);
    }
    let mut findings: Vec<Finding> = out
        .into_iter()
        .zip(style_of)
        .map(|((mut f, more), style)| {
            if let Some(s) = style
                && f.paragraph > 0
            {
                f.message = match more {
                    0 => format!("{}, set in {s}", f.message),
                    1 => format!("{}, set in {s}, as is 1 more paragraph", f.message),
                    n => format!("{}, set in {s}, as are {n} more paragraphs", f.message),
                };
            }
            f
        })
        .collect();
    findings.sort_by_key(|f| f.paragraph);
    findings
}

/// The first characters of a paragraph's text, for messages.
pub(crate) fn excerpt(text: &str) -> String {
    let t: String = text.trim().chars().take(16).collect();
    if text.trim().chars().count() > 16 {
        format!("{t}…")
    } else {
        t
    }
}
