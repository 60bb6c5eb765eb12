//! Bytes → lines: the encoding (UTF-8, or GBK/GB18030 as Chinese Windows writes it), then
//! trimmed non-empty lines with site markers and control characters removed.

use crate::error::{Error, Warning};

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

/// Non-empty lines with their 1-based numbers, trimmed, site markers removed.
pub(super) fn clean_lines(
    text: &str,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<(usize, String)> {
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
