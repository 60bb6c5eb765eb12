//! One source for both outputs: moving the 版头's red rule 2 mm further from the 发文字号 in the
//! layout file moves it 2 mm in our PDF and in LibreOffice's rendering of our DOCX, with the
//! title after it kept on the grid (7.2.7, 7.3.1).

use std::path::Path;
use std::process::Command;

use crate::harness;
use crate::harness::ROOT;

const MM: f64 = 72.0 / 25.4;

/// Top edges (points from the paper's top) of the red rules on page 1 of a PDF.
fn red_rules(pdf: &Path) -> Vec<f64> {
    let script = r#"
import sys, json, pdfplumber
p = pdfplumber.open(sys.argv[1]).pages[0]
out = []
for r in p.rects + p.lines + p.curves:
    c = r.get("non_stroking_color") or r.get("stroking_color") or ()
    if isinstance(c, (list, tuple)) and len(c) == 3 and c[0] > 0.9 and c[1] < 0.1 and c[2] < 0.1 and r["width"] > 300:
        out.append((r["top"] + r["bottom"]) / 2)
print(json.dumps(sorted(out)))
"#;
    let o = Command::new("python3")
        .args(["-c", script, pdf.to_str().unwrap()])
        .output()
        .expect("python3 with pdfplumber is required; run `bash .ci/run`");
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)))
}

fn render(layout: &Path, out: &Path) {
    let o = harness::command()
        .args([
            "render",
            &format!("{ROOT}/data/tongzhi.json"),
            "--no-system-fonts",
        ])
        .arg("--layout")
        .arg(layout)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    harness::libreoffice_pdfs(&[out.join("tongzhi.docx")], &out.join("lo"));
}

#[test]
fn moving_the_red_rule_in_the_layout_moves_it_in_both_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(format!("{ROOT}/layouts/gbt9704.toml")).unwrap();
    let moved = base.replace("rule_gap_mm = 4.0", "rule_gap_mm = 6.0");
    assert_ne!(base, moved, "gbt9704.toml has no rule_gap_mm = 4.0");
    let mut found = Vec::new();
    for (name, text) in [("base", &base), ("moved", &moved)] {
        let layout = dir.path().join(format!("{name}.toml"));
        std::fs::write(&layout, text).unwrap();
        let out = dir.path().join(name);
        render(&layout, &out);
        let pdf = red_rules(&out.join("tongzhi.pdf"));
        let lo = red_rules(&out.join("lo/tongzhi.pdf"));
        assert_eq!(pdf.len(), 1, "{name}: our PDF's red rules {pdf:?}");
        assert_eq!(lo.len(), 1, "{name}: LibreOffice's red rules {lo:?}");
        // Both outputs put it at the same place.
        assert!(
            (pdf[0] - lo[0]).abs() < 0.5 * MM,
            "{name}: PDF {} mm, DOCX {} mm",
            pdf[0] / MM,
            lo[0] / MM
        );
        found.push((pdf[0], lo[0]));
    }
    let (a, b) = (found[0], found[1]);
    assert!(
        ((b.0 - a.0) - 2.0 * MM).abs() < 0.1 * MM,
        "PDF moved {} mm",
        (b.0 - a.0) / MM
    );
    assert!(
        ((b.1 - a.1) - 2.0 * MM).abs() < 0.3 * MM,
        "DOCX moved {} mm",
        (b.1 - a.1) / MM
    );
}
