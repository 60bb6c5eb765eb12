//! Where a key of a layout stands: the file, line and column of `page.width_mm`, so that a value
//! out of range is named as a TOML error is (`house.toml:9:12: page.width_mm: …`). The key is
//! looked for in the layout's own text first, then in its bases in order (the file whose value
//! won the merge).

use toml::de::{DeTable, DeValue};

use crate::error::{Error, line_col};

/// The error for `key` (dotted, `elements.body.size_pt`; for a message about two keys,
/// `page.top_mm / page.left_mm`, the first) at the place it is written: `text` is the layout's
/// own text, named `source`; `bases` the files it inherits from, nearest first. A key written
/// nowhere (a value the layout took from a kindred element) is named without a place.
pub(super) fn key_error(
    text: &str,
    source: &str,
    bases: &[std::path::PathBuf],
    key: &str,
    message: &str,
) -> Error {
    let path = key.split(" / ").next().unwrap_or(key);
    let full = format!("{key}: {message}");
    if let Some((line, col)) = find(text, path) {
        return Error::at(source, line, col, full);
    }
    for base in bases {
        if let Ok(text) = crate::read_source(base)
            && let Some((line, col)) = find(&text, path)
        {
            return Error::at(&base.display().to_string(), line, col, full);
        }
    }
    Error::msg(format!("{source}: {full}"))
}

/// 1-based line and column of the value of the dotted `key` in a TOML text, if it is there.
fn find(text: &str, key: &str) -> Option<(usize, usize)> {
    let doc = DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        let (_, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == part)?;
        if parts.peek().is_none() {
            return Some(line_col(text, value.span().start));
        }
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn keys_are_found_in_tables_and_dotted_tables() {
        let text = "base = \"gbt9704\"\n[page]\nwidth_mm = inf\n\n[elements.body]\nsize_pt = nan\n";
        assert_eq!(find(text, "page.width_mm"), Some((3, 12)));
        assert_eq!(find(text, "elements.body.size_pt"), Some((6, 11)));
        assert_eq!(find(text, "page.height_mm"), None);
        assert_eq!(find(text, "elements.title"), None);
    }
}
