//! PDF: `Paged` → bytes, with krilla.
//!
//! krilla subsets each font (CFF, TTF and TTC alike) and writes it as a CID font with a
//! ToUnicode map, so the file embeds only the glyphs used and its text copies and searches
//! correctly. This writer draws the pages exactly as laid out: it decides nothing.

use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineJoin, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};

use crate::error::Error;
use crate::fonts::FontBook;
use crate::page::{Item, Paged};

/// Write a laid-out document as PDF bytes.
pub fn write(paged: &Paged, fonts: &FontBook) -> Result<Vec<u8>, Error> {
    // One krilla font per loaded font, created lazily so unused fallbacks cost nothing.
    let mut kfonts: Vec<Option<Font>> = vec![None; fonts.fonts().len()];
    let mut doc = Document::new();
    for page in &paged.pages {
        let size = Size::from_wh(page.width, page.height)
            .ok_or_else(|| Error::msg("page size is zero"))?;
        let mut p = doc.start_page_with(PageSettings::new(size));
        let mut surface = p.surface();
        for item in &page.items {
            match item {
                Item::Text(run) => {
                    let font = match &kfonts[run.font] {
                        Some(f) => f.clone(),
                        None => {
                            let lf = fonts.font(run.font);
                            let f = Font::new(lf.data.into(), lf.index).ok_or_else(|| {
                                Error::io(&lf.path, "the PDF writer cannot use this font")
                            })?;
                            kfonts[run.font] = Some(f.clone());
                            f
                        }
                    };
                    // A character no font has is drawn as glyph 0 (the box). krilla writes no
                    // ToUnicode entry for glyph 0, so the character would vanish from the text;
                    // drawn as a two-glyph cluster (the box twice, at the same place) it is
                    // wrapped in an /ActualText span carrying the character instead.
                    let glyphs: Vec<KrillaGlyph> = run
                        .glyphs
                        .iter()
                        .flat_map(|g| {
                            let glyph = |advance: f32| KrillaGlyph {
                                glyph_id: GlyphId::new(g.id as u32),
                                text_range: g.text_range.start as usize..g.text_range.end as usize,
                                x_advance: advance / run.size,
                                x_offset: 0.0,
                                y_offset: 0.0,
                                y_advance: 0.0,
                                location: None,
                            };
                            let notdef = (g.id == 0).then(|| glyph(0.0));
                            notdef.into_iter().chain([glyph(g.advance)])
                        })
                        .collect();
                    surface.set_fill(Some(fill(run.colour)));
                    let embolden = fonts.font(run.font).embolden;
                    if embolden > 0.0 {
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(run.colour[0], run.colour[1], run.colour[2])
                                .into(),
                            width: embolden * run.size,
                            line_join: LineJoin::Round,
                            ..Stroke::default()
                        }));
                    }
                    surface.draw_glyphs(
                        Point::from_xy(run.x, run.y),
                        &glyphs,
                        font,
                        &run.text,
                        run.size,
                        false,
                    );
                    if embolden > 0.0 {
                        surface.set_stroke(None);
                    }
                }
                Item::Rule(rule) => {
                    let rect = Rect::from_xywh(
                        rule.x,
                        rule.y - rule.thickness / 2.0,
                        rule.width,
                        rule.thickness,
                    );
                    if let Some(rect) = rect {
                        let mut pb = PathBuilder::new();
                        pb.push_rect(rect);
                        if let Some(path) = pb.finish() {
                            surface.set_fill(Some(fill(rule.colour)));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
        }
        surface.finish();
        p.finish();
    }
    doc.set_outline(outline(paged));
    doc.set_metadata(
        Metadata::new()
            .title(paged.title.clone())
            .language("zh-CN".into())
            .creator("gongwen".into()),
    );
    doc.finish().map_err(|e| match e {
        // A font that parsed but cannot be subset (damaged outlines): name its file.
        krilla::error::KrillaError::Font(f, why) => {
            match kfonts.iter().position(|k| k.as_ref() == Some(&f)) {
                Some(i) => Error::io(
                    &fonts.font(i).path,
                    format!("the font is damaged: it cannot be embedded in the PDF ({why})"),
                )
                .hint("replace the file with a good copy, or take it out of --font-dir"),
                None => Error::msg(format!("a font cannot be embedded in the PDF ({why})")),
            }
        }
        other => Error::msg(format!("failed to write the PDF ({other:?})")),
    })
}

fn fill(c: [u8; 3]) -> Fill {
    Fill {
        paint: rgb::Color::new(c[0], c[1], c[2]).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// Bookmarks: level-1 headings at the top, level-2 headings under the level 1 before them.
fn outline(paged: &Paged) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for b in &paged.bookmarks {
        let node = OutlineNode::new(
            b.title.clone(),
            XyzDestination::new(b.page, Point::from_xy(0.0, b.y)),
        );
        match (b.level, current.as_mut()) {
            (2, Some(parent)) => parent.push_child(node),
            _ => {
                if let Some(done) = current.take() {
                    outline.push_child(done);
                }
                current = Some(node);
            }
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}
