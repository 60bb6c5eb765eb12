//! The DOCX stays right when people edit it (GB/T 9704 7.4, 7.3.5): each bundled example whose
//! 版记 has an 印发 line (文件格式, printed double-sided) is edited as a user would
//! (`tests/tools/docx_edit.py`: a long paragraph copied 3 or 10 times, or the 3 longest
//! deleted), laid out by LibreOffice, and checked: the 版记 ends the last page on the body's last
//! grid line (`colophon_check.py`; `--any-parity` after an edit, since no OOXML construction moves
//! it to the next even page by itself), and 署名/日期 never stand alone (gbcheck's
//! `signature_not_alone`). The unedited DOCX must have its 版记 on an even page.

use crate::harness;
use crate::harness::ROOT;
use harness::libreoffice_pdfs as libreoffice;

const EXAMPLES: &[&str] = &["tongzhi.json", "qingshi.yaml", "baogao.yaml", "jiyao.yaml"];

#[test]
fn the_colophon_stays_at_the_foot_and_the_signature_keeps_body_text_after_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut docx = Vec::new();
    for example in EXAMPLES {
        let o = harness::command()
            .args([
                "render",
                &format!("{ROOT}/data/{example}"),
                "--format",
                "docx",
            ])
            .args(["--no-system-fonts", "-o"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stem = example.rsplit_once('.').unwrap().0;
        let made = dir.path().join(format!("{stem}.docx"));
        for (mode, n) in [("grow", "3"), ("grow", "10"), ("shrink", "3")] {
            let edited = dir.path().join(format!("{stem}-{mode}{n}.docx"));
            let o = harness::python(
                "tools/docx_edit.py",
                [made.to_str().unwrap(), edited.to_str().unwrap(), mode, n],
            );
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            docx.push(edited);
        }
        docx.push(made);
    }
    let lo = dir.path().join("lo");
    libreoffice(&docx, &lo);
    let mut failures = Vec::new();
    for d in &docx {
        let name = d.file_stem().unwrap().to_str().unwrap();
        let pdf = lo.join(format!("{name}.pdf"));
        let edited = name.contains('-');
        let mut args = vec![];
        if edited {
            args.push("--any-parity");
        }
        args.push(pdf.to_str().unwrap());
        let o = harness::python("tools/colophon_check.py", &args);
        let said = String::from_utf8_lossy(&o.stdout).trim().to_string();
        eprintln!("{name}: {said}");
        if !o.status.success() {
            failures.push(format!("{name}: colophon_check: {said}"));
        }
        let report = harness::python_json("tools/gbcheck.py", [pdf.to_str().unwrap(), "--json"]);
        let alone = &report["checks"]["signature_not_alone"];
        if alone["ok"] != serde_json::Value::Bool(true) {
            failures.push(format!("{name}: {}", alone["detail"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
