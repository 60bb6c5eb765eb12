//! Pages a typesetter would sign (issue 21): realistic documents whose pages used to end early —
//! numbered lists, agendas, run-in paragraphs, 规则 clauses, long and wide tables — each rendered
//! to PDF and DOCX, and every check of tests/tools/gbcheck.py (`lines_per_page` and
//! `table_rows_split` among them) and tests/tools/structcheck.py (cases in
//! tests/fixtures/pages.json) run on our PDF and on LibreOffice's rendering of our DOCX: all
//! pass, no character is lost, and both have the same number of pages.
//!
//! Fixtures are plain-text drafts in tests/fixtures/pages/, one document each. A fixture's text
//! as gbcheck must find it is the draft's lines without markup (`@…`) lines.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness;
use crate::harness::ROOT;

/// (fixture stem in tests/fixtures/pages/, extra `render` arguments).
const FIXTURES: &[(&str, &[&str])] = &[
    ("tab-table", &[]),
    ("two-row-header", &[]),
    ("list-items", &[]),
    ("agenda", &[]),
    ("run-in", &[]),
    ("rules", &[]),
    ("closing-overrun", &[]),
    ("long-table", &[]),
];

fn source(name: &str) -> PathBuf {
    let own = Path::new(ROOT).join(format!("tests/fixtures/pages/{name}.txt"));
    if own.exists() {
        own
    } else {
        Path::new(ROOT).join(format!("tests/fixtures/{name}.txt"))
    }
}

/// The text gbcheck must find: the draft's lines without markup lines or blank lines.
fn expected_text(name: &str) -> String {
    std::fs::read_to_string(source(name))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('@'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every failed check of a gbcheck report, and a missing figure that should be there.
fn gbcheck_failures(pdf: &Path, expect: &Path) -> (Vec<String>, Value) {
    let report = harness::python_json(
        "tools/gbcheck.py",
        [
            pdf.to_str().unwrap(),
            "--json",
            "--expect",
            expect.to_str().unwrap(),
        ],
    );
    let checks = report["checks"].as_object().unwrap();
    let mut failed: Vec<String> = checks
        .iter()
        .filter(|(_, v)| v["ok"] != Value::Bool(true))
        .map(|(k, v)| format!("{k}: {}", v["detail"]))
        .collect();
    for check in ["lines_per_page", "text_complete", "signature_not_alone"] {
        if !checks.contains_key(check) {
            failed.push(format!("gbcheck ran no {check}"));
        }
    }
    if report["figures"]["chars_lost"] != 0 {
        failed.push(format!("chars_lost: {}", report["figures"]["chars_lost"]));
    }
    (failed, report)
}

fn structcheck_failures(pdf: &Path, name: &str) -> Vec<String> {
    let o = harness::python(
        "tools/structcheck.py",
        [
            pdf.to_str().unwrap(),
            "--expect",
            &format!("{ROOT}/tests/fixtures/pages.json"),
            "--case",
            name,
        ],
    );
    if o.status.success() {
        vec![]
    } else {
        vec![format!(
            "structcheck: {}",
            String::from_utf8_lossy(&o.stdout).trim()
        )]
    }
}

#[test]
fn every_fixture_passes_both_checkers_as_pdf_and_as_libreoffice_docx() {
    let dir = tempfile::tempdir().unwrap();
    let mut docx = Vec::new();
    let mut failures = Vec::new();
    let mut ours = Vec::new();
    for (name, extra) in FIXTURES {
        let input = source(name);
        let o = harness::command()
            .arg("render")
            .arg(&input)
            .args(["-o", dir.path().to_str().unwrap(), "--no-system-fonts"])
            .args(*extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", harness::stderr(&o));
        let expect = dir.path().join(format!("{name}.expect.txt"));
        std::fs::write(&expect, expected_text(name)).unwrap();
        let pdf = dir.path().join(format!("{name}.pdf"));
        let (mut failed, report) = gbcheck_failures(&pdf, &expect);
        failed.extend(structcheck_failures(&pdf, name));
        for f in failed {
            failures.push(format!("{name} (our PDF): {f}"));
        }
        ours.push(report["figures"]["pages"].clone());
        docx.push(dir.path().join(format!("{name}.docx")));
    }
    let lo = dir.path().join("lo");
    harness::libreoffice_pdfs(&docx, &lo);
    for ((name, _), pages) in FIXTURES.iter().zip(&ours) {
        let pdf = lo.join(format!("{name}.pdf"));
        let expect = dir.path().join(format!("{name}.expect.txt"));
        let (mut failed, report) = gbcheck_failures(&pdf, &expect);
        failed.extend(structcheck_failures(&pdf, name));
        if &report["figures"]["pages"] != pages {
            failed.push(format!(
                "{} pages, our PDF {pages}",
                report["figures"]["pages"]
            ));
        }
        for f in failed {
            failures.push(format!("{name} (LibreOffice's rendering of our DOCX): {f}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
