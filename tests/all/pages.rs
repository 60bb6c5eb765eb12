//! Pages a typesetter would sign (issue 21): realistic documents whose pages used to end early —
//! numbered lists, agendas, run-in paragraphs, 规则 clauses, long and wide tables — each rendered
//! to PDF and DOCX, and every check of tests/tools/gbcheck.py (`lines_per_page` and
//! `table_rows_split` among them) and tests/tools/structcheck.py (cases in
//! tests/fixtures/pages.json) run on our PDF and on LibreOffice's rendering of our DOCX: all
//! pass, no character is lost, and both have the same number of pages; the DOCX is valid
//! against the ISO 29500 schemas (tests/tools/docxcheck.py).
//!
//! Fixtures are plain-text drafts in tests/fixtures/pages/, one document each. A fixture's text
//! as gbcheck must find it is the draft's lines without markup (`@…`) lines.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness;
use crate::harness::ROOT;

/// (fixture stem in tests/fixtures/pages/, extra `render` arguments).
pub(crate) const FIXTURES: &[(&str, &[&str])] = &[
    ("tab-table", &[]),
    ("two-row-header", &[]),
    ("list-items", &[]),
    ("agenda", &[]),
    ("run-in", &[]),
    ("rules", &[]),
    ("closing-overrun", &[]),
    ("long-table", &[]),
    ("wide-table", &[]),
    // A number-heavy 审计工作报告: amounts, percentages, dates and GDP/PPP/EPC among Chinese
    // text, where LibreOffice's autospace and punctuation rules decide the line breaks (issue 23).
    ("audit", &[]),
];

/// A fixture's draft: `tests/fixtures/DIR/NAME.txt` (or `.docx`, `.yaml`), else
/// `tests/fixtures/NAME.txt`.
pub(crate) fn source(dir: &str, name: &str) -> PathBuf {
    for ext in ["txt", "docx", "yaml", "json", "toml"] {
        let own = Path::new(ROOT).join(format!("tests/fixtures/{dir}/{name}.{ext}"));
        if own.exists() {
            return own;
        }
    }
    Path::new(ROOT).join(format!("tests/fixtures/{name}.txt"))
}

/// The text gbcheck must find: `NAME.expect.txt` beside the draft where there is one (a Word
/// draft, a data file), else the draft's lines without markup lines or blank lines.
pub(crate) fn expected_text(dir: &str, name: &str) -> String {
    let given = source(dir, name).with_extension("expect.txt");
    if given.exists() {
        return std::fs::read_to_string(given).unwrap();
    }
    std::fs::read_to_string(source(dir, name))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('@'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every failed check of a gbcheck report, and a missing figure that should be there.
pub(crate) fn gbcheck_failures(pdf: &Path, expect: &Path) -> (Vec<String>, Value) {
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

/// gbcheck's checks that cannot apply to a landscape page (a 横排表格, GB/T 9704 8), with why;
/// each is forgiven only where tests/support/turned.py, which maps every character of a
/// landscape page back onto the portrait paper, shows that what it asks for holds there.
///
/// - `text_complete` (and `chars_lost`): gbcheck reads upright characters only, and our PDF turns
///   the table's; forgiven when no expected character is missing, upright or turned.
/// - `lines_per_page`: the page before a landscape page may end a line or two early (the table
///   starts a page of its own, and the text after it that floats ahead fills that page in whole
///   paragraphs), and gbcheck, not seeing our turned table, does not excuse it as it excuses a
///   page before a table; forgiven when every short page is followed by a landscape page and
///   ends no more than two grid lines early.
/// - `page_a4`, `margin_top`, `margin_right`, `margin_bottom`, `margin_left`: LibreOffice
///   exports a landscape section as a landscape page, measured against the portrait body area;
///   forgiven when every character of the landscape pages, on the paper, is in the body area.
/// - `page_numbers`: a landscape page's number is turned with it (it reads upright on the
///   paper); forgiven when only landscape pages are named and each one's number is, on the
///   paper, within 2 mm of where the portrait pages have theirs.
/// - `table_rows_split`: measured against the portrait foot (262 mm), not the landscape page's
///   (the paper's right edge of the body area); forgiven when only landscape pages are named and
///   no landscape page ends its table more than two grid lines early.
pub(crate) fn landscape_forgiven(failed: Vec<String>, pdf: &Path, expect: &Path) -> Vec<String> {
    let t = harness::python_json("support/turned.py", [pdf, expect]);
    let landscape: Vec<u64> = t["landscape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    if landscape.is_empty() {
        return failed;
    }
    // The pages a check's detail names (`p3: …`, `'p2:4'`).
    let named = |f: &str| -> Vec<u64> {
        f.split('p')
            .skip(1)
            .filter_map(|w| {
                let n: String = w.chars().take_while(char::is_ascii_digit).collect();
                w[n.len()..]
                    .starts_with(':')
                    .then(|| n.parse().ok())
                    .flatten()
            })
            .collect()
    };
    let mm = |v: &Value| v.as_f64().unwrap();
    let numbers_in_place = t["page_numbers"].as_array().unwrap().len() == landscape.len()
        && t["page_numbers"].as_array().unwrap().iter().all(|n| {
            let (page, x0, x1, mid) = (n[0].as_u64().unwrap(), mm(&n[1]), mm(&n[2]), mm(&n[3]));
            // 7.5: 7 mm under the body area (262 mm), one 14 pt character in from its edge.
            let edge = if page % 2 == 1 {
                (x1 - 179.06).abs()
            } else {
                (x0 - 32.94).abs()
            };
            edge <= 2.0 && (mid - 269.0).abs() <= 2.0
        });
    let gaps_ok = t["table_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| mm(&g[1]) <= 2.5);
    let check = |f: &str| f.split(':').next().unwrap_or("").to_string();
    failed
        .into_iter()
        .filter(|f| {
            let forgiven = match check(f).as_str() {
                "text_complete" | "chars_lost" => t["chars_lost"] == 0,
                "lines_per_page" => {
                    // The text after the table floats ahead of it (plan::table_flow::
                    // float_landscape), so the page before it ends at most two lines early.
                    let short = named(f.split("short").nth(1).unwrap_or(""));
                    // `'p2:21'`: the page, then its last grid line.
                    let filled = f
                        .split("short")
                        .nth(1)
                        .unwrap_or("")
                        .split('\'')
                        .filter_map(|w| w.strip_prefix('p')?.split_once(':'))
                        .all(|(_, n)| n.parse::<u32>().is_ok_and(|n| n >= 20));
                    !short.is_empty()
                        && filled
                        && short.iter().all(|p| landscape.contains(&(p + 1)))
                }
                "page_a4" | "margin_top" | "margin_right" | "margin_bottom" | "margin_left" => {
                    t["outside"] == 0
                }
                "page_numbers" => {
                    let pages = named(f);
                    numbers_in_place && pages.iter().all(|p| landscape.contains(p))
                }
                "table_rows_split" => {
                    let pages = named(f);
                    gaps_ok && pages.iter().all(|p| landscape.contains(p))
                }
                _ => false,
            };
            !forgiven
        })
        .collect()
}

pub(crate) fn structcheck_failures(pdf: &Path, cases: &str, name: &str) -> Vec<String> {
    let o = harness::python(
        "tools/structcheck.py",
        [
            pdf.to_str().unwrap(),
            "--expect",
            &format!("{ROOT}/tests/fixtures/{cases}.json"),
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

/// Whether a case of `tests/fixtures/DIR.json` says its document has no title line
/// (`"no_title": true`, as structcheck reads it): a 命令(令) has its 标志 and 令号 instead
/// (GB/T 9704 10.2), so gbcheck's `title` check does not apply.
pub(crate) fn no_title(cases: &str, name: &str) -> bool {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/fixtures/{cases}.json")).unwrap();
    let all: Value = serde_json::from_str(&text).unwrap();
    all[name]["no_title"] == Value::Bool(true)
}

#[test]
fn every_fixture_passes_both_checkers_as_pdf_and_as_libreoffice_docx() {
    check_fixtures("pages", FIXTURES);
}

/// Render each fixture of `tests/fixtures/DIR/` (cases in `tests/fixtures/DIR.json`) to PDF and
/// DOCX; gbcheck and structcheck must pass on our PDF and on LibreOffice's rendering of our
/// DOCX, with no character lost and the same page count, and the DOCX must be schema-valid.
pub(crate) fn check_fixtures(dir: &str, fixtures: &[(&str, &[&str])]) {
    let tmp = tempfile::tempdir().unwrap();
    let mut docx = Vec::new();
    let mut failures = Vec::new();
    let mut ours = Vec::new();
    for (name, extra) in fixtures {
        let input = source(dir, name);
        let o = harness::command()
            .arg("render")
            .arg(&input)
            .args(["-o", tmp.path().to_str().unwrap(), "--no-system-fonts"])
            .args(*extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", harness::stderr(&o));
        let expect = tmp.path().join(format!("{name}.expect.txt"));
        std::fs::write(&expect, expected_text(dir, name)).unwrap();
        let pdf = tmp.path().join(format!("{name}.pdf"));
        let (failed, report) = gbcheck_failures(&pdf, &expect);
        let mut failed = landscape_forgiven(failed, &pdf, &expect);
        failed.retain(|f| !(f.starts_with("title:") && no_title(dir, name)));
        failed.extend(structcheck_failures(&pdf, dir, name));
        for f in failed {
            failures.push(format!("{name} (our PDF): {f}"));
        }
        ours.push(report["figures"]["pages"].clone());
        // The DOCX (landscape sections, split rows, repeated headers) is valid against the ISO
        // 29500 schemas Word holds to.
        let file = tmp.path().join(format!("{name}.docx"));
        let check = harness::python("tools/docxcheck.py", [&file]);
        if !check.status.success() {
            failures.push(format!(
                "{name} (DOCX): docxcheck: {}",
                String::from_utf8_lossy(&check.stdout).trim()
            ));
        }
        docx.push(file);
    }
    let lo = tmp.path().join("lo");
    harness::libreoffice_pdfs(&docx, &lo);
    for ((name, _), pages) in fixtures.iter().zip(&ours) {
        let pdf = lo.join(format!("{name}.pdf"));
        let expect = tmp.path().join(format!("{name}.expect.txt"));
        let (failed, report) = gbcheck_failures(&pdf, &expect);
        let mut failed = landscape_forgiven(failed, &pdf, &expect);
        failed.retain(|f| !(f.starts_with("title:") && no_title(dir, name)));
        failed.extend(structcheck_failures(&pdf, dir, name));
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
