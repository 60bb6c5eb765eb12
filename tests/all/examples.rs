//! Every bundled example (data/*) renders to PDF and a schema-valid DOCX; tests/tools/gbcheck.py passes
//! on each PDF and its geometry checks pass on LibreOffice's rendering of each DOCX, with the
//! same page count. The only checks allowed to fail are the ones a format breaks on purpose,
//! each listed with its clause.

use std::path::Path;

use serde_json::Value;

use crate::harness;
use crate::harness::ROOT;

/// (example, checks its format fails on purpose).
pub(crate) const EXAMPLES: &[(&str, &[&str])] = &[
    ("shuzhi-report.txt", &[]),
    // The unit/post/name line under a report's title is 3号楷体 (practice for 述职报告);
    // gbcheck expects 仿宋 on every line that is not a numbered heading.
    ("shuzhi-2023.yaml", &["role_fonts"]),
    ("tongzhi.json", &[]),
    ("qingshi.yaml", &[]),
    ("baogao.yaml", &[]),
    // 信函 (10.1): the 标志 sits 30 mm from the paper's top, above the body area, and page 1
    // shows no number.
    ("han.yaml", &["margin_top", "page_numbers"]),
    // 纪要 (10.3): 出席/请假/列席 labels are 3号黑体.
    ("jiyao.yaml", &["role_fonts"]),
    // 命令（令） (10.2): no 22 pt title; the 标志 and 令号 stand in its place.
    ("ling.yaml", &["title"]),
    // 公告 and 决定: the number or 题注 under the title is 3号楷体, centred, as a subtitle.
    ("gonggao.yaml", &["role_fonts"]),
    ("tonggao.yaml", &[]),
    ("pifu.yaml", &[]),
    ("jueding.yaml", &["role_fonts"]),
    ("yijian.yaml", &[]),
    ("dafu.yaml", &[]),
    // 通报: its 附件 a list of 24 windows that runs onto page 4, the 版记 at its foot.
    ("tongbao.yaml", &[]),
];

const GEOMETRY: &[&str] = &[
    "page_a4",
    "margin",
    "line_pitch",
    "on_grid",
    "lines_per_page",
    "char_pitch",
    "chars_per_line",
    "line_breaking",
    "indents",
    "page_numbers",
];

fn gbcheck(pdf: &Path) -> Value {
    harness::python_json("tools/gbcheck.py", [pdf.to_str().unwrap(), "--json"])
}

fn failures(report: &Value, only: Option<&[&str]>, allowed: &[&str]) -> Vec<String> {
    report["checks"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| {
            !v["ok"].as_bool().unwrap()
                && only.is_none_or(|o| o.iter().any(|n| k.starts_with(n)))
                && !allowed.contains(&k.as_str())
        })
        .map(|(k, v)| format!("{k}: {}", v["detail"]))
        .collect()
}

#[test]
fn every_example_passes_gbcheck_as_pdf_and_as_libreoffice_docx() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let mut shares = Vec::new();
    for (example, allowed) in EXAMPLES {
        let input = format!("{ROOT}/data/{example}");
        let o = harness::command()
            .args(["render", &input, "-o", out, "--no-system-fonts"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stem = example.rsplit_once('.').unwrap().0;
        let pdf = dir.path().join(format!("{stem}.pdf"));
        let docx = dir.path().join(format!("{stem}.docx"));
        let ours = gbcheck(&pdf);
        assert_eq!(
            failures(&ours, None, allowed),
            Vec::<String>::new(),
            "{example} (our PDF)"
        );
        // The DOCX is valid against the ISO 29500 schemas Word holds to.
        let check = harness::python("tools/docxcheck.py", [docx.to_str().unwrap()]);
        assert!(
            check.status.success(),
            "{example}: docxcheck: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let lo_dir = dir.path().join("lo");
        harness::libreoffice_pdfs(std::slice::from_ref(&docx), &lo_dir);
        let lo = lo_dir.join(format!("{stem}.pdf"));
        let theirs = gbcheck(&lo);
        assert_eq!(
            failures(&theirs, Some(GEOMETRY), allowed),
            Vec::<String>::new(),
            "{example} (LibreOffice's rendering of our DOCX)"
        );
        assert_eq!(
            theirs["figures"]["pages"], ours["figures"]["pages"],
            "{example}: page count"
        );
        let cmp = harness::python(
            "support/pdflines.py",
            [pdf.to_str().unwrap(), lo.to_str().unwrap()],
        );
        let cmp: Value = serde_json::from_slice(&cmp.stdout).unwrap();
        shares.push(format!(
            "{example}: {}/{} lines break alike",
            cmp["same"], cmp["lines_a"]
        ));
        assert!(cmp["share"].as_f64().unwrap() >= 0.95, "{example}: {cmp}");
    }
    eprintln!("{}", shares.join("\n"));
}
