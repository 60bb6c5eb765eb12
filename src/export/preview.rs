//! Page previews: `Paged` → one PNG per page, drawn from the same laid-out pages and the same
//! font files the PDF writer uses, so a page can be seen without a PDF viewer.
//!
//! Like [`crate::export::pdf`], this draws exactly what the layout placed and decides nothing:
//! each glyph run's glyphs are rasterised with fontdue at the run's size (the font parsed once
//! per font file, coverage cached per glyph and pixel size), rules are filled with tiny-skia
//! (the PNG is written by the png crate tiny-skia uses). fontdue is given a subset of each font
//! holding only the glyphs the pages use (it flattens every glyph of what it parses). A font the
//! PDF strokes as synthetic bold (`embolden`, the fallback standing in for the bold 小标宋) is
//! drawn with its coverage grown by half the stroke width, which is what the PDF's
//! round-joined stroke adds around the outline.
//! Page sizes in pixels are rounded up, as pdftoppm rounds them, so a preview and
//! `pdftoppm -r DPI` of the PDF have the same size.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use tiny_skia::{Color, Paint, Pixmap, Rect, Transform};

use crate::error::Error;
use crate::fonts::{FontBook, FontId};
use crate::page::{GlyphRun, Item, Page, Paged};

/// Resolutions accepted, in dots per inch: below 10 nothing reads, above 1200 an A4 page is
/// over 130 million pixels.
pub const DPI_RANGE: std::ops::RangeInclusive<f32> = 10.0..=1200.0;

/// The most pixels a page is drawn with: an A4 page at 1200 dpi, the most [`DPI_RANGE`] allows,
/// is 139 million (557 MB as RGBA). A layout's page may be up to 2 m a side, which at 1200 dpi
/// was 8.9 billion pixels: 35 GB asked for at once, and the program aborted.
pub const MAX_PAGE_PIXELS: u64 = 150_000_000;

/// The resolution `gongwen preview` and `render --png` use when none is given: an A4 page is
/// 662 × 936 pixels, the 16 pt body text 18 pixels high.
pub const DEFAULT_DPI: f32 = 80.0;

/// How much larger an emboldened glyph is drawn before its coverage is grown and scaled back.
const EMBOLDEN_SCALE: usize = 4;

/// Sub-pixel positions across a pixel a glyph is drawn at (poppler's Splash uses four): whole
/// pixels would move each glyph up to half a pixel, which shows in justified lines.
const PHASES: u8 = 4;

/// A rendered glyph: its coverage (0–255, row by row from the top) and where its top-left
/// pixel sits relative to the pen position (the glyph origin, rounded to a whole pixel).
#[derive(Clone)]
struct Coverage {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    alpha: Vec<u8>,
}

/// Draws pages of one [`FontBook`]. Keep one for several pages (or several documents with the
/// same fonts): each font file is parsed once and each glyph rasterised once per size.
pub struct Rasteriser<'a> {
    fonts: &'a FontBook,
    /// fontdue's parse of each font of the book, made for the glyphs the pages use.
    parsed: Vec<Option<Parsed>>,
    /// (font, glyph, pixel size bits, sub-pixel phase) → coverage.
    glyphs: HashMap<(FontId, u16, u32, u8), Coverage>,
}

impl<'a> Rasteriser<'a> {
    /// A rasteriser for pages laid out with `fonts`.
    pub fn new(fonts: &'a FontBook) -> Rasteriser<'a> {
        Rasteriser {
            fonts,
            parsed: (0..fonts.fonts().len()).map(|_| None).collect(),
            glyphs: HashMap::new(),
        }
    }

    /// Parse, for the glyphs of `pages` not yet seen, the fonts they use: one parse per font for
    /// all of them (several fonts in parallel), where drawing page by page would parse a font
    /// again for each page that brings new glyphs.
    pub fn prepare<'p>(&mut self, pages: impl IntoIterator<Item = &'p Page>) -> Result<(), Error> {
        use rayon::prelude::*;
        let mut want: BTreeMap<FontId, BTreeSet<u16>> = BTreeMap::new();
        for page in pages {
            for item in &page.items {
                if let Item::Text(run) = item {
                    for g in &run.glyphs {
                        if !self.parsed[run.font].as_ref().is_some_and(|p| p.has(g.id)) {
                            want.entry(run.font).or_default().insert(g.id);
                        }
                    }
                }
            }
        }
        // A font parsed before is parsed again with its old glyphs and the new ones; coverage
        // already cached stays valid (it is keyed by the font's own glyph ids).
        let jobs: Vec<(FontId, BTreeSet<u16>)> = want
            .into_iter()
            .map(|(font, mut glyphs)| {
                if let Some(Parsed { ids: Some(ids), .. }) = &self.parsed[font] {
                    glyphs.extend(ids.keys());
                }
                (font, glyphs)
            })
            .collect();
        let fonts = self.fonts;
        let parsed: Vec<Result<(FontId, Parsed), Error>> = jobs
            .par_iter()
            .map(|(font, glyphs)| Parsed::new(fonts, *font, glyphs).map(|p| (*font, p)))
            .collect();
        for p in parsed {
            let (font, p) = p?;
            self.parsed[font] = Some(p);
        }
        Ok(())
    }

    /// One page as pixels at `dpi` (white paper, opaque).
    pub fn pixmap(&mut self, page: &Page, dpi: f32) -> Result<Pixmap, Error> {
        check_dpi(dpi)?;
        check_pixels("page", page.width, page.height, dpi)?;
        self.prepare([page])?;
        let scale = dpi / 72.0;
        let (w, h) = pixel_size(page, dpi);
        let mut pixmap = Pixmap::new(w, h)
            .ok_or_else(|| Error::msg(format!("cannot make a {w} × {h} pixel page")))?;
        pixmap.fill(Color::WHITE);
        // Items are painted in order, as the PDF paints them.
        for item in &page.items {
            match item {
                Item::Text(run) => self.draw_run(&mut pixmap, run, scale)?,
                Item::Rule(rule) => {
                    let rect = Rect::from_xywh(
                        rule.x * scale,
                        (rule.y - rule.thickness / 2.0) * scale,
                        rule.width * scale,
                        rule.thickness * scale,
                    );
                    if let Some(rect) = rect {
                        let mut paint = Paint::default();
                        let [r, g, b] = rule.colour;
                        paint.set_color_rgba8(r, g, b, 255);
                        paint.anti_alias = true;
                        pixmap.fill_rect(rect, &paint, Transform::identity(), None);
                    }
                }
            }
        }
        Ok(pixmap)
    }

    /// One page as PNG bytes at `dpi`: greyscale when everything on it is black (a third of
    /// the bytes to compress), RGB when something is coloured (the red 版头).
    pub fn png(&mut self, page: &Page, dpi: f32) -> Result<Vec<u8>, Error> {
        let grey = page.items.iter().all(|item| {
            let [r, g, b] = match item {
                Item::Text(run) => run.colour,
                Item::Rule(rule) => rule.colour,
            };
            r == g && g == b
        });
        encode(&self.pixmap(page, dpi)?, grey)
    }

    fn draw_run(&mut self, pixmap: &mut Pixmap, run: &GlyphRun, scale: f32) -> Result<(), Error> {
        let px = run.size * scale;
        if px <= 0.0 {
            return Ok(());
        }
        // As poppler places glyphs (and FreeType-based renderers generally): the baseline on
        // the pixel boundary at or above it, the pen at a quarter of a pixel across.
        if run.turned {
            // A landscape page's run: the baseline runs up the paper from (x, y), each glyph's
            // coverage turned a quarter anticlockwise.
            let column = (run.x * scale).round() as i32;
            let mut pen = run.y;
            for g in &run.glyphs {
                let y = (pen * scale).round() as i32;
                pen -= g.advance;
                let cov = self.coverage(run.font, g.id, px, 0)?;
                blend_turned(pixmap, cov, column, y, run.colour);
            }
            return Ok(());
        }
        let baseline = (run.y * scale).floor() as i32;
        let mut pen = run.x;
        for g in &run.glyphs {
            let x = pen * scale;
            pen += g.advance;
            let whole = x.floor();
            let phase = (((x - whole) * PHASES as f32).floor() as u8).min(PHASES - 1);
            let cov = self.coverage(run.font, g.id, px, phase)?;
            blend(pixmap, cov, whole as i32, baseline, run.colour);
        }
        Ok(())
    }

    /// The coverage of one glyph at `px` pixels per em, `phase` quarters of a pixel right of
    /// a whole pixel, rasterised on first use.
    fn coverage(
        &mut self,
        font: FontId,
        glyph: u16,
        px: f32,
        phase: u8,
    ) -> Result<&Coverage, Error> {
        let key = (font, glyph, px.to_bits(), phase);
        if !self.glyphs.contains_key(&key) {
            let loaded = self.fonts.font(font);
            if self.parsed[font].as_ref().is_none_or(|p| !p.has(glyph)) {
                let mut glyphs = BTreeSet::from([glyph]);
                if let Some(Parsed { ids: Some(ids), .. }) = &self.parsed[font] {
                    glyphs.extend(ids.keys());
                }
                self.parsed[font] = Some(Parsed::new(self.fonts, font, &glyphs)?);
            }
            let parsed = self.parsed[font].as_ref().expect("parsed above");
            let mut cov = if loaded.embolden > 0.0 {
                // The PDF strokes the outline `embolden` em wide: half of it falls outside.
                // Viewers draw no stroke thinner than a pixel (poppler draws a narrower one a
                // pixel wide). Grown at four times the size and scaled back, so a thin stem
                // gains as much ink as the stroke gives it.
                let stroke = (loaded.embolden * px).max(1.0);
                let (m, alpha) = parsed.rasterize(glyph, px * EMBOLDEN_SCALE as f32);
                let big = dilate(
                    &Coverage::new(&m, alpha),
                    stroke * EMBOLDEN_SCALE as f32 / 2.0,
                );
                shrink(&big, EMBOLDEN_SCALE)
            } else {
                let (m, alpha) = parsed.rasterize(glyph, px);
                Coverage::new(&m, alpha)
            };
            if phase > 0 {
                cov = shift(&cov, phase as f32 / PHASES as f32);
            }
            self.glyphs.insert(key, cov);
        }
        Ok(&self.glyphs[&key])
    }
}

/// One font as fontdue holds it. fontdue flattens every glyph a font maps when it parses it:
/// 0.5–1 s for a 10,000-glyph CJK face, against milliseconds for the few hundred glyphs a
/// document uses. So it is given a subset (allsorts) of the glyphs wanted, and `ids` maps each
/// glyph id of the font to its id in the subset; `None` when the whole font had to be parsed
/// (a font allsorts cannot subset).
struct Parsed {
    font: fontdue::Font,
    ids: Option<HashMap<u16, u16>>,
}

impl Parsed {
    fn new(fonts: &FontBook, id: FontId, glyphs: &BTreeSet<u16>) -> Result<Parsed, Error> {
        let loaded = fonts.font(id);
        // The same bytes the PDF embeds (whatever holds them: `as_ref` takes a slice).
        let bytes: &[u8] = loaded.data.as_ref();
        let settings = fontdue::FontSettings {
            collection_index: 0,
            // Geometry tuned for body text at preview resolutions.
            scale: 24.0,
            load_substitutions: false,
        };
        // Glyph 0 (.notdef, the box a missing character shows) first, as a subset needs it.
        let list: Vec<u16> = std::iter::once(0)
            .chain(glyphs.iter().copied().filter(|&g| g != 0))
            .collect();
        if let Some(sub) = subset(bytes, loaded.index, &list)
            && let Ok(font) = fontdue::Font::from_bytes(&sub[..], settings)
        {
            // allsorts numbers the subset's glyphs in the order given.
            let ids = list.iter().enumerate().map(|(i, &g)| (g, i as u16));
            return Ok(Parsed {
                font,
                ids: Some(ids.collect()),
            });
        }
        let settings = fontdue::FontSettings {
            collection_index: loaded.index,
            ..settings
        };
        let font = fontdue::Font::from_bytes(bytes, settings).map_err(|e| {
            Error::io(
                &loaded.path,
                format!("the preview cannot use this font ({e})"),
            )
        })?;
        Ok(Parsed { font, ids: None })
    }

    fn has(&self, glyph: u16) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.contains_key(&glyph))
    }

    /// Coverage of a glyph (the font's own id) at `px` pixels per em. An id the font lacks
    /// would be a layout bug: it draws as .notdef rather than let fontdue index out of bounds.
    fn rasterize(&self, glyph: u16, px: f32) -> (fontdue::Metrics, Vec<u8>) {
        let id = match &self.ids {
            Some(ids) => ids.get(&glyph).copied().unwrap_or(0),
            None => glyph,
        };
        let id = if id < self.font.glyph_count() { id } else { 0 };
        self.font.rasterize_indexed(id, px)
    }
}

/// The glyphs `list` of a font (face `index` of `bytes`) as an OpenType font of their own, with
/// a Unicode cmap (fontdue loads only mapped glyphs); `None` when allsorts cannot subset it.
fn subset(bytes: &[u8], index: u32, list: &[u16]) -> Option<Vec<u8>> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let file = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = file.table_provider(index as usize).ok()?;
    allsorts::subset::subset(
        &provider,
        list,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .ok()
}

/// Every page of `paged` as PNG bytes at `dpi`, in order.
pub fn pages(paged: &Paged, fonts: &FontBook, dpi: f32) -> Result<Vec<Vec<u8>>, Error> {
    let mut r = Rasteriser::new(fonts);
    r.prepare(&paged.pages)?;
    paged.pages.iter().map(|p| r.png(p, dpi)).collect()
}

/// The size of a page in pixels at `dpi`: rounded up, as pdftoppm does.
pub fn pixel_size(page: &Page, dpi: f32) -> (u32, u32) {
    let px = |pt: f32| ((pt * dpi / 72.0) - 1e-3).ceil().max(1.0) as u32;
    (px(page.width), px(page.height))
}

/// A page of `width_pt` × `height_pt` at `dpi` drawn with more than [`MAX_PAGE_PIXELS`] is an
/// error naming `source` (the layout that sets the paper) and the resolution that would do.
pub fn check_pixels(source: &str, width_pt: f32, height_pt: f32, dpi: f32) -> Result<(), Error> {
    let px = |pt: f32| ((pt * dpi / 72.0) - 1e-3).ceil().max(1.0) as u64;
    let pixels = px(width_pt).saturating_mul(px(height_pt));
    if pixels <= MAX_PAGE_PIXELS {
        return Ok(());
    }
    // Pixels grow with the square of the resolution; one dpi less for the rounding up.
    let fits = (dpi * (MAX_PAGE_PIXELS as f32 / pixels as f32).sqrt()).floor() - 1.0;
    let mm = |pt: f32| (pt / 72.0 * 25.4).round();
    Err(Error::io(
        Path::new(source),
        format!(
            "a page of {} × {} mm at {dpi} dpi is {} million pixels, more than the {} million a page is drawn with",
            mm(width_pt),
            mm(height_pt),
            pixels / 1_000_000,
            MAX_PAGE_PIXELS / 1_000_000
        ),
    )
    .hint(format!(
        "lower the resolution: --dpi {} or less for this page",
        fits.max(*DPI_RANGE.start())
    )))
}

/// A resolution outside [`DPI_RANGE`] is an error.
pub fn check_dpi(dpi: f32) -> Result<(), Error> {
    if DPI_RANGE.contains(&dpi) {
        Ok(())
    } else {
        Err(
            Error::msg(format!("a resolution of {dpi} dpi is out of range"))
                .hint("give --dpi between 10 and 1200 (80 for the screen, 150 or 300 to print)"),
        )
    }
}

/// What a preview wrote ([`crate::Engine::preview`]).
#[derive(Debug, Clone)]
pub struct Previewed {
    /// The PNG files, in page order.
    pub files: Vec<PathBuf>,
    /// Pages in the document (all of them, not only those written).
    pub pages: usize,
}

/// The pages [`draw`] drew.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// (page number from 1, PNG), in the order asked.
    pub pngs: Vec<(usize, Vec<u8>)>,
    /// Pages in the document (all of them, not only those drawn).
    pub pages: usize,
}

/// A document laid out as `render` lays out its PDF, and pages `select` of it (1-based;
/// `None`: every page) drawn at `dpi`. A page number past the end is an error naming `input`.
pub fn draw(
    doc: &crate::model::Document,
    layout: &crate::spec::LayoutSpec,
    fonts: &FontBook,
    input: &Path,
    strict: bool,
    dpi: f32,
    select: Option<&[usize]>,
) -> Result<crate::error::Warned<Drawn>, Error> {
    check_dpi(dpi)?;
    let (w, h) = (layout.page_width(), layout.page_height());
    check_pixels(&layout.source, w, h, dpi)?;
    let mut warnings = Vec::new();
    // What `render` refuses is refused here too (a 版头 too long, a table too wide): the plan
    // checks what must fit.
    let plan = crate::plan::plan(doc, layout)?;
    let paged = crate::layout::layout(&plan, layout, fonts, strict, &mut warnings)?;
    let count = paged.pages.len();
    let numbers: Vec<usize> = match select {
        Some(s) => s.to_vec(),
        None => (1..=count).collect(),
    };
    if let Some(&bad) = numbers.iter().find(|&&n| n == 0 || n > count) {
        return Err(Error::io(
            input,
            format!("there is no page {bad}: the document has {count} pages"),
        )
        .hint(format!(
            "ask for pages 1 to {count}, e.g. --pages 1,{count}"
        )));
    }
    let mut r = Rasteriser::new(fonts);
    r.prepare(numbers.iter().map(|&n| &paged.pages[n - 1]))?;
    let mut pngs = Vec::new();
    for n in numbers {
        pngs.push((n, r.png(&paged.pages[n - 1], dpi)?));
    }
    let drawn = Drawn { pngs, pages: count };
    Ok(crate::error::Warned::with(drawn, warnings))
}

/// The file name of page `n` (1-based): `NAME-n.png`.
pub fn png_name(stem: &str, n: usize) -> String {
    format!("{stem}-{n}.png")
}

/// Parse a page list as `--pages` takes it: `1,3-4`, numbers from 1 in any order; duplicates
/// are dropped, order kept.
pub fn parse_pages(spec: &str) -> Result<Vec<usize>, Error> {
    let bad = |part: &str| {
        Error::msg(format!("'{part}' is not a page or a range of pages"))
            .hint("write pages as 1,3-4 (numbers from 1, ranges low-high)")
    };
    let num = |s: &str, part: &str| -> Result<usize, Error> {
        match s.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(bad(part)),
        }
    };
    let mut out: Vec<usize> = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => (num(a, part)?, num(b, part)?),
            None => {
                let n = num(part, part)?;
                (n, n)
            }
        };
        if lo > hi || hi - lo > 10_000 {
            return Err(bad(part));
        }
        for n in lo..=hi {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    Ok(out)
}

/// PNG bytes of a pixmap: 8-bit RGB, or grey when `grey` (the page is opaque, so the alpha
/// channel is dropped).
fn encode(pixmap: &Pixmap, grey: bool) -> Result<Vec<u8>, Error> {
    let pixels = pixmap.data().chunks_exact(4);
    let (data, colour): (Vec<u8>, _) = if grey {
        (pixels.map(|p| p[0]).collect(), png::ColorType::Grayscale)
    } else {
        (
            pixels.flat_map(|p| [p[0], p[1], p[2]]).collect(),
            png::ColorType::Rgb,
        )
    };
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(colour);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let write = |enc: png::Encoder<&mut Vec<u8>>| -> Result<(), png::EncodingError> {
        let mut w = enc.write_header()?;
        w.write_image_data(&data)?;
        w.finish()
    };
    write(enc).map_err(|e| Error::msg(format!("cannot encode the PNG ({e})")))?;
    Ok(out)
}

/// Paint `colour` through a glyph's coverage with its pen position at (`x`, `baseline`),
/// clipped to the page. The paper is opaque, so premultiplied and straight colour agree.
fn blend(pixmap: &mut Pixmap, cov: &Coverage, x: i32, baseline: i32, colour: [u8; 3]) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let data = pixmap.data_mut();
    for row in 0..cov.height {
        let y = baseline + cov.top + row as i32;
        if y < 0 || y >= ph {
            continue;
        }
        for col in 0..cov.width {
            let a = cov.alpha[row * cov.width + col] as u32;
            let px = x + cov.left + col as i32;
            if a == 0 || px < 0 || px >= pw {
                continue;
            }
            let i = (y as usize * pw as usize + px as usize) * 4;
            for (c, &target) in colour.iter().enumerate() {
                let d = data[i + c] as u32;
                data[i + c] = ((d * (255 - a) + target as u32 * a + 127) / 255) as u8;
            }
        }
    }
}

/// As [`blend`], the coverage turned a quarter anticlockwise: its baseline on pixel column
/// `column`, its pen at pixel row `pen`, the glyph's top towards the page's left.
fn blend_turned(pixmap: &mut Pixmap, cov: &Coverage, column: i32, pen: i32, colour: [u8; 3]) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let data = pixmap.data_mut();
    for row in 0..cov.height {
        let x = column + cov.top + row as i32;
        if x < 0 || x >= pw {
            continue;
        }
        for col in 0..cov.width {
            let a = cov.alpha[row * cov.width + col] as u32;
            let y = pen - cov.left - col as i32;
            if a == 0 || y < 0 || y >= ph {
                continue;
            }
            let i = (y as usize * pw as usize + x as usize) * 4;
            for (c, &target) in colour.iter().enumerate() {
                let d = data[i + c] as u32;
                data[i + c] = ((d * (255 - a) + target as u32 * a + 127) / 255) as u8;
            }
        }
    }
}

impl Coverage {
    fn new(m: &fontdue::Metrics, alpha: Vec<u8>) -> Coverage {
        Coverage {
            left: m.xmin,
            // fontdue's `ymin` is the bitmap's bottom edge above the baseline (y up).
            top: -(m.ymin + m.height as i32),
            width: m.width,
            height: m.height,
            alpha,
        }
    }
}

/// Scale coverage drawn `k` times too large back down: each pixel the mean of the `k` × `k`
/// pixels over it, on the same pixel grid (pen position at a pixel corner).
fn shrink(big: &Coverage, k: usize) -> Coverage {
    let ki = k as i32;
    let left = big.left.div_euclid(ki);
    let top = big.top.div_euclid(ki);
    let right = (big.left + big.width as i32 + ki - 1).div_euclid(ki);
    let bottom = (big.top + big.height as i32 + ki - 1).div_euclid(ki);
    let (w, h) = ((right - left) as usize, (bottom - top) as usize);
    let mut sum = vec![0u32; w * h];
    for y in 0..big.height {
        let sy = ((big.top + y as i32).div_euclid(ki) - top) as usize;
        for x in 0..big.width {
            let sx = ((big.left + x as i32).div_euclid(ki) - left) as usize;
            sum[sy * w + sx] += big.alpha[y * big.width + x] as u32;
        }
    }
    let n = (k * k) as u32;
    Coverage {
        left,
        top,
        width: w,
        height: h,
        alpha: sum.into_iter().map(|v| ((v + n / 2) / n) as u8).collect(),
    }
}

/// Move a glyph's coverage `f` (0…1) of a pixel right: each pixel gives that share of its ink
/// to its right neighbour (fontdue rasterises only at whole-pixel origins).
fn shift(cov: &Coverage, f: f32) -> Coverage {
    let w = cov.width + 1;
    let mut alpha = vec![0u8; w * cov.height];
    for y in 0..cov.height {
        let row = &cov.alpha[y * cov.width..][..cov.width];
        for x in 0..w {
            let here = if x < cov.width { row[x] as f32 } else { 0.0 };
            let left = if x > 0 { row[x - 1] as f32 } else { 0.0 };
            alpha[y * w + x] = (here * (1.0 - f) + left * f).round() as u8;
        }
    }
    Coverage {
        width: w,
        alpha,
        ..*cov
    }
}

/// Grow a glyph's coverage by `r` pixels on every side (the outer half of a round-joined
/// stroke). A pixel `d` pixels from a covered one is covered `r + 1 − d` of its width (clamped
/// to 0…1): exact for straight edges, close enough for curves at preview sizes.
fn dilate(cov: &Coverage, r: f32) -> Coverage {
    let pad = (r + 1.0).floor() as usize;
    if r <= 0.0 || cov.width == 0 {
        return cov.clone();
    }
    let (w, h) = (cov.width + 2 * pad, cov.height + 2 * pad);
    let p = pad as i32;
    let mut kernel = Vec::new();
    for dy in -p..=p {
        for dx in -p..=p {
            let d = ((dx * dx + dy * dy) as f32).sqrt();
            let weight = (r + 1.0 - d).clamp(0.0, 1.0);
            if weight > 0.0 {
                kernel.push((dx, dy, weight));
            }
        }
    }
    let mut alpha = vec![0u8; w * h];
    for y in 0..h as i32 {
        for x in 0..w as i32 {
            let mut best = 0.0f32;
            for &(dx, dy, weight) in &kernel {
                let (sx, sy) = (x - p + dx, y - p + dy);
                if sx < 0 || sy < 0 || sx >= cov.width as i32 || sy >= cov.height as i32 {
                    continue;
                }
                let a = cov.alpha[sy as usize * cov.width + sx as usize] as f32 * weight;
                best = best.max(a);
            }
            alpha[y as usize * w + x as usize] = best.round() as u8;
        }
    }
    Coverage {
        left: cov.left - p,
        top: cov.top - p,
        width: w,
        height: h,
        alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_lists_parse() {
        assert_eq!(parse_pages("1,3-4").unwrap(), vec![1, 3, 4]);
        assert_eq!(parse_pages(" 2 , 1 ,2").unwrap(), vec![2, 1]);
        for bad in ["0", "4-3", "a", "1,,2", "-2", "3-"] {
            assert!(parse_pages(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a4_is_as_big_as_pdftoppm_makes_it() {
        let page = Page {
            width: 595.276,
            height: 841.89,
            items: vec![],
            lines_used: 0,
            numbered: false,
        };
        // pdftoppm -r 80 / -r 60 of an A4 page (measured).
        assert_eq!(pixel_size(&page, 80.0), (662, 936));
        assert_eq!(pixel_size(&page, 60.0), (497, 702));
    }

    #[test]
    fn dilation_grows_a_pixel_by_the_radius() {
        let dot = Coverage {
            left: 0,
            top: 0,
            width: 1,
            height: 1,
            alpha: vec![255],
        };
        let d = dilate(&dot, 0.5);
        assert_eq!((d.width, d.height, d.left, d.top), (3, 3, -1, -1));
        // Neighbours get half, corners (1.41 away) a little, the centre stays full.
        assert_eq!(d.alpha[4], 255);
        assert_eq!(d.alpha[1], 128);
        assert!(d.alpha[0] < 30);
    }

    #[test]
    fn a_shift_moves_ink_right() {
        let bar = Coverage {
            left: 2,
            top: -3,
            width: 2,
            height: 1,
            alpha: vec![255, 255],
        };
        let s = shift(&bar, 0.25);
        assert_eq!((s.left, s.top, s.width), (2, -3, 3));
        assert_eq!(s.alpha, vec![191, 255, 64]);
    }

    #[test]
    fn shrinking_keeps_the_pixel_grid() {
        // A 4 × 4 block one big pixel left of and above the pen: the small pixel (-1, -1)
        // a quarter covered.
        let big = Coverage {
            left: -2,
            top: -2,
            width: 2,
            height: 2,
            alpha: vec![255; 4],
        };
        let s = shrink(&big, 4);
        assert_eq!((s.left, s.top, s.width, s.height), (-1, -1, 1, 1));
        assert_eq!(s.alpha, vec![64]);
    }
}
