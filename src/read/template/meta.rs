//! A template's header: what it makes, its default layout, its fields with their types, and its
//! example data — read from the template's leading `{{!-- … --}}` comment, which Handlebars
//! ignores, so the header travels with the file (`gongwen new template` copies it too).
//!
//! Owns: the header's format ([`Meta`], [`Field`]), reading it ([`Meta::read`]), the English
//! aliases of the bundled templates' Chinese fields ([`Meta::apply_aliases`]: data files kept in
//! offices before the fields became Chinese still render), and the words `gongwen templates`
//! and error hints use for fields ([`Field::describe`]).
//!
//! The header is YAML:
//!
//! ```text
//! {{!--
//! description: 述职述廉报告，一人一份
//! layout: report
//! example: data/shuzhi-2023.yaml
//! fields:
//!   - {name: 年度, type: number, alias: year}
//!   - {name: 述职内容, type: list, optional: true, fields: [{name: 标题}, {name: 内容}]}
//! --}}
//! ```

use serde::Deserialize;
use serde_json::{Map, Value};

/// A template's header.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// What the template makes, in a line (`述职述廉报告，一人一份`).
    #[serde(default)]
    pub description: String,
    /// The layout its documents use unless the command line or the data names another.
    #[serde(default)]
    pub layout: Option<String>,
    /// Example data that renders with it (a path from the project folder: `data/…`).
    #[serde(default)]
    pub example: Option<String>,
    /// The fields it reads, in the order a sheet would have them.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// One field of a template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The name in the data (a sheet's column header).
    pub name: String,
    /// What it holds.
    #[serde(default, rename = "type")]
    pub kind: Kind,
    /// The template renders without it.
    #[serde(default)]
    pub optional: bool,
    /// The English name older data files use for it.
    #[serde(default)]
    pub alias: Option<String>,
    /// A few words on it (what it becomes, what it replaces).
    #[serde(default)]
    pub about: Option<String>,
    /// For a list of records: the fields of each item.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// The type of a field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Text (a cell with line breaks is several paragraphs).
    #[default]
    Text,
    /// A number (`2023`).
    Number,
    /// A date: `2023-07-01`, an Excel date or a TOML date (written `2023年7月1日`).
    Date,
    /// A list: of text, or of records with `fields`.
    List,
}

impl Field {
    /// `年度 (number)`, `单位`, `附件? (list of text)`,
    /// `述职内容? (list of {标题, 内容?, 要点? (list of {标题, 内容})})`.
    pub fn describe(&self) -> String {
        let mark = if self.optional { "?" } else { "" };
        match self.type_words() {
            None => format!("{}{mark}", self.name),
            Some(t) => format!("{}{mark} ({t})", self.name),
        }
    }

    /// The type in words, `None` for plain text.
    pub fn type_words(&self) -> Option<String> {
        match self.kind {
            Kind::Text => None,
            Kind::Number => Some("number".into()),
            Kind::Date => Some("date".into()),
            Kind::List if self.fields.is_empty() => Some("list of text".into()),
            Kind::List => Some(format!(
                "list of {{{}}}",
                self.fields
                    .iter()
                    .map(Field::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

impl Meta {
    /// The header of a template's text: its leading `{{!-- … --}}` comment as YAML. `Ok(None)`
    /// when the template has no leading comment, or one that is not a header (a plain note):
    /// such a template still renders, it just declares nothing. `Err` when the comment is meant
    /// as a header (it has a `fields:` or `description:` line) but does not read.
    pub fn read(text: &str) -> Result<Option<Meta>, String> {
        let Some(body) = text.trim_start().strip_prefix("{{!--") else {
            return Ok(None);
        };
        let Some(end) = body.find("--}}") else {
            return Ok(None);
        };
        let yaml = &body[..end];
        let meant = yaml
            .lines()
            .any(|l| l.starts_with("fields:") || l.starts_with("description:"));
        if !meant {
            return Ok(None);
        }
        serde_yaml_ng::from_str::<Meta>(yaml)
            .map(Some)
            .map_err(|e| format!("the header comment does not read ({e})"))
    }

    /// The data with every English alias the data uses renamed to the field's Chinese name
    /// (in list items too); a name the data has in Chinese wins over its alias.
    pub fn apply_aliases(&self, value: &mut Value) {
        if let Value::Object(map) = value {
            rename(&self.fields, map);
        }
    }

    /// The fields as a hint lists them: `年度 (number), 单位, …`.
    pub fn field_list(&self) -> String {
        self.fields
            .iter()
            .map(Field::describe)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The first value of the data that its declared type refuses: (the field's path, the
    /// value as written), in the data's order of fields and items. A number field takes a
    /// number or text that reads as one (a sheet's cells are text: `2023`); an empty value is
    /// left to the check of missing fields. Only numbers are checked here: a date is checked
    /// where `cn_date` prints it, with the template's line.
    pub fn wrong_type(&self, value: &Value) -> Option<(String, String)> {
        fn check(
            fields: &[Field],
            map: &Map<String, Value>,
            path: &str,
        ) -> Option<(String, String)> {
            for f in fields {
                let Some(v) = map.get(&f.name) else { continue };
                let here = if path.is_empty() {
                    f.name.clone()
                } else {
                    format!("{path}.{}", f.name)
                };
                match (f.kind, v) {
                    (Kind::Number, Value::Number(_) | Value::Null) => {}
                    (Kind::Number, Value::String(s))
                        if s.trim().is_empty()
                            || s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {}
                    (Kind::Number, Value::String(s)) => return Some((here, s.clone())),
                    (Kind::Number, other) => return Some((here, other.to_string())),
                    (Kind::List, Value::Array(items)) if !f.fields.is_empty() => {
                        for (i, item) in items.iter().enumerate() {
                            if let Value::Object(m) = item
                                && let Some(found) = check(&f.fields, m, &format!("{here}[{i}]"))
                            {
                                return Some(found);
                            }
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        match value {
            Value::Object(map) => check(&self.fields, map, ""),
            _ => None,
        }
    }

    /// The declared field that the data lacks, by name (top level only).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

fn rename(fields: &[Field], map: &mut Map<String, Value>) {
    for f in fields {
        if let Some(alias) = &f.alias
            && !map.contains_key(&f.name)
            && let Some(v) = map.remove(alias)
        {
            map.insert(f.name.clone(), v);
        }
        if !f.fields.is_empty()
            && let Some(Value::Array(items)) = map.get_mut(&f.name)
        {
            for item in items {
                if let Value::Object(m) = item {
                    rename(&f.fields, m);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HEADER: &str = "{{!--\ndescription: 述职述廉报告\nlayout: report\nfields:\n  - {name: 年度, type: number, alias: year}\n  - {name: 述职内容, type: list, optional: true, alias: sections, fields: [{name: 标题, alias: title}, {name: 要点, type: list, optional: true, alias: items, fields: [{name: 标题, alias: title}]}]}\n--}}\n{{年度}}\n";

    #[test]
    fn header_reads_and_describes_fields() {
        let m = Meta::read(HEADER).unwrap().unwrap();
        assert_eq!(m.layout.as_deref(), Some("report"));
        assert_eq!(
            m.field_list(),
            "年度 (number), 述职内容? (list of {标题, 要点? (list of {标题})})"
        );
        // A plain comment is no header; a broken header is an error.
        assert!(Meta::read("{{!-- a note --}}\n{{x}}").unwrap().is_none());
        assert!(Meta::read("{{x}}").unwrap().is_none());
        assert!(
            Meta::read("{{!--\nfields: [{nam: x}]\n--}}")
                .unwrap_err()
                .contains("does not read")
        );
    }

    #[test]
    fn a_number_field_refuses_what_is_not_a_number() {
        let m = Meta::read(HEADER).unwrap().unwrap();
        for ok in [
            json!({"年度": 2023}),
            json!({"年度": "2023"}),
            json!({"年度": ""}),
            json!({}),
        ] {
            assert_eq!(m.wrong_type(&ok), None, "{ok}");
        }
        assert_eq!(
            m.wrong_type(&json!({"年度": "abc"})),
            Some(("年度".into(), "abc".into()))
        );
        assert_eq!(
            m.wrong_type(&json!({"年度": true})),
            Some(("年度".into(), "true".into()))
        );
        let nested = Meta::read("{{!--\nfields:\n  - {name: 项目, type: list, fields: [{name: 金额, type: number}]}\n--}}\n").unwrap().unwrap();
        assert_eq!(
            nested.wrong_type(&json!({"项目": [{"金额": 5}, {"金额": "五万"}]})),
            Some(("项目[1].金额".into(), "五万".into()))
        );
    }

    #[test]
    fn aliases_rename_nested_fields_and_chinese_wins() {
        let m = Meta::read(HEADER).unwrap().unwrap();
        let mut v = json!({"year": 2023, "sections": [{"title": "a", "items": [{"title": "b"}]}]});
        m.apply_aliases(&mut v);
        assert_eq!(
            v,
            json!({"年度": 2023, "述职内容": [{"标题": "a", "要点": [{"标题": "b"}]}]})
        );
        let mut v = json!({"年度": 2024, "year": 2023});
        m.apply_aliases(&mut v);
        assert_eq!(v, json!({"年度": 2024, "year": 2023}));
    }
}
