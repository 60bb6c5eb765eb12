//! The layout file: every number of the format, read from `layouts/*.toml`.
//!
//! The engine has no GB/T 9704 constants of its own: paper, margins, the 22 × 28 grid, the line
//! pitch and each element's face, size, alignment and indents come from here, so a house variant
//! (28 pt pitch, centred page numbers) is a different file. Unknown keys and impossible values
//! are rejected on load, naming the key.
//!
//! A file may start with `base = "gbt9704"` (a bundled name, or a path relative to the file) and
//! give only what differs: the two TOML trees are merged table by table, key by key, before the
//! result is read into [`LayoutSpec`] and checked like any whole file ([`inherit`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::model::Element;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// A loaded and validated layout file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    /// What the layout is for, one line (`gongwen layouts` shows it).
    #[serde(default)]
    pub description: String,
    /// Paper and body area.
    pub page: PageSpec,
    /// The line and character grid.
    pub grid: GridSpec,
    /// Face key (`fangsong`, `heiti` …) → what it is called in an office.
    pub faces: BTreeMap<String, FaceSpec>,
    /// Element key (`title`, `body`, `heading1` …) → its type and placement.
    pub elements: BTreeMap<String, ElementSpec>,
    /// Page numbers (7.5).
    pub page_number: PageNumberSpec,
    /// The 版头's geometry (7.2).
    pub masthead: MastheadSpec,
    /// The 版记's rules (7.4).
    pub colophon: ColophonSpec,
    /// 署名 and 成文日期 with a seal (7.3.5.1).
    pub seal: SealSpec,
    /// Tables in the body.
    pub table: TableSpec,
    /// How far the keep rules may move lines, and the 7.3.5.5 closing fit.
    #[serde(default)]
    pub keeps: KeepSpec,
    /// What the reader's text may become: typed dates and numbers as the standard writes them.
    #[serde(default)]
    pub text: TextSpec,
    /// Where the file came from, for messages.
    #[serde(skip)]
    pub source: String,
    /// Every file read to make it: this one first, then its bases (a batch hashes them all).
    #[serde(skip)]
    pub files: Vec<PathBuf>,
}

mod sections;

pub use sections::*;

mod inherit;
mod locate;

pub use inherit::{BASE_HINT, bundled_names};

/// Six hex digits.
fn is_colour(hex: &str) -> bool {
    hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// The layout bundled with the program: `layouts/gbt9704.toml`.
pub const DEFAULT_LAYOUT: &str = "gbt9704";

impl LayoutSpec {
    /// Load a layout by name (`gbt9704` → `layouts/gbt9704.toml`) or by path.
    pub fn load(name_or_path: &str) -> Result<LayoutSpec, Error> {
        let path = LayoutSpec::path_of(name_or_path);
        let text = crate::read_source(&path)
            .map_err(|e| Error::io(&path, format!("cannot read layout file ({e})")))?;
        LayoutSpec::parse(&text, &path.display().to_string())
    }

    /// The file a layout name stands for: a name in `layouts/`, or a path (it ends in `.toml`
    /// or has a `/`).
    pub fn path_of(name_or_path: &str) -> PathBuf {
        if name_or_path.ends_with(".toml") || name_or_path.contains('/') {
            PathBuf::from(name_or_path)
        } else {
            crate::resources::layouts_dir().join(format!("{name_or_path}.toml"))
        }
    }

    /// The TOML tree of a layout file with its bases merged in (unchecked).
    pub fn merged_tree(name_or_path: &str) -> Result<toml::Table, Error> {
        let path = LayoutSpec::path_of(name_or_path);
        let text = crate::read_source(&path)
            .map_err(|e| Error::io(&path, format!("cannot read layout file ({e})")))?;
        Ok(inherit::tree(&text, &path, &mut Vec::new())?.0)
    }

    /// Parse and validate layout text; `source` names it in messages and is the path a
    /// `base = "./other.toml"` is relative to.
    pub fn parse(text: &str, source: &str) -> Result<LayoutSpec, Error> {
        let (tree, files) = inherit::tree(text, Path::new(source), &mut Vec::new())?;
        let based = files.len() > 1;
        let mut layout: LayoutSpec = if based {
            inherit::read(tree, source)?
        } else {
            // A whole file is read from its text, so a wrong value's line and column are named.
            toml::from_str(text).map_err(|e| {
                let (line, col) = e
                    .span()
                    .map(|s| crate::error::line_col(text, s.start))
                    .unwrap_or((0, 0));
                match inherit::read(tree, source) {
                    // A missing key: name it in full (`grid.chars`), not just `chars`.
                    Err(named) if e.message().starts_with("missing field") => named,
                    _ => Error::at(source, line, col, e.message().to_string())
                        .hint("see layouts/gbt9704.toml for every key and its clause"),
                }
            })?
        };
        layout.source = source.to_string();
        layout.files = files;
        // A house file copied before an element existed lends it a kindred element's entry.
        for e in Element::ALL {
            let from = e
                .borrows()
                .filter(|_| !layout.elements.contains_key(e.key()));
            if let Some(spec) = from.and_then(|f| layout.elements.get(f.key()).cloned()) {
                layout.elements.insert(e.key().to_string(), spec);
            }
        }
        layout.validate(text)?;
        Ok(layout)
    }

    /// Every value checked, naming the key and where it is written (`text`: the layout's own).
    fn validate(&self, text: &str) -> Result<(), Error> {
        let bad = |key: &str, why: &str| self.key_error(text, key, why);
        // The ranges first: a NaN or an infinity is named as out of range, with its key.
        self.ranges(text)?;
        let p = &self.page;
        for (k, v) in [
            ("page.width_mm", p.width_mm),
            ("page.height_mm", p.height_mm),
            ("page.body_width_mm", p.body_width_mm),
            ("page.body_height_mm", p.body_height_mm),
            ("grid.line_pitch_pt", self.grid.line_pitch_pt),
            ("grid.base_size_pt", self.grid.base_size_pt),
            ("page_number.size_pt", self.page_number.size_pt),
        ] {
            if !(v > 0.0) {
                return Err(bad(k, "must be greater than zero"));
            }
        }
        if p.top_mm < 0.0 || p.left_mm < 0.0 {
            return Err(bad(
                "page.top_mm / page.left_mm",
                "a margin cannot be negative",
            ));
        }
        if p.left_mm + p.body_width_mm > p.width_mm {
            return Err(bad(
                "page.body_width_mm",
                "the body area is wider than the paper",
            ));
        }
        if p.top_mm + p.body_height_mm > p.height_mm {
            return Err(bad(
                "page.body_height_mm",
                "the body area is taller than the paper",
            ));
        }
        if self.grid.lines == 0 || self.grid.chars == 0 {
            return Err(bad("grid.lines / grid.chars", "must be at least 1"));
        }
        if self.grid.lines as f32 * self.grid.line_pitch_pt > self.body_height() + 0.01 {
            return Err(bad(
                "grid.line_pitch_pt",
                &format!(
                    "{} lines of {} pt do not fit the {} mm body area",
                    self.grid.lines, self.grid.line_pitch_pt, p.body_height_mm
                ),
            ));
        }
        if self.cell() < self.grid.base_size_pt * 0.8 {
            return Err(bad(
                "grid.chars",
                "characters would overlap: the line is too narrow for them",
            ));
        }
        for e in Element::ALL {
            let key = e.key();
            let spec = self
                .elements
                .get(key)
                .ok_or_else(|| bad(&format!("elements.{key}"), "missing"))?;
            if !self.faces.contains_key(&spec.face) {
                return Err(bad(
                    &format!("elements.{key}.face"),
                    &format!("no face '{}' in [faces]", spec.face),
                ));
            }
            if !(spec.size_pt > 0.0) {
                return Err(bad(
                    &format!("elements.{key}.size_pt"),
                    "must be greater than zero",
                ));
            }
            if spec.left_chars + spec.right_chars + spec.first_line_chars >= self.grid.chars as f32
            {
                return Err(bad(
                    &format!("elements.{key}"),
                    "indents leave no room for text",
                ));
            }
            if !is_colour(&spec.colour) {
                return Err(bad(
                    &format!("elements.{key}.colour"),
                    "must be six hex digits, e.g. \"000000\"",
                ));
            }
        }
        if let Some(k) = self
            .elements
            .keys()
            .find(|k| Element::from_key(k).is_none())
        {
            return Err(bad(&format!("elements.{k}"), "unknown element"));
        }
        if !self.faces.contains_key(&self.page_number.face) {
            return Err(bad("page_number.face", "no such face in [faces]"));
        }
        if !is_colour(&self.masthead.rule_colour) {
            return Err(bad(
                "masthead.rule_colour",
                "must be six hex digits, e.g. \"FF0000\"",
            ));
        }
        Ok(())
    }

    /// Every number within the range a real page allows, naming the key otherwise: lengths in
    /// mm within the paper, sizes of a readable type, blank lines within a page.
    fn ranges(&self, text: &str) -> Result<(), Error> {
        let (p, g, m) = (&self.page, &self.grid, &self.masthead);
        let (w, h, lines) = (p.width_mm, p.height_mm, g.lines as f32);
        let mut checks: Vec<(String, f32, f32, f32)> = vec![
            ("page.width_mm".into(), w, 50.0, 2000.0),
            ("page.height_mm".into(), h, 50.0, 2000.0),
            ("page.top_mm".into(), p.top_mm, 0.0, h),
            ("page.left_mm".into(), p.left_mm, 0.0, w),
            ("page.body_width_mm".into(), p.body_width_mm, 10.0, w),
            ("page.body_height_mm".into(), p.body_height_mm, 10.0, h),
            ("grid.lines".into(), lines, 1.0, 200.0),
            ("grid.chars".into(), g.chars as f32, 1.0, 200.0),
            ("grid.line_pitch_pt".into(), g.line_pitch_pt, 4.0, 200.0),
            ("grid.base_size_pt".into(), g.base_size_pt, 4.0, 100.0),
            (
                "grid.cjk_latin_space_em".into(),
                g.cjk_latin_space_em,
                0.0,
                1.0,
            ),
            (
                "page_number.size_pt".into(),
                self.page_number.size_pt,
                4.0,
                100.0,
            ),
            (
                "page_number.below_body_mm".into(),
                self.page_number.below_body_mm,
                0.0,
                h - p.top_mm - p.body_height_mm,
            ),
            (
                "page_number.inset_chars".into(),
                self.page_number.inset_chars,
                0.0,
                10.0,
            ),
            ("masthead.top_mm".into(), m.top_mm, 0.0, h),
            ("masthead.line_spacing".into(), m.line_spacing, 0.5, 5.0),
            (
                "masthead.lines_before_number".into(),
                m.lines_before_number as f32,
                0.0,
                lines,
            ),
            ("masthead.rule_gap_mm".into(), m.rule_gap_mm, 0.0, 50.0),
            ("masthead.rule_mm".into(), m.rule_mm, 0.05, 5.0),
            (
                "masthead.second_rule_mm".into(),
                m.second_rule_mm.unwrap_or(0.1),
                0.05,
                5.0,
            ),
            (
                "masthead.rule_width_mm".into(),
                m.rule_width_mm.unwrap_or(w / 2.0),
                1.0,
                w,
            ),
            (
                "masthead.lines_after_rule".into(),
                m.lines_after_rule as f32,
                0.0,
                lines,
            ),
            (
                "masthead.bottom_rule_mm".into(),
                m.bottom_rule_mm.unwrap_or(h / 2.0),
                0.0,
                h,
            ),
            (
                "colophon.outer_rule_mm".into(),
                self.colophon.outer_rule_mm,
                0.0,
                5.0,
            ),
            (
                "colophon.inner_rule_mm".into(),
                self.colophon.inner_rule_mm,
                0.0,
                5.0,
            ),
            (
                "seal.space_before_lines".into(),
                self.seal.space_before_lines as f32,
                0.0,
                lines,
            ),
            (
                "seal.date_right_chars".into(),
                self.seal.date_right_chars,
                0.0,
                g.chars as f32,
            ),
            ("table.rule_mm".into(), self.table.rule_mm, 0.05, 5.0),
            (
                "table.padding_chars".into(),
                self.table.padding_chars,
                0.0,
                5.0,
            ),
            (
                "table.padding_v_chars".into(),
                self.table.padding_v_chars,
                0.0,
                5.0,
            ),
            (
                "table.line_spacing".into(),
                self.table.line_spacing,
                0.8,
                5.0,
            ),
            (
                "table.split_min_lines".into(),
                self.table.split_min_lines as f32,
                1.0,
                lines,
            ),
        ];
        for (key, e) in &self.elements {
            let chars = g.chars as f32;
            for (k, v, lo, hi) in [
                ("size_pt", e.size_pt, 4.0, 200.0),
                ("first_line_chars", e.first_line_chars, 0.0, chars),
                ("left_chars", e.left_chars, 0.0, chars),
                ("right_chars", e.right_chars, 0.0, chars),
                (
                    "space_before_lines",
                    e.space_before_lines as f32,
                    0.0,
                    lines,
                ),
                ("space_after_lines", e.space_after_lines as f32, 0.0, lines),
            ] {
                checks.push((format!("elements.{key}.{k}"), v, lo, hi));
            }
        }
        for (key, v, lo, hi) in checks {
            if !(v.is_finite() && v >= lo && v <= hi) {
                return Err(self
                    .key_error(text, &key, &format!("{v} is out of range ({lo} to {hi})"))
                    .hint("layouts/gbt9704.toml gives the standard's values with their clauses"));
            }
        }
        Ok(())
    }

    /// The error for a bad value of `key`, at the place it is written.
    fn key_error(&self, text: &str, key: &str, why: &str) -> Error {
        let bases = self.files.get(1..).unwrap_or_default();
        locate::key_error(text, &self.source, bases, key, why)
    }

    /// The spec of one element.
    pub fn element(&self, e: Element) -> &ElementSpec {
        &self.elements[e.key()]
    }

    /// Page width in points.
    pub fn page_width(&self) -> f32 {
        self.page.width_mm * PT_PER_MM
    }
    /// Page height in points.
    pub fn page_height(&self) -> f32 {
        self.page.height_mm * PT_PER_MM
    }
    /// Left edge of the body area, points from the paper's left edge.
    pub fn body_left(&self) -> f32 {
        self.page.left_mm * PT_PER_MM
    }
    /// Top edge of the body area, points from the paper's top edge.
    pub fn body_top(&self) -> f32 {
        self.page.top_mm * PT_PER_MM
    }
    /// Body-area width in points.
    pub fn body_width(&self) -> f32 {
        self.page.body_width_mm * PT_PER_MM
    }
    /// Body-area height in points.
    pub fn body_height(&self) -> f32 {
        self.page.body_height_mm * PT_PER_MM
    }
    /// One grid cell: body width / characters per line (15.79 pt for 156 mm / 28).
    pub fn cell(&self) -> f32 {
        self.body_width() / self.grid.chars as f32
    }
    /// The width of "一字" for text of `size` pt: a grid cell at the base size, else the size.
    pub fn char_width(&self, size: f32) -> f32 {
        if (size - self.grid.base_size_pt).abs() < 0.01 {
            self.cell()
        } else {
            size
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/gbt9704.toml"))
            .unwrap()
    }

    #[test]
    fn grid_arithmetic_matches_the_standard() {
        let l = LayoutSpec::parse(&bundled(), "gbt9704.toml").unwrap();
        assert!((l.cell() - 15.79).abs() < 0.01, "cell {}", l.cell());
        assert!((l.body_width() - 442.2).abs() < 0.1);
        // 22 lines of 28.95 pt fit the 225 mm body area; a 29 pt pitch would not (5.2.3).
        assert!(22.0 * l.grid.line_pitch_pt <= l.body_height());
        assert!(22.0 * 29.0 > l.body_height());
        assert!((l.body_top() / PT_PER_MM - 37.0).abs() < 1e-4);
    }

    #[test]
    fn unknown_key_is_named() {
        let text = bundled().replace("lines = 22", "lines = 22\nlnies = 3");
        let e = LayoutSpec::parse(&text, "x.toml").unwrap_err().to_string();
        assert!(e.contains("x.toml:") && e.contains("lnies"), "{e}");
    }

    #[test]
    fn values_out_of_range_are_named() {
        let b = bundled();
        for (from, to, key) in [
            (
                "first_line_chars = 2.0",
                "first_line_chars = -50.0",
                "first_line_chars",
            ),
            ("left_chars = 2.0", "left_chars = -100.0", "left_chars"),
            (
                "line_pitch_pt = 28.95",
                "line_pitch_pt = 0.0001",
                "grid.line_pitch_pt",
            ),
            ("top_mm = 72.0", "top_mm = -500.0", "masthead.top_mm"),
            ("rule_mm = 0.5", "rule_mm = -5.0", "masthead.rule_mm"),
            (
                "below_body_mm = 7.0",
                "below_body_mm = -10000.0",
                "page_number.below_body_mm",
            ),
            (
                "colour = \"FF0000\"",
                "colour = \"FF00001234\"",
                "masthead.colour",
            ),
            (
                "space_after_lines = 1",
                "space_after_lines = 4000000000",
                "space_after_lines",
            ),
            ("width_mm = 210.0", "width_mm = inf", "page.width_mm"),
        ] {
            assert!(b.contains(from), "{from}");
            let e = LayoutSpec::parse(&b.replacen(from, to, 1), "x.toml").unwrap_err();
            assert!(e.to_string().contains(key), "{to}: {e}");
        }
    }

    /// Issue 9: `width_mm = inf` said "page size is zero", naming no key. Every float of the
    /// layout set to an infinity or NaN is refused naming its key where it is written.
    #[test]
    fn every_float_key_refuses_infinities_and_nan_naming_the_key_and_its_line() {
        let tree: toml::Table = bundled().parse().unwrap();
        let mut floats = Vec::new();
        fn walk(t: &toml::Table, path: &str, out: &mut Vec<String>) {
            for (k, v) in t {
                let key = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match v {
                    toml::Value::Table(t) => walk(t, &key, out),
                    toml::Value::Float(_) => out.push(key),
                    _ => {}
                }
            }
        }
        walk(&tree, "", &mut floats);
        assert!(floats.len() > 40, "{floats:?}");
        for key in &floats {
            for bad in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
                let mut t = tree.clone();
                let mut at = &mut t;
                let parts: Vec<&str> = key.split('.').collect();
                for p in &parts[..parts.len() - 1] {
                    at = at.get_mut(*p).unwrap().as_table_mut().unwrap();
                }
                at.insert(parts[parts.len() - 1].into(), toml::Value::Float(bad));
                let text = toml::to_string(&t).unwrap();
                let e = LayoutSpec::parse(&text, "x.toml").unwrap_err().to_string();
                let (line, rest) = e
                    .strip_prefix("x.toml:")
                    .and_then(|r| r.split_once(':'))
                    .unwrap_or_else(|| panic!("{key} = {bad}: not located: {e}"));
                let written = text
                    .lines()
                    .nth(line.parse::<usize>().unwrap() - 1)
                    .unwrap();
                let last = parts[parts.len() - 1];
                assert!(
                    written.starts_with(&format!("{last} = ")),
                    "{key} = {bad}: {e} points at {written:?}"
                );
                assert!(rest.contains(&format!(" {key}: ")), "{key} = {bad}: {e}");
            }
        }
    }

    #[test]
    fn impossible_values_are_named() {
        let e =
            LayoutSpec::parse(&bundled().replace("lines = 22", "lines = 0"), "x.toml").unwrap_err();
        assert!(e.to_string().contains("grid.lines"), "{e}");
        let e = LayoutSpec::parse(
            &bundled().replace("top_mm = 37.0", "top_mm = -3.0"),
            "x.toml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("page.top_mm"), "{e}");
        let e = LayoutSpec::parse(
            &bundled().replace("line_pitch_pt = 28.95", "line_pitch_pt = 29.5"),
            "x.toml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("grid.line_pitch_pt"), "{e}");
    }
}
