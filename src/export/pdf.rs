//! PDF: `Paged` → bytes, with krilla.
//!
//! krilla subsets each font (CFF, TTF and TTC alike) and writes it as a CID font with a
//! ToUnicode map, so the file embeds only the glyphs used and its text copies and searches
//! correctly. This writer draws the pages exactly as laid out: it decides nothing.
//!
//! Speed (issue 11): krilla is patched (vendor/README.md) so that each face's krilla `Font` is
//! made once per run and kept in its [`crate::fonts::LoadedFont`], and carries a cache of its
//! per-glyph work (desubroutinized charstrings) that every later document reuses; and so that
//! the compression is the caller's ([`Compress`]).

use krilla::Document;
use krilla::SerializeSettings;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineJoin, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};

pub use super::Compress;
use crate::error::Error;
use crate::fonts::FontBook;
use crate::page::{Item, Paged};

impl Compress {
    fn settings(self) -> SerializeSettings {
        let (compression_level, libdeflate) = match self {
            Compress::Fast => (1, true),
            Compress::Zlib(n) => (n, false),
        };
        SerializeSettings {
            compression_level,
            libdeflate,
            font_literals: self == Compress::Fast,
            ..SerializeSettings::default()
        }
    }
}

/// Write a laid-out document as PDF bytes.
pub fn write(paged: &Paged, fonts: &FontBook, compress: Compress) -> Result<Vec<u8>, Error> {
    let mut w = Writer::with_compression(compress);
    w.add(paged, fonts, 0, None)?;
    w.finish(&paged.title)
}

/// A PDF of one or more laid-out documents, page after page (a batch's `--merge` writes every
/// row's document into one file for printing). Fonts are shared between documents that use the
/// same [`FontBook`], so each face is embedded once.
pub struct Writer {
    doc: Document,
    /// (book key, font index) → the krilla font (the [`FontBook`]'s, made on first use).
    fonts: std::collections::HashMap<(usize, usize), Font>,
    /// Each krilla font's file, so a font krilla cannot embed is named in the error.
    files: Vec<(Font, std::path::PathBuf)>,
    outline: Outline,
    pages: usize,
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}

impl Writer {
    /// An empty PDF, deflated at the default level.
    pub fn new() -> Writer {
        Writer::with_compression(Compress::default())
    }

    /// An empty PDF whose streams are deflated as `compress` says.
    pub fn with_compression(compress: Compress) -> Writer {
        Writer {
            doc: Document::new_with(compress.settings()),
            fonts: std::collections::HashMap::new(),
            files: Vec::new(),
            outline: Outline::new(),
            pages: 0,
        }
    }

    /// Pages so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Add a document's pages. `book` names `fonts` among the books of this PDF (documents
    /// with the same book share embedded fonts). With `bookmark`, its headings' bookmarks go
    /// under one bookmark of that name on its first page; without, they are top-level.
    pub fn add(
        &mut self,
        paged: &Paged,
        fonts: &FontBook,
        book: usize,
        bookmark: Option<&str>,
    ) -> Result<(), Error> {
        let first = self.pages;
        for page in &paged.pages {
            self.page(page, fonts, book)?;
        }
        let nodes = outline(paged, first);
        match bookmark {
            Some(title) => {
                let mut node = OutlineNode::new(
                    title.to_string(),
                    XyzDestination::new(first, Point::from_xy(0.0, 0.0)),
                );
                for n in nodes {
                    node.push_child(n);
                }
                self.outline.push_child(node);
            }
            None => {
                for n in nodes {
                    self.outline.push_child(n);
                }
            }
        }
        Ok(())
    }

    /// An empty page (the back of a document's last page in double-sided printing).
    pub fn blank(&mut self, width: f32, height: f32) -> Result<(), Error> {
        let size = Size::from_wh(width, height).ok_or_else(|| Error::msg("page size is zero"))?;
        let mut p = self.doc.start_page_with(PageSettings::new(size));
        p.surface().finish();
        p.finish();
        self.pages += 1;
        Ok(())
    }

    /// The PDF's bytes, with `title` in its metadata.
    pub fn finish(mut self, title: &str) -> Result<Vec<u8>, Error> {
        self.doc.set_outline(self.outline);
        self.doc.set_metadata(
            Metadata::new()
                .title(title.to_string())
                .language("zh-CN".into())
                .creator("gongwen".into()),
        );
        let files = self.files;
        self.doc.finish().map_err(|e| match e {
            // A font that parsed but cannot be subset (damaged outlines): name its file.
            krilla::error::KrillaError::Font(f, why) => match files.iter().find(|(k, _)| *k == f) {
                Some((_, path)) => Error::io(
                    path,
                    format!("the font is damaged: it cannot be embedded in the PDF ({why})"),
                )
                .hint("replace the file with a good copy, or take it out of --font-dir"),
                None => Error::msg(format!("a font cannot be embedded in the PDF ({why})")),
            },
            other => Error::msg(format!("failed to write the PDF ({other:?})")),
        })
    }

    fn page(
        &mut self,
        page: &crate::page::Page,
        fonts: &FontBook,
        book: usize,
    ) -> Result<(), Error> {
        let size = Size::from_wh(page.width, page.height)
            .ok_or_else(|| Error::msg("page size is zero"))?;
        let mut p = self.doc.start_page_with(PageSettings::new(size));
        let mut surface = p.surface();
        for item in &page.items {
            match item {
                Item::Text(run) => {
                    let font = match self.fonts.get(&(book, run.font)) {
                        Some(f) => f.clone(),
                        None => {
                            let lf = fonts.font(run.font);
                            // One krilla font per face for the run: its glyph caches serve
                            // every document (and every batch worker) after the first.
                            let f = lf
                                .pdf
                                .get_or_init(|| Font::new(lf.data.to_krilla(), lf.index))
                                .clone()
                                .ok_or_else(|| {
                                    Error::io(&lf.path, "the PDF writer cannot use this font")
                                })?;
                            self.fonts.insert((book, run.font), f.clone());
                            self.files.push((f.clone(), lf.path.clone()));
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
                    // A turned run (a landscape page's table) is drawn at the origin of a frame
                    // turned a quarter anticlockwise about its start: its baseline runs up.
                    let at = if run.turned {
                        surface.push_transform(&Transform::from_row(
                            0.0, -1.0, 1.0, 0.0, run.x, run.y,
                        ));
                        Point::from_xy(0.0, 0.0)
                    } else {
                        Point::from_xy(run.x, run.y)
                    };
                    surface.draw_glyphs(at, &glyphs, font, &run.text, run.size, false);
                    if run.turned {
                        surface.pop();
                    }
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
        self.pages += 1;
        Ok(())
    }
}

fn fill(c: [u8; 3]) -> Fill {
    Fill {
        paint: rgb::Color::new(c[0], c[1], c[2]).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// Bookmarks: level-1 headings at the top, level-2 headings under the level 1 before them;
/// the document's pages start at page `first` of the PDF.
fn outline(paged: &Paged, first: usize) -> Vec<OutlineNode> {
    let mut outline = Vec::new();
    let mut current: Option<OutlineNode> = None;
    for b in &paged.bookmarks {
        let node = OutlineNode::new(
            b.title.clone(),
            XyzDestination::new(first + b.page, Point::from_xy(0.0, b.y)),
        );
        match (b.level, current.as_mut()) {
            (2, Some(parent)) => parent.push_child(node),
            _ => {
                if let Some(done) = current.take() {
                    outline.push(done);
                }
                current = Some(node);
            }
        }
    }
    if let Some(done) = current {
        outline.push(done);
    }
    outline
}
