//! Bytes → text, for every reader of text: a plain-text draft or data file ([`decode`]: a
//! byte-order mark, else strict UTF-8, else GB18030 when the bytes are GBK and not another legacy
//! encoding) and a CSV file (its encoding judged from its first megabyte by [`sniff`], the
//! batch's stream reader then decoding as it reads).

use std::path::Path;

use encoding_rs::{DecoderResult, Encoding};

use crate::error::Error;

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
        Some(text) => {
            // Big5 and Shift_JIS text decodes as GB18030 without an error, into mojibake (issue
            // 9): the judge of GBK against the other legacy encodings that CSV files use decides.
            let sample = &bytes[..bytes.len().min(1 << 16)];
            let whole = sample.len() == bytes.len();
            if let Err(e) = sniff(sample, whole, std::path::Path::new(source)) {
                return Err(Error::at(source, 0, 0, e.message)
                    .hint("save the file as UTF-8 (记事本: 另存为 → 编码 UTF-8) and run again"));
            }
            Ok(text.into_owned())
        }
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

/// The encoding of a text or CSV file, from its first bytes (`whole`: the sample is the whole file).
///
/// A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE). Else UTF-8 when the sample is valid
/// UTF-8. Else GBK (read as GB18030, its superset), what Excel's 另存为 CSV and Notepad write on
/// Chinese Windows — but only when the bytes are GBK and not another legacy encoding.
///
/// Telling Big5 (Taiwan, Hong Kong) from GBK cannot be done by decoding errors: both put a lead
/// byte 0x81–0xFE before a trail byte, and every Big5 pair (trail 0x40–0x7E, 0xA1–0xFE) is a
/// valid GBK pair too, so Big5 text decodes as GBK without a single error, into mojibake. Two
/// tests judge which reading gives real text instead:
///
/// - chardetng, the detector Firefox uses for legacy pages, scores the characters each
///   candidate encoding gives by how often they occur in text of that script (so the common
///   hanzi of a right reading beat the rare ones of a misreading). It is asked without a
///   domain: told `.cn`, it favours GBK whenever the bytes are valid GBK, which Big5 always is.
/// - The share of double-byte characters inside GB2312 (lead 0xA1–0xF7, trail 0xA1–0xFE): the
///   6,763 hanzi of GB2312 are nearly all of simplified Chinese text (names and units
///   included), while some 40 % of Big5's characters have a trail byte below 0xA1.
///
/// GBK is taken when chardetng says GBK, or when at least 90 % of the characters lie in GB2312
/// and chardetng does not say Big5 (a file of a few hanzi gives chardetng too little to judge:
/// `李四,30` looks like EUC-JP to it). Anything else is refused with a hint, not guessed.
pub fn sniff(sample: &[u8], whole: bool, path: &Path) -> Result<&'static Encoding, Error> {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return Ok(enc);
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return Ok(encoding_rs::UTF_8),
        // The sample may end inside a character.
        Err(e) if e.error_len().is_none() && !whole => return Ok(encoding_rs::UTF_8),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, whole);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let gbk_decodes = {
        let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(
            decoder
                .max_utf8_buffer_length_without_replacement(sample.len())
                .unwrap_or(0),
        );
        let (result, _) = decoder.decode_to_string_without_replacement(sample, &mut out, whole);
        !matches!(result, DecoderResult::Malformed(..))
    };
    let said_gbk = guess == encoding_rs::GBK || guess == encoding_rs::GB18030;
    if gbk_decodes && (said_gbk || (guess != encoding_rs::BIG5 && gb2312_share(sample) >= 0.9)) {
        return Ok(encoding_rs::GB18030);
    }
    if gbk_decodes {
        return Err(Error::io(
            path,
            format!(
                "the file is not UTF-8, UTF-16 or GBK text (it looks like {})",
                guess.name()
            ),
        )
        .hint(SAVE_AS));
    }
    // Neither: say where the text stops being UTF-8.
    let offset = std::str::from_utf8(sample)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let line = sample[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    Err(Error::at(
        &path.display().to_string(),
        line,
        0,
        format!(
            "the file is not UTF-8, UTF-16 or GBK text (a byte at offset {offset} is none of these)"
        ),
    )
    .hint(SAVE_AS))
}

/// The share of a sample's multi-byte characters that are GB2312 pairs (see [`sniff`]).
fn gb2312_share(sample: &[u8]) -> f64 {
    let (mut all, mut inside, mut i) = (0usize, 0usize, 0);
    while i < sample.len() {
        let b = sample[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let next = sample.get(i + 1).copied().unwrap_or(0);
        all += 1;
        if next.is_ascii_digit() {
            // A four-byte GB18030 sequence: outside GB2312.
            i += 4;
            continue;
        }
        if (0xA1..=0xF7).contains(&b) && (0xA1..=0xFE).contains(&next) {
            inside += 1;
        }
        i += 2;
    }
    if all == 0 {
        0.0
    } else {
        inside as f64 / all as f64
    }
}

/// What to do with a file in another encoding.
pub(crate) const SAVE_AS: &str = "save it as UTF-8 or GBK (Excel: 另存为 → CSV UTF-8; 记事本: 另存为 → 编码 UTF-8) and run again";
