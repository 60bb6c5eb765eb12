//! Every kind of 公文 an office sends, read as a clerk typed it (issue 22): 命令, 公告, 通报,
//! 批复, 决定, 规则 with 章 and 条, enclosed documents, a typed 版头, dates in any common form.
//! Each fixture in tests/fixtures/kinds/ is a realistic draft of its kind. Two things are
//! checked for each:
//!
//! - what `gongwen explain` says each line became equals `NAME.explain` beside the draft (the
//!   roles we expect, read once by a person; `REPLACE=1` rewrites them, and the diff is read
//!   before it is committed);
//! - rendered to PDF and DOCX, every check of gbcheck and structcheck (cases in
//!   tests/fixtures/kinds.json) passes on our PDF and on LibreOffice's rendering of our DOCX,
//!   with no character lost and the same page count ([`crate::pages::check_fixtures`]).

use crate::harness;
use crate::harness::ROOT;
use crate::pages::{check_fixtures, source};

/// (fixture stem in tests/fixtures/kinds/, extra `render` arguments).
pub(crate) const FIXTURES: &[(&str, &[&str])] = &[
    ("pifu", &[]),
    ("typed-head", &[]),
    ("typed-head-docx", &[]),
    ("mingling", &[]),
    ("gonggao", &[]),
    ("tongbao", &[]),
    ("jueding", &[]),
    ("guize", &[]),
    ("han-yuan", &[]),
    ("tongzhi-guiding", &[]),
    ("dates", &[]),
    ("numbering", &[]),
];

#[test]
fn explain_shows_the_roles_each_kind_expects() {
    let mut failures = Vec::new();
    for (name, extra) in FIXTURES {
        let input = source("kinds", name);
        // `explain` takes the template and layout options `render` does, not `-o`.
        let args: Vec<&str> = extra
            .chunks(2)
            .filter(|kv| kv[0] == "--template")
            .flatten()
            .copied()
            .collect();
        let o = harness::command()
            .arg("explain")
            .arg(&input)
            .args(&args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", harness::stderr(&o));
        // The first line names the file by its path, which differs between machines.
        let said: String = String::from_utf8_lossy(&o.stdout)
            .lines()
            .skip(1)
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        let want_file = format!("{ROOT}/tests/fixtures/kinds/{name}.explain");
        if std::env::var_os("REPLACE").is_some() {
            std::fs::write(&want_file, &said).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&want_file).unwrap_or_default();
        if said != want {
            failures.push(format!(
                "{name}: explain says\n{said}\nexpected ({want_file})\n{want}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_passes_both_checkers_as_pdf_and_as_libreoffice_docx() {
    check_fixtures("kinds", FIXTURES);
}
