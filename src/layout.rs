//! Layout: `Document` + layout file + fonts → `Paged` (pages of positioned glyph runs).
//!
//! `collect` maps every character to a font, glyph and grid width; `linebreak` breaks each
//! paragraph into lines and places them horizontally (indents, alignment, justification);
//! `paginate` puts the lines on the 22-line grid page by page; `finalize` adds page numbers.
//! Every number comes from the [`Layout`]; the clause each rule follows is cited where it is used.

use crate::error::{Error, Warning};
use crate::fonts::{FontBook, FontId};
use crate::model::{Block, Document, Element};
use crate::page::{Bookmark, Glyph, GlyphRun, Item, Page, Paged};
use crate::spec::{Align, Layout, PT_PER_MM, Placement};

/// One character, resolved: font, glyph and the width it takes on the line.
#[derive(Debug, Clone)]
struct Atom {
    ch: char,
    font: FontId,
    gid: u16,
    size: f32,
    colour: [u8; 3],
    width: f32,
}

/// A paragraph with its characters resolved.
struct Prepared<'a> {
    block: &'a Block,
    atoms: Vec<Atom>,
}

/// One line of a paragraph, placed horizontally; its baseline is set by `paginate`.
struct SetLine {
    runs: Vec<GlyphRun>,
    size: f32,
}

/// Lay out a document. Characters no font has are warnings (`strict`: an error).
pub fn layout(
    doc: &Document,
    layout: &Layout,
    fonts: &FontBook,
    strict: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Paged, Error> {
    let prepared = collect(doc, layout, fonts, strict, warnings)?;
    let closing = closing_indents(doc, layout);
    let set: Vec<Vec<SetLine>> = prepared
        .iter()
        .map(|p| linebreak(p, layout, &closing))
        .collect();
    let (mut pages, bookmarks) = paginate(&prepared, set, layout);
    finalize(&mut pages, layout, fonts);
    Ok(Paged {
        pages,
        title: doc.title.clone(),
        bookmarks,
    })
}

/// Resolve every character of every block to a font and glyph of its element's face.
fn collect<'a>(
    doc: &'a Document,
    layout: &Layout,
    fonts: &FontBook,
    strict: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Prepared<'a>>, Error> {
    let mut out = Vec::with_capacity(doc.blocks.len());
    for block in &doc.blocks {
        let mut atoms = Vec::new();
        for span in &block.spans {
            let spec = layout.element(span.element);
            let colour = hex_colour(&spec.colour);
            for ch in span.text.chars() {
                let (font, gid, adv) = match fonts.glyph(&spec.face, ch) {
                    Some(g) => g,
                    None => {
                        let msg = format!("no font has the character '{ch}' (U+{:04X})", ch as u32);
                        if strict {
                            return Err(Error::at(&doc.source, block.line, 0, msg)
                                .hint("install a font that has it and pass --font-dir, or drop --strict to get a warning"));
                        }
                        warnings.push(Warning::at(
                            &doc.source,
                            block.line,
                            format!("{msg}; it shows as a box"),
                        ));
                        (fonts.face(&spec.face).fonts[0], 0, 1.0)
                    }
                };
                let width = advance(layout, ch, spec.size_pt, adv);
                atoms.push(Atom {
                    ch,
                    font,
                    gid,
                    size: spec.size_pt,
                    colour,
                    width,
                });
            }
        }
        out.push(Prepared { block, atoms });
    }
    Ok(out)
}

/// Width of a glyph on the line: a full-width character of the base size takes one grid cell
/// (5.2.3: 28 characters fill 156 mm, so a 16 pt character is set 15.79 pt wide); other
/// characters (Latin letters, digits, even where a CJK font draws them wide) their own advance.
fn advance(layout: &Layout, ch: char, size: f32, adv_em: f32) -> f32 {
    if ch >= '\u{2000}' && adv_em >= 0.75 {
        layout.char_width(size) * adv_em.round().max(1.0)
    } else {
        adv_em * size
    }
}

/// Width of text in grid cells without fonts: full-width characters one cell, others half.
/// Used where the PDF and the DOCX must agree on a position (署名 and 成文日期).
pub fn cells(text: &str) -> f32 {
    text.chars()
        .map(|c| {
            if c.is_ascii() || ('\u{2000}'..'\u{2010}').contains(&c) {
                0.5
            } else {
                1.0
            }
        })
        .sum()
}

/// Left indents (in cells) of the 署名 and 成文日期 lines (7.3.5.2, no seal): the 署名 ends two
/// characters from the right; the date starts two characters right of the 署名's first
/// character; a date that would then end closer than two characters to the right edge sits two
/// characters from the right, and the 署名 moves left to keep the two-character offset.
pub fn closing_indents(doc: &Document, layout: &Layout) -> (f32, f32) {
    let text = |e: Element| {
        doc.blocks
            .iter()
            .find(|b| b.element == e)
            .map(|b| b.text())
            .unwrap_or_default()
    };
    let chars = layout.grid.chars as f32;
    let right = layout.element(Element::Signature).right_chars;
    let (sig, date) = (
        cells(&text(Element::Signature)),
        cells(&text(Element::Date)),
    );
    let date_left = (chars - right - sig + 2.0).min(chars - right - date);
    let sig_left = (chars - right - sig).min(date_left - 2.0).max(0.0);
    (sig_left, date_left.max(0.0))
}

/// Indents of a 附件说明 line, in cells beyond the element's own left indent (7.3.4): the first
/// reads `附件：1.名称`; later items stand under the `1.`; a wrapped name lines up with its first
/// character. Returns (left indent of every line, first-line indent — negative: hanging).
pub fn attachment_indents(text: &str) -> (f32, f32) {
    let label = ["附件：", "附件:"]
        .into_iter()
        .find(|l| text.starts_with(l))
        .unwrap_or("");
    let rest = &text[label.len()..];
    let number = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '．'))
        .unwrap_or(0);
    let hang = cells(&text[..label.len() + number]);
    if label.is_empty() {
        (cells("附件：") + hang, -hang)
    } else {
        (hang, -hang)
    }
}

/// Blank lines before a block: a later 附件说明 item continues the list without one.
pub fn space_before(block: &Block, layout: &Layout) -> u32 {
    let text = block.spans.first().map_or("", |s| s.text.as_str());
    match block.element {
        Element::Attachment if !text.starts_with("附件") => 0,
        e => layout.element(e).space_before_lines,
    }
}

/// Break a paragraph into lines and place each horizontally.
fn linebreak(p: &Prepared, layout: &Layout, closing: &(f32, f32)) -> Vec<SetLine> {
    let spec = layout.element(p.block.element);
    let one = layout.char_width(spec.size_pt); // "一字" of this element (7.3.3: 空二字)
    let mut left = spec.left_chars * one;
    let mut first_indent = spec.first_line_chars * one;
    match p.block.element {
        Element::Signature => left = closing.0 * layout.cell(),
        Element::Date => left = closing.1 * layout.cell(),
        Element::Attachment => {
            let (more, first) = attachment_indents(&p.block.text());
            left += more * one;
            first_indent = first * one;
        }
        _ => {}
    }
    let width = layout.body_width() - left - spec.right_chars * one;
    let first = width - first_indent;
    let chars: Vec<char> = p.atoms.iter().map(|a| a.ch).collect();
    let widths: Vec<f32> = p.atoms.iter().map(|a| a.width).collect();
    let mut ranges = crate::linebreak::break_lines(&chars, &widths, first, width);
    if p.block.element == Element::Title && ranges.len() > 1 {
        ranges = balance(&chars, &widths, width, ranges.len());
    }
    let count = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let (avail, indent) = if i == 0 {
                (first, first_indent)
            } else {
                (width, 0.0)
            };
            let atoms = &p.atoms[r];
            let w: Vec<f32> = atoms.iter().map(|a| a.width).collect();
            let natural: f32 = w.iter().sum();
            let last = i + 1 == count;
            // Justified lines fill the measure except the paragraph's last line (7.3.3 practice).
            let extra = match spec.align {
                Align::Justify if !last => crate::linebreak::justify(&w, avail),
                _ => vec![0.0; w.len()],
            };
            let x0 = layout.body_left()
                + left
                + indent
                + match spec.align {
                    Align::Center => (avail - natural).max(0.0) / 2.0,
                    Align::Right => (avail - natural).max(0.0),
                    _ => 0.0,
                };
            SetLine {
                runs: runs(atoms, &extra, x0),
                size: spec.size_pt,
            }
        })
        .collect()
}

/// Re-break a title of `n` lines so the lines are even, the upper ones no shorter (7.3.1:
/// arranged as a trapezoid, words kept whole by the break rules).
fn balance(chars: &[char], widths: &[f32], width: f32, n: usize) -> Vec<std::ops::Range<usize>> {
    let total: f32 = widths.iter().sum();
    let mut target = total / n as f32;
    loop {
        let r = crate::linebreak::break_lines(chars, widths, target, target);
        if r.len() <= n || target >= width {
            return r;
        }
        target = (target + widths.iter().cloned().fold(0.0, f32::max) / 2.0).min(width);
    }
}

/// Group a line's atoms into glyph runs of one font, size and colour.
fn runs(atoms: &[Atom], extra: &[f32], x0: f32) -> Vec<GlyphRun> {
    let mut out: Vec<GlyphRun> = Vec::new();
    let mut x = x0;
    for (a, e) in atoms.iter().zip(extra) {
        let same = out
            .last()
            .is_some_and(|r| r.font == a.font && r.size == a.size && r.colour == a.colour);
        if !same {
            out.push(GlyphRun {
                x,
                y: 0.0,
                font: a.font,
                size: a.size,
                colour: a.colour,
                text: String::new(),
                glyphs: vec![],
            });
        }
        let run = out.last_mut().expect("a run was just pushed");
        let start = run.text.len();
        run.text.push(a.ch);
        run.glyphs.push(Glyph {
            id: a.gid,
            advance: a.width + e,
            text_range: start..run.text.len(),
        });
        x += a.width + e;
    }
    out
}

/// Put lines on the grid, page by page.
fn paginate(
    prepared: &[Prepared],
    set: Vec<Vec<SetLine>>,
    layout: &Layout,
) -> (Vec<Page>, Vec<Bookmark>) {
    let per_page = layout.grid.lines as usize;
    let pitch = layout.grid.line_pitch_pt;
    let mut pages = vec![blank_page(layout)];
    let mut bookmarks = Vec::new();
    let mut li = 0usize; // next free grid line on the current page
    let mut pending_after = 0usize;
    let count = set.len();
    for (bi, lines) in set.into_iter().enumerate() {
        let block = prepared[bi].block;
        let spec = layout.element(block.element);
        if li > 0 {
            li += space_before(block, layout) as usize;
        }
        // 署名 and 成文日期 stay together so the date is never alone (7.3.5.5). A whole heading
        // whose element says `keep_with_next` goes to the next page with the line after it
        // rather than end a page.
        let keep = match block.element {
            Element::Signature => lines.len() + 1,
            _ if spec.keep_with_next && block.spans.len() == 1 && bi + 1 < count => lines.len() + 1,
            _ => 1,
        };
        if li >= per_page || (li > 0 && li + keep > per_page) {
            pages.push(blank_page(layout));
            li = 0;
        }
        for (k, mut line) in lines.into_iter().enumerate() {
            if li >= per_page {
                pages.push(blank_page(layout));
                li = 0;
            }
            let top = layout.body_top() + li as f32 * pitch;
            if k == 0 {
                if let Some(level) = block.element.level().filter(|l| *l <= 2) {
                    let title = block.spans[0].text.clone();
                    bookmarks.push(Bookmark {
                        level,
                        title,
                        page: pages.len() - 1,
                        y: top,
                    });
                }
            }
            let baseline = top + baseline_offset(pitch, line.size);
            let page = pages.last_mut().expect("there is always a page");
            for mut run in line.runs.drain(..) {
                run.y = baseline;
                page.items.push(Item::Text(run));
            }
            li += 1;
            page.lines_used = li as u32;
        }
        // The title's blank line comes after the byline that belongs to it.
        let next_is_byline = prepared
            .get(bi + 1)
            .is_some_and(|p| p.block.element == Element::Byline);
        if next_is_byline {
            pending_after += spec.space_after_lines as usize;
        } else {
            li += spec.space_after_lines as usize + pending_after;
            pending_after = 0;
        }
    }
    (pages, bookmarks)
}

/// Baseline below the top of a grid line: the em box centred in the line (an ideographic em box
/// runs from 0.88 em above the baseline to 0.12 em below it).
fn baseline_offset(pitch: f32, size: f32) -> f32 {
    pitch / 2.0 + 0.38 * size
}

fn blank_page(layout: &Layout) -> Page {
    Page {
        width: layout.page_width(),
        height: layout.page_height(),
        items: vec![],
        lines_used: 0,
    }
}

/// Page numbers `— N —` (7.5): 4号 宋体, the dash line 7 mm under the body area, odd pages
/// right and even pages left, one character in.
fn finalize(pages: &mut [Page], layout: &Layout, fonts: &FontBook) {
    let pn = &layout.page_number;
    let mid = layout.body_top() + layout.body_height() + pn.below_body_mm * PT_PER_MM;
    let baseline = mid + 0.38 * pn.size_pt;
    let inset = pn.inset_chars * pn.size_pt;
    for (i, page) in pages.iter_mut().enumerate() {
        let text = format!("{} {} {}", pn.dash, i + 1, pn.dash);
        let atoms: Vec<Atom> = text
            .chars()
            .map(|ch| {
                let (font, gid, adv) =
                    fonts
                        .glyph(&pn.face, ch)
                        .unwrap_or((fonts.face(&pn.face).fonts[0], 0, 0.5));
                Atom {
                    ch,
                    font,
                    gid,
                    size: pn.size_pt,
                    colour: [0, 0, 0],
                    width: adv * pn.size_pt,
                }
            })
            .collect();
        let width: f32 = atoms.iter().map(|a| a.width).sum();
        let x = match (pn.placement, (i + 1) % 2 == 1) {
            (Placement::Center, _) => layout.body_left() + (layout.body_width() - width) / 2.0,
            (Placement::Outside, true) => layout.body_left() + layout.body_width() - inset - width,
            (Placement::Outside, false) => layout.body_left() + inset,
        };
        for mut run in runs(&atoms, &vec![0.0; atoms.len()], x) {
            run.y = baseline;
            page.items.push(Item::Text(run));
        }
    }
}

fn hex_colour(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex, 16).unwrap_or(0);
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}
