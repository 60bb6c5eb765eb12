//! The sequential part of a batch row: its template and layout (loaded through the run's
//! [`crate::Engine`] and kept for the run), its output name, the hash of its inputs, and whether the previous run's files are
//! still current — a row is then either a [`Job`] for a worker or a finished [`Entry`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use handlebars::{Handlebars, RenderErrorReason};
use serde_json::Value;

use super::manifest::{self, Entry, Inputs, OutFile, Status};
use super::names::Namer;
use super::run::BatchOptions;
use super::source::Record;
use crate::data::Data;
use crate::engine::Engine;
use crate::error::Error;
use crate::fonts::FontBook;
use crate::spec::LayoutSpec;
use crate::template::Template;

/// A loaded template and the hash of its text.
pub(super) struct Tpl {
    pub(super) template: Arc<Template>,
    pub(super) hash: String,
}

/// A loaded layout, the fonts that serve it, and their hashes.
pub(super) struct Lay {
    pub(super) layout: Arc<LayoutSpec>,
    pub(super) fonts: Arc<FontBook>,
    /// Hash of the layout text, the fonts and the program.
    pub(super) hash: String,
}

/// Templates and layouts by file for this run, each with its hashes, loaded on first use
/// through the engine (which parses each text once, for every run it serves). A failure is
/// kept too, so a row naming a missing template fails at once, not after another attempt.
pub(super) struct Caches {
    pub(super) program: String,
    pub(super) templates: HashMap<PathBuf, Result<Arc<Tpl>, Error>>,
    pub(super) layouts: HashMap<PathBuf, Result<Arc<Lay>, Error>>,
    /// The engine given ([`BatchOptions::engine`]), else one made on first use with the
    /// run's font options.
    engine: Option<Engine>,
    pub(super) inputs: Inputs,
}

impl Caches {
    pub(super) fn new(program: &str, engine: Option<Engine>) -> Caches {
        Caches {
            program: program.to_string(),
            templates: HashMap::new(),
            layouts: HashMap::new(),
            engine,
            inputs: Inputs::default(),
        }
    }

    fn engine(&mut self, fonts: &crate::fonts::FontOptions) -> Engine {
        self.engine
            .get_or_insert_with(|| Engine::new(fonts.clone()))
            .clone()
    }

    pub(super) fn template(
        &mut self,
        name: &str,
        fonts: &crate::fonts::FontOptions,
    ) -> Result<Arc<Tpl>, Error> {
        let path = crate::template::find(name);
        if let Some(t) = self.templates.get(&path) {
            return t.clone();
        }
        let loaded = self.engine(fonts).template(&path).map(|source| {
            let hash = manifest::hash_text(&source.text);
            self.inputs
                .templates
                .insert(path.display().to_string(), hash.clone());
            Arc::new(Tpl {
                template: source.template.clone(),
                hash,
            })
        });
        self.templates.insert(path, loaded.clone());
        loaded
    }

    pub(super) fn layout(
        &mut self,
        name: &str,
        fonts: &crate::fonts::FontOptions,
    ) -> Result<Arc<Lay>, Error> {
        let engine = self.engine(fonts);
        // As `LayoutSpec::load` finds it: a name in layouts/, or a path.
        let path = engine.layout_path(name);
        if let Some(l) = self.layouts.get(&path) {
            return l.clone();
        }
        let loaded = engine.layout_source(name).and_then(|source| {
            let book = engine.fonts(&source.layout)?;
            // A layout with a `base` depends on its bases' text too.
            let text_hash = manifest::hash_text(&source.text);
            let fonts_hash = fonts_hash(&book);
            let key = path.display().to_string();
            self.inputs.layouts.insert(key.clone(), text_hash.clone());
            self.inputs.fonts.insert(key, fonts_hash.clone());
            let mut h = manifest::Hasher::new();
            h.part(self.program.as_bytes())
                .part(text_hash.as_bytes())
                .part(fonts_hash.as_bytes());
            Ok(Arc::new(Lay {
                layout: source.layout.clone(),
                fonts: book,
                hash: h.finish(),
            }))
        });
        self.layouts.insert(path, loaded.clone());
        loaded
    }

    pub(super) fn inputs(&self) -> Inputs {
        self.inputs.clone()
    }
}

/// The fonts of a book as the hashes see them: which file serves which face, and each file's
/// path, face index, size and modification time (a changed or replaced font file changes it;
/// reading the bytes again would cost more than the check is worth).
pub(super) fn fonts_hash(book: &FontBook) -> String {
    let mut h = manifest::Hasher::new();
    for f in book.fonts() {
        h.part(f.path.to_string_lossy().as_bytes());
        h.part(&f.index.to_le_bytes());
        h.part(&(f.data.len() as u64).to_le_bytes());
        let modified = std::fs::metadata(&f.path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        h.part(&modified.to_le_bytes());
    }
    for (key, chain) in book.faces() {
        h.part(key.as_bytes()).part(chain.office.as_bytes());
        for id in &chain.fonts {
            h.part(&(*id as u64).to_le_bytes());
        }
    }
    h.finish()
}

/// The `--name` pattern: Handlebars in strict mode over the row's fields.
pub(super) struct NamePattern {
    pub(super) hb: Handlebars<'static>,
}

impl NamePattern {
    pub(super) fn new(pattern: &str) -> Result<NamePattern, Error> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        hb.register_template_string("name", pattern).map_err(|e| {
            Error::msg(format!(
                "--name '{pattern}': invalid pattern ({})",
                e.reason()
            ))
            .hint("write field names in double braces: --name '{{单位}}-{{姓名}}'")
        })?;
        Ok(NamePattern { hb })
    }

    pub(super) fn render(&self, data: &Value, label: &str) -> Result<String, Error> {
        self.hb.render("name", data).map_err(|e| {
            let why = match e.reason() {
                RenderErrorReason::MissingVariable(Some(field)) => {
                    format!("the name pattern uses '{field}', which the row does not have")
                }
                other => format!("the name pattern cannot be filled ({other})"),
            };
            Error::at(label, 0, 0, why).hint("name an existing column in --name")
        })
    }
}

/// The output name of a row without `--name`: `row-7` (`line-3`, `item-2`), or a folder file's
/// stem.
pub(super) fn default_name(label: &str, is_folder: bool) -> String {
    if is_folder && let Some(stem) = Path::new(label).file_stem() {
        return stem.to_string_lossy().into_owned();
    }
    label.rsplit(':').next().unwrap_or(label).replace(' ', "-")
}

/// A row ready for a worker.
pub(super) struct Job {
    pub(super) seq: usize,
    pub(super) row: usize,
    /// Where a sheet row's field names came from (its header row's label).
    pub(super) header: Option<String>,
    pub(super) label: String,
    pub(super) data: Data,
    /// A draft's own text (a `.txt`/`.docx` in a folder): rendered without a template.
    pub(super) text: Option<String>,
    pub(super) name: String,
    pub(super) hash: String,
    /// `None` for a draft.
    pub(super) template: Option<Arc<Tpl>>,
    pub(super) layout: Arc<Lay>,
    /// Messages from before the render (the name's warning).
    pub(super) notes: Vec<String>,
    /// Files of the previous run with the same inputs that this run does not rewrite (a PDF
    /// kept when only the DOCX is asked for).
    pub(super) keep: Vec<OutFile>,
    /// `--merge`: keep the laid-out pages for the merged PDF.
    pub(super) merge: bool,
    /// A row whose files are current, laid out again only for the merged PDF: its entry.
    pub(super) unchanged: Option<Entry>,
}

/// A finished row, for the collector.
pub(super) struct Outcome {
    pub(super) seq: usize,
    pub(super) entry: Entry,
    /// `--merge`: the row's laid-out pages and the layout and fonts they were laid out with.
    pub(super) paged: Option<(crate::page::Paged, Arc<Lay>)>,
}

pub(super) enum Prepared {
    Build(Box<Job>),
    Done(Entry),
}

/// The sequential part of a row: template and layout, name, hash, and whether it is current.
pub(super) struct Step<'a> {
    pub(super) seq: usize,
    pub(super) opts: &'a BatchOptions,
    pub(super) caches: &'a mut Caches,
    pub(super) namer: &'a mut Namer,
    pub(super) pattern: Option<&'a NamePattern>,
    pub(super) prev: &'a HashMap<String, Entry>,
    pub(super) is_folder: bool,
}

/// The phrase of [`Namer`]'s warning, to tell it from a render's warnings.
pub(super) const NAME_CLASH: &str = "would share a file name";

impl Step<'_> {
    pub(super) fn prepare(self, r: Result<Record, Error>) -> Prepared {
        let record = match r {
            Ok(record) => record,
            Err(e) => {
                // A row the source could not read: its error names the row.
                let row = row_number(&e.location()).unwrap_or(self.seq + 1);
                return Prepared::Done(failed(row, e.location(), None, None, vec![], &e));
            }
        };
        let Record {
            row,
            label,
            fields,
            text,
            header,
            warnings: read_warnings,
        } = record;
        let data = Data {
            value: Value::Object(fields),
            source: label.clone(),
        };
        let render = &self.opts.render;
        let fail = |name: Option<String>, notes: Vec<String>, e: &Error| {
            Prepared::Done(failed(row, label.clone(), name, None, notes, e))
        };
        let mut template_name = render
            .template
            .clone()
            .or_else(|| data.template().map(str::to_string));
        if template_name.is_none() && text.is_none() {
            let e = Error::at(&label, 0, 0, "the row names no template")
                .hint("pass --template NAME (see layouts/templates/), or add a column 'template'");
            return fail(None, vec![], &e);
        }

        let raw_name = match self.pattern {
            Some(p) => match p.render(&data.value, &label) {
                Ok(n) => n,
                Err(e) => return fail(None, vec![], &e),
            },
            None => default_name(&label, self.is_folder),
        };
        let (name, clash) = self.namer.name(&raw_name);
        let notes: Vec<String> = clash
            .into_iter()
            .chain(read_warnings)
            .map(|w| format!("warning: {label}: {w}"))
            .collect();

        let source = &self.opts.source;
        let base = if source.is_dir() {
            source.as_path()
        } else {
            source
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        // A template the row names must be bundled or lie beside the source (issue 9: trust).
        if let (None, None, Some(named)) = (&render.template, &text, &template_name) {
            match crate::template::named_by_data(named, base) {
                Ok(path) => template_name = Some(path.display().to_string()),
                Err(mut e) => {
                    e.set_location(&label);
                    return fail(Some(name), notes, &e);
                }
            }
        }
        // A draft is its own text: no template, even when --template is given.
        let template = match (&text, template_name) {
            (Some(_), _) | (None, None) => None,
            (None, Some(t)) => match self.caches.template(&t, &render.fonts) {
                Ok(t) => Some(t),
                Err(e) => return fail(Some(name), notes, &e),
            },
        };
        // The command line's layout, else the row's or the draft's, else the template's, else
        // gbt9704.
        // A layout the row names is confined as its template is (issue 19).
        let row_layout = match (&render.layout, data.layout()) {
            (None, Some(named)) => match crate::data::layout_named_by_data(named, base) {
                Ok(path) => Some(path),
                Err(mut e) => {
                    e.set_location(&label);
                    return fail(Some(name), notes, &e);
                }
            },
            _ => None,
        };
        // A draft names its layout itself when the command line does not (`@版式`, a 令's
        // 标志 → ling: `Document::layout_hint`, as `render` finds it): read here once more, in
        // the sequential part, since the layout is loaded before the row is rendered (a draft's
        // reading is a small part of its row's time).
        let draft_layout = match (&render.layout, &text) {
            (None, Some(t)) => crate::document_from_text(t, &label, &mut Vec::new())
                .ok()
                .and_then(|d| d.layout_hint().map(str::to_string)),
            _ => None,
        };
        let layout_name = render
            .layout
            .clone()
            .or(row_layout)
            .or(draft_layout)
            .or_else(|| {
                let t = template.as_ref()?;
                t.template.layout().map(str::to_string)
            })
            .unwrap_or_else(|| crate::spec::DEFAULT_LAYOUT.to_string());
        let layout = match self.caches.layout(&layout_name, &render.fonts) {
            Ok(l) => l,
            Err(e) => return fail(Some(name), notes, &e),
        };
        let data_json = serde_json::to_vec(&data.value).unwrap_or_default();
        let mut h = manifest::Hasher::new();
        h.part(layout.hash.as_bytes())
            .part(
                template
                    .as_ref()
                    .map_or(&b"draft"[..], |t| t.hash.as_bytes()),
            )
            // Every option that changes a file's bytes or whether it is made (issue 9: a strict
            // rerun said "unchanged"); which formats are wanted is checked file by file below.
            .part(&[
                u8::from(render.embed_fonts),
                u8::from(render.strict),
                render.compress.key(),
            ])
            .part(&data_json);
        if let Some(text) = &text {
            h.part(text.as_bytes());
        }
        let hash = h.finish();

        let wanted = wanted_files(&name, render);
        let mut keep = Vec::new();
        if let Some(p) = self.prev.get(&name)
            && p.status != Status::Failed
            && p.hash.as_deref() == Some(hash.as_str())
        {
            let out_dir = &render.out_dir;
            let current: Vec<&OutFile> = p.files.iter().filter(|f| f.is_current(out_dir)).collect();
            let all_there = wanted.iter().all(|w| current.iter().any(|f| &f.file == w));
            if all_there && !self.opts.force {
                let mut messages = notes;
                messages.extend(
                    p.messages
                        .iter()
                        .filter(|m| !m.contains(NAME_CLASH))
                        .cloned(),
                );
                let entry = Entry {
                    row,
                    label: label.clone(),
                    name: Some(name.clone()),
                    files: current.into_iter().cloned().collect(),
                    status: Status::Unchanged,
                    hash: Some(hash.clone()),
                    pages: p.pages,
                    messages,
                };
                if self.opts.merge.is_none() {
                    return Prepared::Done(entry);
                }
                // Its files stay; its pages are laid out again for the merged PDF.
                return Prepared::Build(Box::new(Job {
                    seq: self.seq,
                    row,
                    header,
                    label,
                    data,
                    text,
                    name,
                    hash,
                    template,
                    layout,
                    notes: vec![],
                    keep: vec![],
                    merge: true,
                    unchanged: Some(entry),
                }));
            }
            keep = current
                .into_iter()
                .filter(|f| !wanted.contains(&f.file))
                .cloned()
                .collect();
        }
        Prepared::Build(Box::new(Job {
            seq: self.seq,
            row,
            header,
            label,
            data,
            text,
            name,
            hash,
            template,
            layout,
            notes,
            keep,
            merge: self.opts.merge.is_some(),
            unchanged: None,
        }))
    }
}

/// The file names a row gets.
pub(super) fn wanted_files(name: &str, render: &crate::Options) -> Vec<String> {
    let mut v = Vec::new();
    if render.pdf {
        v.push(format!("{name}.pdf"));
    }
    if render.docx {
        v.push(format!("{name}.docx"));
    }
    v
}

/// The row number at the end of a source error's location (`a.xlsx:row 7`, `a.jsonl:line 3`).
pub(super) fn row_number(location: &str) -> Option<usize> {
    let last = location.rsplit(':').next()?;
    let (kind, n) = last.split_once(' ')?;
    matches!(kind, "row" | "line" | "item")
        .then(|| n.parse().ok())
        .flatten()
}

/// The entry of a failed row.
pub(super) fn failed(
    row: usize,
    label: String,
    name: Option<String>,
    hash: Option<String>,
    mut messages: Vec<String>,
    e: &Error,
) -> Entry {
    messages.push(format!("error: {}", error_text(&label, e)));
    Entry {
        row,
        label,
        name,
        files: vec![],
        status: Status::Failed,
        hash,
        pages: None,
        messages,
    }
}

/// `label: error`, without saying the label twice when the error already starts with it.
pub(super) fn error_text(label: &str, e: &Error) -> String {
    let text = e.to_string();
    if e.location().starts_with(label) {
        text
    } else {
        format!("{label}: {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_from_labels() {
        assert_eq!(default_name("a.xlsx:row 7", false), "row-7");
        assert_eq!(default_name("a.xlsx:名单:row 12", false), "row-12");
        assert_eq!(default_name("u.jsonl:line 3", false), "line-3");
        assert_eq!(default_name("reports/张三.yaml", true), "张三");
    }

    #[test]
    fn row_numbers_from_error_locations() {
        assert_eq!(row_number("a.xlsx:row 7"), Some(7));
        assert_eq!(row_number("u.jsonl:line 3"), Some(3));
        assert_eq!(row_number("reports/a.yaml:3:5"), None);
    }

    #[test]
    fn name_pattern_is_strict() {
        let p = NamePattern::new("{{单位}}-{{姓名}}").unwrap();
        let v = serde_json::json!({"单位": "柳河镇", "姓名": "张明"});
        assert_eq!(p.render(&v, "a.csv:row 2").unwrap(), "柳河镇-张明");
        let e = p
            .render(&serde_json::json!({"单位": "柳河镇"}), "a.csv:row 3")
            .unwrap_err();
        assert_eq!(e.location(), "a.csv:row 3");
        assert!(e.message.contains("'姓名'"), "{e}");
        assert!(NamePattern::new("{{#if}}").is_err());
    }
}
