//! Templates: data → the text of a document, with Handlebars in strict mode.
//!
//! A template renders the plain-text form that [`crate::read::text`] reads (title first, one
//! paragraph per line, numbered headings …) plus `@key: value` markup lines for what plain text
//! cannot say. Strict mode makes a field the data lacks an error naming the template file, line,
//! column and field — a submitted document never has an empty hole; every field a row lacks is
//! named in one error. A template's leading comment is its header ([`meta`]): what it makes, its
//! default layout, its fields with their types (a number field must hold one) and English
//! aliases, its example. Data is data (the `values` module): a printed value never becomes markup, a
//! heading or a 版头; `{{{field}}}` prints one that is meant to. Helpers:
//!
//! - `{{cn_date d}}`: `2023-07-01`, an Excel date number (45108) or a TOML date → `2023年7月1日`
//!   (7.3.5.4: Arabic digits, no leading zeros);
//! - `{{cn_num n}}`: 11 → `十一`;
//! - `{{h1 @index}}` `{{h2 @index}}` `{{h3 @index}}` `{{h4 @index}}`: the numbering of the
//!   heading levels from a 0-based index — `一、` `（一）` `1.` `（1）` (7.3.3);
//! - `{{inc @index}}`: 序号 counted from 1 (`@index` counts from 0);
//! - `{{count list}}`: the length of a list (`{{h1 (count sections)}}` numbers the section after
//!   the last one);
//! - `{{#if (many list)}}`: more than one item (a single 附件 is not numbered, 7.3.4);
//! - `{{doc_no organ year n}}`: `国办发` 2023 12 → `国办发〔2023〕12号` (7.2.4).

use std::path::{Path, PathBuf};

use handlebars::{Handlebars, RenderErrorReason};
use serde_json::Value;

use crate::error::{Error, Warned};
use crate::read::data::Data;

pub mod meta;
mod values;

use meta::{Kind, Meta};

/// Find a template by bundled name (`shuzhi` → `layouts/templates/shuzhi.hbs`) or path.
pub fn find(name_or_path: &str) -> PathBuf {
    if name_or_path.ends_with(".hbs") || name_or_path.contains('/') {
        PathBuf::from(name_or_path)
    } else {
        crate::resources::layouts_dir()
            .join("templates")
            .join(format!("{name_or_path}.hbs"))
    }
}

/// A template `gongwen templates` lists: what to pass to `--template`, its file, its header.
#[derive(Debug)]
pub struct Listed {
    /// `shuzhi` for a bundled template, `./mine.hbs` for one in the working folder.
    pub name: String,
    /// Its file.
    pub path: PathBuf,
    /// Its header; `Ok(None)` when it has none, `Err` when it does not read.
    pub meta: Result<Option<Meta>, String>,
}

/// The bundled templates (`layouts/templates/*.hbs`), then the `*.hbs` of the working folder,
/// each in name order.
pub fn list() -> Vec<Listed> {
    let read = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "hbs") && p.is_file())
            .collect();
        v.sort();
        v
    };
    let bundled = crate::resources::layouts_dir().join("templates");
    let mut out = Vec::new();
    for (path, local) in read(&bundled)
        .into_iter()
        .map(|p| (p, false))
        .chain(read(Path::new(".")).into_iter().map(|p| (p, true)))
    {
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
        let Some(file) = file else { continue };
        let name = if local {
            format!("./{file}")
        } else {
            file.trim_end_matches(".hbs").to_string()
        };
        let meta = crate::read_source(&path)
            .map_err(|e| format!("cannot read ({e})"))
            .and_then(|t| Meta::read(&t));
        out.push(Listed { name, path, meta });
    }
    out
}

/// The template a data file or a sheet row names (`template: shuzhi`). Data comes from outside
/// the office, so it may name a bundled template, or a file inside `base` (the data file's own
/// folder, or the sheet's), and nothing else: `/etc/passwd` or `../../x` would print another
/// file's text into the document. The command line's `--template PATH` may name any file.
pub fn named_by_data(name: &str, base: &Path) -> Result<PathBuf, Error> {
    let bundled = !(name.ends_with(".hbs") || name.contains('/'));
    crate::read::data::confined(name, find(name), bundled, base, "template")
}

/// A template, parsed once: a batch renders every row through the same one.
pub struct Template {
    hb: Handlebars<'static>,
    name: String,
    meta: Option<Meta>,
}

impl Template {
    /// Read and parse the template at `path`, with its header ([`meta`]).
    pub fn load(path: &Path) -> Result<Template, Error> {
        let name = path.display().to_string();
        let text = crate::read_source(path).map_err(|e| {
            Error::io(path, format!("cannot read template ({e})"))
                .hint("bundled templates are in layouts/templates/; `gongwen templates` lists them")
        })?;
        let meta = Meta::read(&text).map_err(|why| {
            Error::at(&name, 1, 1, why)
                .hint("the header is YAML: description, layout, example, fields (see layouts/templates/shuzhi.hbs)")
        })?;
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        // Every printed value is marked, then settled as plain text (`values`: data is data).
        hb.register_escape_fn(values::escape);
        register_helpers(&mut hb);
        hb.register_template_string(&name, &text).map_err(|e| {
            let (line, col) = e.pos().unwrap_or((0, 0));
            Error::at(
                &name,
                line,
                col,
                format!("invalid template ({})", e.reason()),
            )
        })?;
        Ok(Template { hb, name, meta })
    }

    /// Where the template came from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its header, if it has one.
    pub fn meta(&self) -> Option<&Meta> {
        self.meta.as_ref()
    }

    /// The layout its header names (`report` for `shuzhi`), used when neither the command line
    /// nor the data names one.
    pub fn layout(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.layout.as_deref())
    }

    /// Render `data` to the document's text. English aliases of the header's fields are taken
    /// as the fields. Every field the data lacks is reported in one error located at the data
    /// (`officials.xlsx:row 3`, `d.yaml`), naming where the template uses each, with the
    /// template's fields as a hint.
    pub fn render(&self, data: &Data) -> Result<String, Error> {
        self.render_warned(data).map(|text| text.value)
    }

    /// As [`Template::render`], with a warning for each field whose value was changed to stay
    /// text (its line breaks folded, a line starting with `@` kept from being markup).
    pub fn render_warned(&self, data: &Data) -> Result<Warned<String>, Error> {
        let mut warnings = Vec::new();
        let mut value = data.value.clone();
        if let Some(m) = &self.meta {
            m.apply_aliases(&mut value);
            // A field declared a number that holds text would print as it is ("abc年…").
            if let Some((field, got)) = m.wrong_type(&value) {
                return Err(Error::at(
                    &data.source,
                    0,
                    0,
                    format!("field '{field}' is declared a number, but the data gives '{got}'"),
                )
                .hint(format!(
                    "write a number (2023) in {}; {} takes: {}",
                    data.source,
                    self.short_name(),
                    m.field_list()
                )));
            }
        }
        let mut missing: Vec<Missing> = Vec::new();
        // Each missing field is filled with a stand-in of its type and the render tried again,
        // so one run finds them all; a field that cannot be filled (inside a list item) ends
        // the search with what is known.
        for _ in 0..200 {
            let e = match self.hb.render(&self.name, &value) {
                Ok(text) if missing.is_empty() => {
                    let text = values::settle(&text, &value, &data.source, &mut warnings);
                    return Ok(Warned::with(text, warnings));
                }
                Ok(_) => break,
                Err(e) => e,
            };
            let (line, col) = (e.line_no.unwrap_or(0), e.column_no.unwrap_or(0));
            match e.reason() {
                RenderErrorReason::MissingVariable(field) => {
                    let field = field.clone().unwrap_or_default();
                    let seen = missing.iter_mut().find(|m| m.field == field);
                    let tries = match seen {
                        Some(m) if (m.line, m.col) == (line, col) => {
                            m.tries += 1;
                            m.tries
                        }
                        Some(_) => break,
                        None => {
                            missing.push(Missing {
                                field: field.clone(),
                                line,
                                col,
                                tries: 0,
                            });
                            0
                        }
                    };
                    if !self.fill(&mut value, &field, tries) {
                        break;
                    }
                }
                // A helper's own complaint about a value: the value is in the data.
                other if missing.is_empty() => {
                    return Err(Error::at(&self.name, line, col, other.to_string())
                        .hint(format!("correct the value in {}", data.source)));
                }
                // A complaint about the last stand-in (a date helper given text): try the next.
                _ => match missing.last_mut() {
                    Some(m) if (m.line, m.col) == (line, col) => {
                        m.tries += 1;
                        let (field, tries) = (m.field.clone(), m.tries);
                        if !self.fill(&mut value, &field, tries) {
                            break;
                        }
                    }
                    _ => break,
                },
            }
        }
        Err(self.missing_error(data, &missing))
    }

    /// Put a stand-in for `field` at the top of the data: try `tries` of the field's type
    /// (declared in the header, else text, a list, a date, a number in turn). `false` when it
    /// cannot be filled there (a nested field, or one the data has but empty).
    fn fill(&self, value: &mut Value, field: &str, tries: usize) -> bool {
        let simple = !field.is_empty()
            && !field.starts_with('@')
            && !field.contains(['.', '/', '[', ' '])
            && field != "this";
        let Value::Object(map) = value else {
            return false;
        };
        if !simple || (tries == 0 && map.contains_key(field)) {
            return false;
        }
        let declared = self
            .meta
            .as_ref()
            .and_then(|m| m.field(field))
            .map(|f| f.kind);
        let mut order = vec![Kind::Text, Kind::List, Kind::Date, Kind::Number];
        if let Some(k) = declared {
            order.retain(|o| *o != k);
            order.insert(0, k);
        }
        let Some(kind) = order.get(tries) else {
            return false;
        };
        let stand_in = match kind {
            Kind::Text => Value::String("…".into()),
            Kind::List => Value::Array(vec![]),
            Kind::Date => Value::String("2000-01-01".into()),
            Kind::Number => Value::from(1),
        };
        map.insert(field.to_string(), stand_in);
        true
    }

    /// The error for the fields the data lacks.
    fn missing_error(&self, data: &Data, missing: &[Missing]) -> Error {
        let names: Vec<String> = missing.iter().map(|m| format!("'{}'", m.field)).collect();
        let places: Vec<String> = missing
            .iter()
            .map(|m| match (m.line, m.col) {
                (0, _) => String::new(),
                (l, c) => format!("{l}:{c}"),
            })
            .filter(|p| !p.is_empty())
            .collect();
        let what = if names.len() == 1 {
            format!("the data has no field {}", names[0])
        } else {
            format!("the data has no fields {}", names.join(", "))
        };
        let used = if places.is_empty() {
            String::new()
        } else {
            format!(
                " ({} uses {} at {})",
                self.name,
                if names.len() == 1 { "it" } else { "them" },
                places.join(", ")
            )
        };
        let mut e = Error::at(&data.source, 0, 0, format!("{what}{used}")).hint(format!(
            "add {} to {}{}",
            if names.len() == 1 { "it" } else { "them" },
            data.source,
            if data.source.contains(":row ") {
                " (a column each, header on the first row)"
            } else {
                ""
            }
        ));
        if let Some(m) = &self.meta
            && !m.fields.is_empty()
        {
            e = e.hint(format!(
                "{} takes: {} (? = optional)",
                self.short_name(),
                m.field_list()
            ));
        }
        e
    }

    /// `shuzhi` for a bundled template, else the file's path.
    fn short_name(&self) -> String {
        let p = Path::new(&self.name);
        match p.file_stem() {
            Some(stem) if find(&stem.to_string_lossy()) == p => stem.to_string_lossy().into_owned(),
            _ => self.name.clone(),
        }
    }
}

/// A field the data lacks, where the template first uses it, and the stand-ins tried.
struct Missing {
    field: String,
    line: usize,
    col: usize,
    tries: usize,
}

/// Render `data` through the template at `path` (load and render once).
pub fn render(path: &Path, data: &Data) -> Result<String, Error> {
    Template::load(path)?.render(data)
}

/// Chinese numerals for ordinals: 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五,
/// 1001 → 一千零一; from 10000 on, Arabic digits.
pub fn cn_num(n: u64) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return D[0].into();
    }
    if n >= 10000 {
        return n.to_string();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push_str(D[0]);
            zero = false;
        }
        // 十一, not 一十一, when ten leads.
        if !(i == 2 && d == 1 && out.is_empty()) {
            out.push_str(D[d as usize]);
        }
        out.push_str(units[i]);
    }
    out
}

/// A date as 成文日期 writes it (7.3.5.4): `2023年7月1日`. Takes `2023-07-01` (or with `/` or
/// `.`), an Excel serial day number, or a date-time string whose date part is that.
pub fn cn_date(v: &Value) -> Option<String> {
    let (y, m, d) = match v {
        Value::Number(n) => excel_date(n.as_f64()?)?,
        Value::String(s) => {
            let date = s.split(['T', ' ']).next()?;
            let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
            if parts.len() != 3 {
                return None;
            }
            (
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            )
        }
        // TOML dates arrive as {"$__toml_private_datetime": "2023-07-01"}.
        Value::Object(o) => return o.values().next().and_then(cn_date),
        _ => return None,
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{y}年{m}月{d}日"))
}

/// Excel's serial day number (1900 system; day 60 is the fictitious 1900-02-29) → y, m, d.
fn excel_date(serial: f64) -> Option<(i64, u32, u32)> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let mut days = serial.floor() as i64;
    if days > 60 {
        days -= 1; // Excel counts 1900-02-29, which did not exist
    }
    civil_from_days(days - 1)
}

/// Days since 1900-01-01 → (year, month, day), after H. Hinnant's `civil_from_days`.
fn civil_from_days(days_since_1900: i64) -> Option<(i64, u32, u32)> {
    // 1900-01-01 is day -25567 relative to 1970-01-01.
    let z = days_since_1900 - 25_567 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    Some((y, m, d))
}

/// The template helpers: `{{count xs}}` → how many, `{{many xs}}` → more than one,
/// `{{cn_num n}}` → the number in 汉字, `{{inc @index}}` → 1-based (序号 from `@index`, which
/// counts from 0). `handlebars_helper!` makes a `pub struct` for each and takes no doc comment
/// for it, so the lint is allowed here and the helpers are re-exported as before.
#[allow(missing_docs)]
mod helpers {
    use super::cn_num;
    use handlebars::handlebars_helper;

    handlebars_helper!(count: |v: array| v.len());
    handlebars_helper!(many: |v: array| v.len() > 1);
    handlebars_helper!(cn_num_helper: |n: u64| cn_num(n));
    handlebars_helper!(inc: |n: u64| n.saturating_add(1));
}
pub use helpers::{cn_num_helper, count, inc, many};

/// The numbering of heading levels 1–4 (7.3.3) for a 0-based `@index`: 一、 （一） 1. （1）.
fn heading_number(level: u8, index: u64) -> Option<String> {
    // Beyond 999 headings of one level a number is a mistake in the data, not a document.
    let n = index.checked_add(1).filter(|n| *n <= 999)?;
    Some(match level {
        1 => format!("{}、", cn_num(n)),
        2 => format!("（{}）", cn_num(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    })
}

/// A helper that checks its values: `f` gets the parameters and returns the text, or what is
/// wrong with them (reported at the template's line, with a hint at the data).
fn checked<F>(f: F) -> Box<dyn handlebars::HelperDef + Send + Sync>
where
    F: Fn(&[Value]) -> Result<String, String> + Send + Sync + 'static,
{
    Box::new(
        move |h: &handlebars::Helper,
              _: &Handlebars,
              _: &handlebars::Context,
              _: &mut handlebars::RenderContext,
              out: &mut dyn handlebars::Output|
              -> handlebars::HelperResult {
            // A field the data lacks is reported as missing, as a bare `{{field}}` would be (a
            // number too big for JSON, `1e300`, also arrives as a missing "path": not a field).
            if let Some(p) = h.params().iter().find(|p| {
                p.is_value_missing() && p.relative_path().is_none_or(|r| r.parse::<f64>().is_err())
            }) {
                return Err(RenderErrorReason::MissingVariable(p.relative_path().cloned()).into());
            }
            // A value JSON cannot hold (1e300 written in the template, an infinite float in
            // the data) arrives as null: show what the template wrote instead of 'null'.
            let params: Vec<Value> = h
                .params()
                .iter()
                .map(|p| match (p.value(), p.relative_path()) {
                    (Value::Null, Some(path)) => Value::String(path.clone()),
                    (v, _) => v.clone(),
                })
                .collect();
            // What a helper makes of values is a value too (`doc_no` prints the organ's text).
            out.write(&values::escape(
                &f(&params).map_err(RenderErrorReason::Other)?,
            ))?;
            Ok(())
        },
    )
}

/// The parameter `k`, or null.
fn param(params: &[Value], k: usize) -> &Value {
    params.get(k).unwrap_or(&Value::Null)
}

/// 发文字号 (7.2.4): `国办发〔2023〕12号` — a four-digit year and a number without leading zeros.
pub fn doc_number(organ: &str, year: &Value, n: &Value) -> Option<String> {
    let text = |v: &Value| {
        v.as_u64()
            .map(|n| n.to_string())
            .or_else(|| v.as_str().map(str::to_string))
    };
    let year = text(year).filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))?;
    let n = text(n)?.trim_start_matches('0').to_string();
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{organ}〔{year}〕{n}号"))
}

fn register_helpers(hb: &mut Handlebars) {
    hb.register_helper("cn_num", Box::new(cn_num_helper));
    hb.register_helper("count", Box::new(count));
    hb.register_helper("inc", Box::new(inc));
    hb.register_helper("many", Box::new(many));
    for level in 1..=4u8 {
        hb.register_helper(
            &format!("h{level}"),
            checked(move |p| {
                let v = param(p, 0);
                v.as_u64()
                    .and_then(|i| heading_number(level, i))
                    .ok_or_else(|| {
                        format!("h{level} takes an index from 0 to 998 (@index), not '{v}'")
                    })
            }),
        );
    }
    hb.register_helper(
        "doc_no",
        checked(|p| {
            let (organ, year, n) = (param(p, 0), param(p, 1), param(p, 2));
            doc_number(organ.as_str().unwrap_or(""), year, n).ok_or_else(|| {
                format!(
                    "doc_no wants an organ, a four-digit year and a number (doc_no \"国办发\" 2023 12), not {organ} {year} {n}"
                )
            })
        }),
    );
    hb.register_helper(
        "cn_date",
        checked(|p| {
            let v = param(p, 0);
            let shown = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            cn_date(v).ok_or_else(|| {
                format!("'{shown}' is not a date (write 2023-07-01 or an Excel date)")
            })
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 99, 100, 105, 110, 111, 1001, 2010]
            .iter()
            .map(|n| cn_num(*n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "九",
                "十",
                "十一",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零五",
                "一百一十",
                "一百一十一",
                "一千零一",
                "二千零一十"
            ]
        );
    }

    #[test]
    fn heading_numbers_and_doc_numbers_refuse_what_is_not_one() {
        assert_eq!(heading_number(1, 0).as_deref(), Some("一、"));
        assert_eq!(heading_number(2, 10).as_deref(), Some("（十一）"));
        assert_eq!(heading_number(3, 1).as_deref(), Some("2."));
        assert_eq!(heading_number(1, u64::MAX), None); // issue 9: gave 零、
        assert_eq!(heading_number(4, 999), None);
        let n = |v: Value| v;
        assert_eq!(
            doc_number("国办发", &n(json!(2023)), &n(json!("012"))).as_deref(),
            Some("国办发〔2023〕12号")
        );
        assert_eq!(doc_number("国办发", &n(json!("x")), &n(json!(12))), None); // gave 〔x〕
        assert_eq!(
            doc_number("国办发", &n(json!(2023)), &n(json!("abc"))),
            None
        );
    }

    #[test]
    fn dates_without_leading_zeros() {
        assert_eq!(cn_date(&json!("2023-07-01")).unwrap(), "2023年7月1日");
        assert_eq!(cn_date(&json!("2023/12/31")).unwrap(), "2023年12月31日");
        assert_eq!(
            cn_date(&json!("2023-07-01T08:00:00")).unwrap(),
            "2023年7月1日"
        );
        assert_eq!(cn_date(&json!(45108)).unwrap(), "2023年7月1日"); // Excel serial
        assert_eq!(cn_date(&json!(1)).unwrap(), "1900年1月1日");
        assert_eq!(cn_date(&json!(61)).unwrap(), "1900年3月1日");
        assert_eq!(
            cn_date(&json!({"$__toml_private_datetime": "2024-02-29"})).unwrap(),
            "2024年2月29日"
        );
        assert!(cn_date(&json!("2023-13-01")).is_none());
        assert!(cn_date(&json!("yesterday")).is_none());
    }
}
