//! The engine, this project's Typst `World`: the one owner of what renders share — the fonts
//! (the `--font-dir` folders and the system's scanned once, each file mapped once, a
//! [`FontBook`] per set of faces a layout asks for), the layouts and the templates, each cached
//! by its text — and the renders themselves: an input → its outputs' bytes or files, with its
//! warnings beside it ([`Warned`]). `render`, `preview`, `batch` and `serve` each go through
//! one engine (the server keeps one for its life); it is `Send + Sync` and cheap to clone.
//!
//! What to read and what to write are separate: [`Reading`] (layout, template, input size) and
//! [`Outputs`] (one optional set of options per format: [`PdfOptions`], [`DocxOptions`],
//! [`PngOptions`]). The command line maps its flags onto them.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::error::{Error, Warned};
use crate::export::pdf::Compress;
use crate::export::preview;
use crate::fonts::{FontBook, FontDb, FontOptions};
use crate::model::Document;
use crate::spec::LayoutSpec;
use crate::template::Template;
use crate::{Made, export, layout, plan};

/// How an input is read: what the command line says about the layout and template, and how
/// large an input may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Layout name (`gbt9704`) or path; `None`: the one the data names, else `gbt9704`.
    pub layout: Option<String>,
    /// Template name (`shuzhi`) or path for data files; `None`: the one the data names.
    pub template: Option<String>,
    /// The largest input file read, MB (`--max-input-mb`).
    pub max_input_mb: u64,
}

impl Default for Reading {
    fn default() -> Reading {
        Reading {
            layout: None,
            template: None,
            max_input_mb: crate::DEFAULT_MAX_INPUT_MB,
        }
    }
}

impl Reading {
    /// The readers' bundle of options (they still take [`crate::Options`]).
    fn options(&self) -> crate::Options {
        crate::Options {
            layout: self.layout.clone(),
            template: self.template.clone(),
            max_input_mb: self.max_input_mb,
            ..crate::Options::default()
        }
    }
}

/// How the PDF is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// How hard it is deflated (`--compress`; issue 11).
    pub compress: Compress,
}

/// How the DOCX is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocxOptions {
    /// Embed the subset fonts (ECMA-376 Part 1, 17.8.1).
    pub embed_fonts: bool,
    /// How hard its parts are deflated.
    pub compress: Compress,
}

/// How the page images are drawn ([`preview`](crate::export::preview)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PngOptions {
    /// Resolution, dots per inch (10–1200).
    pub dpi: f32,
}

/// What a render writes: each format it makes, with that format's options (`None`: not made).
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    /// The PDF.
    pub pdf: Option<PdfOptions>,
    /// The DOCX.
    pub docx: Option<DocxOptions>,
    /// A PNG per page, `NAME-1.png` …
    pub png: Option<PngOptions>,
    /// A character no font has is an error instead of a warning (the laid-out pages: PDF, PNG).
    pub strict: bool,
    /// Hand the laid-out pages back in [`Made::paged`] (a batch's `--merge` and the server's
    /// page images draw them again); otherwise they are freed as soon as they are drawn.
    pub keep_pages: bool,
}

impl Default for Outputs {
    /// The PDF and the DOCX, fast compression, no PNG.
    fn default() -> Outputs {
        Outputs {
            pdf: Some(PdfOptions::default()),
            docx: Some(DocxOptions::default()),
            png: None,
            strict: false,
            keep_pages: false,
        }
    }
}

/// What [`Engine::render`] wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Pages in the PDF layout (0 when only the DOCX was made: Word paginates it).
    pub pages: usize,
}

/// A layout as the engine loaded it: the parsed layout and its file's text with its bases'
/// (what a batch's manifest hashes).
#[derive(Debug)]
pub struct LayoutSource {
    /// The file the name stands for.
    pub path: PathBuf,
    /// The layout, parsed and checked.
    pub layout: Arc<LayoutSpec>,
    /// Its file's text followed by each base's.
    pub text: String,
}

/// A template as the engine loaded it.
pub struct TemplateSource {
    /// Its file.
    pub path: PathBuf,
    /// The template, parsed.
    pub template: Arc<Template>,
    /// Its text (what a batch's manifest hashes).
    pub text: String,
}

/// Font books kept, at most: 8 (one per set of faces a layout asks for; the bundled layouts
/// share two or three). Past it the oldest is dropped.
pub const MAX_FONT_BOOKS: usize = 8;

/// Layouts and templates kept, at most, each: 32 (a server offers a handful; a batch names a
/// few). Past it the oldest is dropped.
pub const MAX_SOURCES: usize = 32;

/// The shared owner of fonts, layouts and templates; clones share one.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    font_options: FontOptions,
    /// The fonts found, scanned on first use (a failed scan, a missing `--font-dir`, is not
    /// kept: it is an error each time).
    db: Mutex<Option<Arc<FontDb>>>,
    /// Each book by the faces it serves (`key=office` lines).
    books: Mutex<Vec<(String, Arc<FontBook>)>>,
    /// Each layout by its path and the hash of its text with its bases'.
    layouts: Mutex<Vec<(u64, Arc<LayoutSource>)>>,
    /// Each template by its path and the hash of its text.
    templates: Mutex<Vec<(u64, Arc<TemplateSource>)>>,
    /// The bundled layouts folder, found once (finding it looks in several places).
    layouts_dir: OnceLock<PathBuf>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("fonts", &self.inner.font_options)
            .finish_non_exhaustive()
    }
}

// Shared by a server's render threads and a batch's workers.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Engine>();
};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn hash_of(parts: &[&[u8]]) -> u64 {
    let mut h = DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// The value kept under `key`, else `value`, kept now; at most `max` entries (the oldest go).
fn remember<T: Clone>(list: &mut Vec<(u64, T)>, key: u64, value: T, max: usize) -> T {
    if let Some((_, v)) = list.iter().find(|(k, _)| *k == key) {
        return v.clone();
    }
    list.push((key, value.clone()));
    if list.len() > max {
        list.remove(0);
    }
    value
}

impl Engine {
    /// An engine that looks for fonts as `fonts` says (nothing is loaded until needed).
    pub fn new(fonts: FontOptions) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                font_options: fonts,
                db: Mutex::new(None),
                books: Mutex::new(Vec::new()),
                layouts: Mutex::new(Vec::new()),
                templates: Mutex::new(Vec::new()),
                layouts_dir: OnceLock::new(),
            }),
        }
    }

    /// Where it looks for fonts.
    pub fn font_options(&self) -> &FontOptions {
        &self.inner.font_options
    }

    /// The fonts found: scanned on first use, then kept.
    pub fn font_db(&self) -> Result<Arc<FontDb>, Error> {
        if let Some(db) = lock(&self.inner.db).as_ref() {
            return Ok(db.clone());
        }
        // Scanned outside the lock: two first renders may both scan; one is kept.
        let db = Arc::new(FontDb::scan(&self.inner.font_options)?);
        Ok(lock(&self.inner.db).get_or_insert(db).clone())
    }

    /// The book for `layout`'s faces, loaded now if not yet (keyed by the faces it asks for:
    /// two layouts of the same faces share one).
    pub fn fonts(&self, layout: &LayoutSpec) -> Result<Arc<FontBook>, Error> {
        let key: String = layout
            .faces
            .iter()
            .map(|(k, f)| format!("{k}={}\n", f.office))
            .collect();
        if let Some((_, b)) = lock(&self.inner.books).iter().find(|(k, _)| *k == key) {
            return Ok(b.clone());
        }
        let db = self.font_db()?;
        // Loaded outside the lock: two first requests may both load it; one is kept.
        let book = Arc::new(FontBook::with_db(layout, &db)?);
        let mut books = lock(&self.inner.books);
        if let Some((_, b)) = books.iter().find(|(k, _)| *k == key) {
            return Ok(b.clone());
        }
        books.push((key, book.clone()));
        if books.len() > MAX_FONT_BOOKS {
            books.remove(0);
        }
        Ok(book)
    }

    /// The file a layout name stands for, as [`LayoutSpec::path_of`] finds it.
    pub fn layout_path(&self, name_or_path: &str) -> PathBuf {
        if name_or_path.ends_with(".toml") || name_or_path.contains('/') {
            PathBuf::from(name_or_path)
        } else {
            self.inner
                .layouts_dir
                .get_or_init(crate::resources::layouts_dir)
                .join(format!("{name_or_path}.toml"))
        }
    }

    /// A layout by name (`gbt9704`) or path, parsed once for its text: the file (and its
    /// bases) are read again each time, so an edited layout is parsed again.
    pub fn layout(&self, name_or_path: &str) -> Result<Arc<LayoutSpec>, Error> {
        Ok(self.layout_source(name_or_path)?.layout.clone())
    }

    /// As [`Engine::layout`], with its path and text.
    pub fn layout_source(&self, name_or_path: &str) -> Result<Arc<LayoutSource>, Error> {
        let path = self.layout_path(name_or_path);
        let text = crate::read_source(&path)
            .map_err(|e| Error::io(&path, format!("cannot read layout file ({e})")))?;
        let with_bases = |files: &[PathBuf]| {
            let mut all = text.clone();
            for f in files.iter().skip(1) {
                all.push_str(&crate::read_source(f).unwrap_or_default());
            }
            all
        };
        let path_bytes = path.as_os_str().as_encoded_bytes();
        // A layout known at this path: its text and its bases' as they are now.
        let known: Vec<Arc<LayoutSource>> = lock(&self.inner.layouts)
            .iter()
            .filter(|(_, l)| l.path == path)
            .map(|(_, l)| l.clone())
            .collect();
        for l in known {
            let all = with_bases(&l.layout.files);
            if all == l.text {
                return Ok(l);
            }
        }
        let layout = LayoutSpec::parse(&text, &path.display().to_string())?;
        let all = with_bases(&layout.files);
        let key = hash_of(&[path_bytes, all.as_bytes()]);
        let source = Arc::new(LayoutSource {
            path: path.clone(),
            layout: Arc::new(layout),
            text: all,
        });
        Ok(remember(
            &mut lock(&self.inner.layouts),
            key,
            source,
            MAX_SOURCES,
        ))
    }

    /// The template at `path` (see [`crate::template::find`]), parsed once for its text.
    pub fn template(&self, path: &Path) -> Result<Arc<TemplateSource>, Error> {
        // The text is hashed before it is parsed: should the file change in between, the hash
        // is the older one and the next use parses it again.
        let text = crate::read_source(path).map_err(|e| {
            Error::io(path, format!("cannot read template ({e})"))
                .hint("bundled templates are in layouts/templates/")
        })?;
        let key = hash_of(&[path.as_os_str().as_encoded_bytes(), text.as_bytes()]);
        if let Some((_, t)) = lock(&self.inner.templates).iter().find(|(k, _)| *k == key) {
            return Ok(t.clone());
        }
        let source = Arc::new(TemplateSource {
            path: path.to_path_buf(),
            template: Arc::new(Template::load(path)?),
            text,
        });
        Ok(remember(
            &mut lock(&self.inner.templates),
            key,
            source,
            MAX_SOURCES,
        ))
    }

    /// Read one input into its `Document` and the layout it asks for (the command line's,
    /// else the data's, else `gbt9704`).
    pub fn load(
        &self,
        input: &Path,
        reading: &Reading,
    ) -> Result<Warned<(Document, Arc<LayoutSpec>)>, Error> {
        let mut warnings = Vec::new();
        let text = crate::read_input_warned(input, reading.max_input_mb, &mut warnings)?;
        let is_data = crate::data::is_data_file(input);
        let loaded = self.load_text(&text, input, is_data, reading)?;
        warnings.extend(loaded.warnings);
        Ok(Warned::with(loaded.value, warnings))
    }

    /// As [`Engine::load`], for text already read (standard input); `is_data`: YAML/JSON/TOML
    /// data for a template rather than a draft.
    pub fn load_text(
        &self,
        text: &str,
        input: &Path,
        is_data: bool,
        reading: &Reading,
    ) -> Result<Warned<(Document, Arc<LayoutSpec>)>, Error> {
        let Warned {
            value: source,
            mut warnings,
        } = crate::text_source(text.to_string(), input, is_data, &reading.options())?;
        let mut doc = crate::document_from_text(&source.text, &source.label, &mut warnings)?;
        let layout_name = reading
            .layout
            .clone()
            .or(source.layout)
            .or_else(|| doc.layout_hint().map(str::to_string))
            .unwrap_or_else(|| crate::spec::DEFAULT_LAYOUT.into());
        let layout = self.layout(&layout_name)?;
        // Typed dates and numbers written as the standard writes them, unless the layout keeps
        // the text as typed.
        crate::read::habits::apply(&mut doc, layout.text.as_typed, &mut warnings);
        Ok(Warned::with((doc, layout), warnings))
    }

    /// One input's text, already read, → its outputs' bytes, written nowhere. `input` names it
    /// in messages.
    pub fn make(
        &self,
        text: &str,
        input: &Path,
        is_data: bool,
        reading: &Reading,
        outputs: &Outputs,
    ) -> Result<Warned<Made>, Error> {
        let Warned {
            value: (doc, layout),
            mut warnings,
        } = self.load_text(text, input, is_data, reading)?;
        // The document is planned, then freed: the plan is all the writers read, and a text of
        // short lines holds as much again in the document (a fifth of the peak, issue 19).
        let plan = plan::plan(&doc, &layout)?;
        drop(doc);
        let made = self.produce_plan(&plan, &layout, outputs)?;
        warnings.extend(made.warnings);
        Ok(Warned::with(made.value, warnings))
    }

    /// Render one input — a plain-text report, a Word draft (`.docx`, its text), or a
    /// YAML/JSON/TOML data file through its template — into `out_dir`, named after the input.
    pub fn render(
        &self,
        input: &Path,
        reading: &Reading,
        outputs: &Outputs,
        out_dir: &Path,
    ) -> Result<Warned<Written>, Error> {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        // A Word draft rendered into its own folder would be overwritten by its DOCX: refuse
        // before any work.
        let docx_out = out_dir.join(format!("{stem}.docx"));
        if outputs.docx.is_some()
            && let (Ok(source), Ok(out)) = (input.canonicalize(), docx_out.canonicalize())
            && source == out
        {
            return Err(Error::io(&docx_out, "the output would overwrite the input")
                .hint("write to another folder: -o output (the default), or rename the draft"));
        }
        let mut warnings = Vec::new();
        let text = crate::read_input_warned(input, reading.max_input_mb, &mut warnings)?;
        let is_data = crate::data::is_data_file(input);
        let made = self
            .make(&text, input, is_data, reading, outputs)?
            .take(&mut warnings);
        let named = made.named(out_dir, &stem);
        crate::write_all(out_dir, &named)?;
        let written = Written {
            files: named.into_iter().map(|(p, _)| p).collect(),
            pages: made.pages,
        };
        Ok(Warned::with(written, warnings))
    }

    /// Lay a document out and write its outputs' bytes, with the fonts of its layout.
    pub fn produce(
        &self,
        doc: &Document,
        layout: &LayoutSpec,
        outputs: &Outputs,
    ) -> Result<Warned<Made>, Error> {
        // One plan for both writers; only the PDF needs the fonts and the page layout.
        self.produce_plan(&plan::plan(doc, layout)?, layout, outputs)
    }

    /// As [`Engine::produce`], for a document already planned. The font book's warnings (a
    /// `--font-dir` file that does not read) come first.
    pub fn produce_plan(
        &self,
        plan: &plan::Plan,
        layout: &LayoutSpec,
        outputs: &Outputs,
    ) -> Result<Warned<Made>, Error> {
        let fonts = self.fonts(layout)?;
        let mut warnings = fonts.warnings().to_vec();
        let made = write_plan(plan, layout, &fonts, outputs)?.take(&mut warnings);
        Ok(Warned::with(made, warnings))
    }

    /// Preview one input as `render` would lay it out: `out_dir/NAME-N.png` for each page `N`
    /// of `select` (1-based; `None`: every page), at `dpi`. Files are written whole
    /// ([`crate::write_all`]); a page number past the end is an error and writes nothing.
    pub fn preview(
        &self,
        input: &Path,
        reading: &Reading,
        strict: bool,
        png: PngOptions,
        select: Option<&[usize]>,
        out_dir: &Path,
    ) -> Result<Warned<preview::Previewed>, Error> {
        preview::check_dpi(png.dpi)?;
        let Warned {
            value: (doc, layout),
            mut warnings,
        } = self.load(input, reading)?;
        let fonts = self.fonts(&layout)?;
        let drawn = preview::draw(&doc, &layout, &fonts, input, strict, png.dpi, select)?
            .take(&mut warnings);
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        let named: Vec<(PathBuf, Vec<u8>)> = drawn
            .pngs
            .into_iter()
            .map(|(n, png)| (out_dir.join(preview::png_name(&stem, n)), png))
            .collect();
        crate::write_all(out_dir, &named)?;
        let previewed = preview::Previewed {
            files: named.into_iter().map(|(p, _)| p).collect(),
            pages: drawn.pages,
        };
        Ok(Warned::with(previewed, warnings))
    }
}

/// Lay a plan out and write its outputs' bytes with `fonts` (loaded by the caller, so a batch
/// shares them).
pub(crate) fn write_plan(
    plan: &plan::Plan,
    layout: &LayoutSpec,
    fonts: &FontBook,
    outputs: &Outputs,
) -> Result<Warned<Made>, Error> {
    if let Some(png) = outputs.png {
        preview::check_dpi(png.dpi)?;
        let (w, h) = (layout.page_width(), layout.page_height());
        preview::check_pixels(&layout.source, w, h, png.dpi)?;
    }
    let mut warnings = Vec::new();
    // What may not split (版头, 版记) was checked to fit its page when the plan was made
    // (`plan::plan`), for both outputs alike.
    let paged = if outputs.pdf.is_some() || outputs.png.is_some() || outputs.keep_pages {
        Some(layout::layout(
            plan,
            layout,
            fonts,
            outputs.strict,
            &mut warnings,
        )?)
    } else {
        None
    };
    let pdf = match (&paged, outputs.pdf) {
        (Some(paged), Some(o)) => Some(export::pdf::write(paged, fonts, o.compress)?),
        _ => None,
    };
    let png = match (&paged, outputs.png) {
        (Some(paged), Some(o)) => preview::pages(paged, fonts, o.dpi)?,
        _ => Vec::new(),
    };
    // The pages are drawn: free them before the DOCX is built (a long document's glyphs are
    // most of its memory).
    let pages = paged.as_ref().map_or(0, |p| p.pages.len());
    let paged = paged.filter(|_| outputs.keep_pages);
    let docx = match outputs.docx {
        Some(o) => {
            let parts = if o.embed_fonts {
                export::docx::embed::font_parts(&export::docx::faces_used(plan, layout, fonts))?
            } else {
                Vec::new()
            };
            Some(export::docx::write(plan, layout, &parts, o.compress)?)
        }
        None => None,
    };
    let made = Made {
        pdf,
        docx,
        png,
        pages,
        paged,
    };
    Ok(Warned::with(made, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::new(FontOptions {
            dirs: vec![],
            system: false,
        })
    }

    #[test]
    fn a_layout_is_parsed_once_for_its_text() {
        let e = engine();
        let a = e.layout("gbt9704").unwrap();
        let b = e.layout("gbt9704").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        // An edited file is parsed again; the same text again is the same layout.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("house.toml");
        std::fs::write(&path, "base = \"gbt9704\"\n").unwrap();
        let name = path.display().to_string();
        let one = e.layout(&name).unwrap();
        assert!(Arc::ptr_eq(&one, &e.layout(&name).unwrap()));
        std::fs::write(&path, "base = \"gbt9704\"\n[page]\nheight_mm = 290.0\n").unwrap();
        let two = e.layout(&name).unwrap();
        assert!(!Arc::ptr_eq(&one, &two));
        assert_ne!(one.page_height(), two.page_height());
    }

    #[test]
    fn layouts_of_the_same_faces_share_a_font_book() {
        let e = engine();
        let a = e.fonts(&e.layout("gbt9704").unwrap()).unwrap();
        let b = e.fonts(&LayoutSpec::load("gbt9704").unwrap()).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        // One scan, one map per file: a second engine's books map their own.
        let db = e.font_db().unwrap();
        assert!(Arc::ptr_eq(&db, &e.font_db().unwrap()));
    }

    #[test]
    fn a_template_is_parsed_once_for_its_text() {
        let e = engine();
        let path = crate::template::find("shuzhi");
        let a = e.template(&path).unwrap();
        assert!(Arc::ptr_eq(&a, &e.template(&path).unwrap()));
        assert!(!a.text.is_empty());
        let missing = e.template(Path::new("/nonexistent/x.hbs")).err().unwrap();
        assert!(
            missing.message.contains("cannot read template"),
            "{missing}"
        );
    }

    #[test]
    fn outputs_choose_the_formats() {
        let e = engine();
        let text = "关于做好防汛工作的通知\n各乡镇：\n请于7月10日前完成自查。\n青山县人民政府办公室\n2023年7月1日\n";
        let reading = Reading::default();
        let docx_only = Outputs {
            pdf: None,
            ..Outputs::default()
        };
        let made = e
            .make(text, Path::new("a.txt"), false, &reading, &docx_only)
            .unwrap();
        assert!(made.value.pdf.is_none() && made.value.docx.is_some());
        assert_eq!(made.value.pages, 0);
        let pdf_png = Outputs {
            docx: None,
            png: Some(PngOptions { dpi: 20.0 }),
            ..Outputs::default()
        };
        let made = e
            .make(text, Path::new("a.txt"), false, &reading, &pdf_png)
            .unwrap()
            .value;
        assert!(made.pdf.as_ref().unwrap().starts_with(b"%PDF-"));
        assert!(made.docx.is_none());
        assert_eq!(made.png.len(), made.pages);
        assert!(made.pages >= 1 && made.paged.is_none());
    }
}
