//! The DOCX stays right when people edit it (GB/T 9704 7.4, 7.5, 7.3.5): each bundled example
//! with a 版记 is edited as a user would (`tests/tools/docx_edit.py`: a long paragraph copied 3
//! or 10 times, the 3 longest deleted, 10 copies made and deleted again, the 抄送 grown to 2, 4
//! and 6 lines), laid out by LibreOffice (one soffice run for every file), and checked: the 版记
//! ends the last page on the body's last grid line (`colophon_check.py`; `--any-parity` after an
//! edit, since no OOXML construction moves it to the next even page by itself), no body text
//! runs under it (`tests/support/colophon_place.py`: the body's last glyphs above its first
//! rule), no page is blank but one right before the 版记's, blank pages and a 版记 page after one
//! carry no number, and 署名/日期 never stand alone (gbcheck's `signature_not_alone`). The
//! unedited DOCX has its 版记 on an even page, and LibreOffice numbers its pages as our PDF does.

use crate::harness;
use crate::harness::ROOT;
use harness::libreoffice_pdfs as libreoffice;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The bundled examples with a 版记, and how many units (`docx_edit.py cc N`) make their 抄送
/// 2, 4 and 6 lines long (none: no 抄送 line to grow). `dafu` has no 印发 line and, its body
/// ending on page 1, its 版记 on page 2 of its own; `han` (信函) has neither 印发 nor rules and
/// prints one-sided.
const EXAMPLES: &[(&str, Option<[u32; 3]>)] = &[
    ("tongzhi.json", Some([1, 14, 24])),
    ("qingshi.yaml", None),
    ("baogao.yaml", None),
    ("jiyao.yaml", None),
    ("pifu.yaml", None),
    ("tongbao.yaml", None),
    ("yijian.yaml", None),
    ("dafu.yaml", Some([2, 14, 24])),
    ("han.yaml", Some([5, 17, 27])),
];

/// A 通知 whose body fills pages 1 and 2: its 版记 goes to page 4, past a blank page 3, and
/// neither carries a number (7.4, 7.5).
fn full_even_page() -> String {
    let mut text = String::from(
        "@印发机关: 青山县人民政府办公室\n@印发日期: 2023年7月2日\n关于开展检查的通知\n",
    );
    for i in 1..=21 {
        text.push_str(&format!(
            "第{i}项工作已经完成，各单位要认真总结经验，查找问题和不足，完善制度，抓好整改落实。\n"
        ));
    }
    text
}

fn edit(from: &Path, to: &Path, mode: &str, n: &str) {
    let o = harness::python(
        "tools/docx_edit.py",
        [from.to_str().unwrap(), to.to_str().unwrap(), mode, n],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn the_colophon_grows_stays_at_the_foot_and_pages_stay_right_after_edits() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full-even.txt");
    std::fs::write(&full, full_even_page()).unwrap();
    let mut inputs: Vec<(String, Option<[u32; 3]>)> = EXAMPLES
        .iter()
        .map(|(e, cc)| (format!("{ROOT}/data/{e}"), *cc))
        .collect();
    inputs.push((full.to_str().unwrap().to_string(), None));
    // (DOCX, edited, 抄送 lines wanted, has an 印发 line)
    let mut docx: Vec<(PathBuf, bool, Option<usize>)> = Vec::new();
    let mut ours = Vec::new();
    for (input, cc) in &inputs {
        let o = harness::command()
            .args(["render", input, "--no-system-fonts", "-o"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stem = std::path::Path::new(input)
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let made = dir.path().join(format!("{stem}.docx"));
        ours.push((stem.clone(), dir.path().join(format!("{stem}.pdf"))));
        let at = |name: &str| dir.path().join(format!("{stem}-{name}.docx"));
        // Not the 3 longest paragraphs of the full-even-page 通知 deleted: its 版记 section still
        // starts on the next even page, past a blank page, though page 2 now has room for it
        // (README, "The DOCX's 版记": the even-page rule after edits).
        let shrink = !input.ends_with(".txt");
        for (mode, n) in [("grow", "3"), ("grow", "10"), ("shrink", "3")] {
            if mode == "shrink" && !shrink {
                continue;
            }
            edit(&made, &at(&format!("{mode}{n}")), mode, n);
            docx.push((at(&format!("{mode}{n}")), true, None));
        }
        // Ten copies made and deleted again: the pages they took leave nothing behind.
        edit(&at("grow10"), &at("back10"), "shrink", "10");
        docx.push((at("back10"), true, None));
        for (lines, n) in [2, 4, 6].into_iter().zip(cc.iter().flatten()) {
            let to = at(&format!("cc{lines}"));
            edit(&made, &to, "cc", &n.to_string());
            docx.push((to, true, Some(lines)));
        }
        docx.push((made, false, None));
    }
    let lo = dir.path().join("lo");
    let files: Vec<PathBuf> = docx.iter().map(|(d, ..)| d.clone()).collect();
    libreoffice(&files, &lo);
    let pdf_of = |d: &PathBuf| lo.join(d.with_extension("pdf").file_name().unwrap());
    let places = harness::python_json(
        "support/colophon_place.py",
        files
            .iter()
            .map(|d| pdf_of(d).to_str().unwrap().to_string())
            .chain(ours.iter().map(|(_, p)| p.to_str().unwrap().to_string())),
    );
    let places = places.as_array().unwrap();
    let mut failures = Vec::new();
    for ((d, edited, cc_lines), place) in docx.iter().zip(places) {
        let name = d.file_stem().unwrap().to_str().unwrap();
        let pdf = pdf_of(d);
        let lines: Vec<&str> = place["lines"]
            .as_array()
            .map(|l| l.iter().map(|t| t.as_str().unwrap()).collect())
            .unwrap_or_default();
        let printer = lines.last().is_some_and(|l| l.ends_with("印发"));
        eprintln!("{name}: {place}");
        if printer {
            let mut args = vec![];
            if *edited {
                args.push("--any-parity");
            }
            args.push(pdf.to_str().unwrap());
            let o = harness::python("tools/colophon_check.py", &args);
            let said = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if !o.status.success() {
                failures.push(format!("{name}: colophon_check: {said}"));
            }
        } else {
            // No 印发 line: the 抄送's last line ends the body area (262 mm) all the same.
            let bottom = place["last_bottom_mm"].as_f64().unwrap_or(0.0);
            let last_page = place["page"] == place["pages"];
            if (bottom - 262.0).abs() > 6.0 || !last_page {
                failures.push(format!("{name}: the 版记's last line ends at {bottom} mm"));
            }
            // Printed double-sided (not the 信函): the unedited 版记 on an even page.
            let odd = place["pages"].as_u64().unwrap() % 2 == 1;
            if !edited && odd && !name.starts_with("han") {
                failures.push(format!("{name}: the 版记 on odd page {}", place["pages"]));
            }
        }
        if place["overlap"] != Value::Bool(false) {
            failures.push(format!("{name}: body text runs under the 版记: {place}"));
        }
        if let Some(want) = cc_lines {
            let got = lines.len() - usize::from(printer);
            if got != *want {
                failures.push(format!("{name}: 抄送 of {got} lines, not {want}"));
            }
        }
        failures.extend(page_problems(name, place, *edited));
        let report = harness::python_json("tools/gbcheck.py", [pdf.to_str().unwrap(), "--json"]);
        let alone = &report["checks"]["signature_not_alone"];
        if alone["ok"] != Value::Bool(true) {
            failures.push(format!("{name}: {}", alone["detail"]));
        }
    }
    // Our PDF: the same rules; LibreOffice's rendering of the unedited DOCX numbers the same
    // pages as our PDF does.
    let unedited = docx
        .iter()
        .zip(places)
        .filter(|((_, edited, _), _)| !edited);
    for ((stem, _), (ours_place, (_, theirs))) in
        ours.iter().zip(places[docx.len()..].iter().zip(unedited))
    {
        failures.extend(page_problems(
            &format!("{stem} (our PDF)"),
            ours_place,
            false,
        ));
        if ours_place["numbers"] != theirs["numbers"] {
            failures.push(format!(
                "{stem}: page numbers {} in our PDF, {} in LibreOffice's",
                ours_place["numbers"], theirs["numbers"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Blank pages: only one, right before the 版记's page; it and the 版记 page after it carry no
/// number (7.5); numbered pages carry their own number. After an edit, the 版记 page's footer is
/// the one written for the unedited pagination (numbered when no blank page came before it):
/// only the blank page's is checked then.
fn page_problems(name: &str, place: &Value, edited: bool) -> Vec<String> {
    let mut out = Vec::new();
    let pages = place["pages"].as_u64().unwrap() as usize;
    let colophon = place["page"].as_u64().map(|p| p as usize);
    let blank: Vec<usize> = place["blank"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as usize)
        .collect();
    let allowed = colophon.map(|c| c - 1);
    if blank.iter().any(|b| Some(*b) != allowed) || colophon != Some(pages) && colophon.is_some() {
        out.push(format!(
            "{name}: blank page(s) {blank:?} of {pages}, 版记 on {colophon:?}"
        ));
    }
    let numbers = place["numbers"].as_array().unwrap();
    for (i, n) in numbers.iter().enumerate() {
        let page = i + 1;
        let after_blank = colophon == Some(page) && blank.contains(&(page - 1));
        let unnumbered = blank.contains(&page) || after_blank;
        if (blank.contains(&page) || after_blank && !edited) && !n.is_null() {
            out.push(format!("{name}: page {page} is numbered {n}"));
        }
        if !unnumbered && !n.is_null() && n.as_u64() != Some(page as u64) {
            out.push(format!("{name}: page {page} is numbered {n}"));
        }
    }
    out
}
