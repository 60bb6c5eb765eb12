//! The 署名 a clerk retypes (issue 23, item 7; GB/T 9704 7.3.5): our DOCX sets the 署名 and the
//! 成文日期 flush right with a right indent, so a longer organ name typed over the 署名 in Word
//! grows to the left, stays one line and ends where the old one did. Placed by a left indent
//! (16 characters in, before), it wrapped. Checked in LibreOffice's rendering of examples without
//! a seal (通知), with one (请示: the 署名 centred over the date, 7.3.5.1) and a 信函.

use crate::harness;
use crate::harness::ROOT;

/// Examples, and the longer name typed over their 署名 (17 characters).
const EXAMPLES: &[&str] = &["tongzhi.json", "qingshi.yaml", "han.yaml"];
const LONGER: &str = "青山县人民政府安全生产委员会办公室";

/// The last line of a PDF whose text is `text`: (page, x0, x1) in points.
fn last_line(pdf: &std::path::Path, text: &str) -> Option<(u64, f64, f64)> {
    harness::pdf_lines(pdf)
        .iter()
        .rev()
        .find(|l| l["text"].as_str() == Some(text))
        .map(|l| {
            (
                l["page"].as_u64().unwrap(),
                l["x0"].as_f64().unwrap(),
                l["x1"].as_f64().unwrap(),
            )
        })
}

#[test]
fn a_signature_retyped_longer_stays_one_line_and_ends_where_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let mut made = Vec::new();
    let mut docx = Vec::new();
    for example in EXAMPLES {
        let o = harness::command()
            .args(["render", &format!("{ROOT}/data/{example}")])
            .args(["--no-system-fonts", "-o"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", harness::stderr(&o));
        let stem = example.rsplit_once('.').unwrap().0;
        let ours = dir.path().join(format!("{stem}.docx"));
        let retyped = dir.path().join(format!("{stem}-retyped.docx"));
        let o = harness::python(
            "support/retype_signature.py",
            [ours.to_str().unwrap(), retyped.to_str().unwrap(), LONGER],
        );
        assert!(o.status.success(), "{stem}: {}", harness::stderr(&o));
        let old = String::from_utf8(o.stdout).unwrap().trim().to_string();
        made.push((stem, old));
        docx.push(ours);
        docx.push(retyped);
    }
    let lo = dir.path().join("lo");
    harness::libreoffice_pdfs(&docx, &lo);
    let one = 156.0 / 25.4 * 72.0 / 28.0; // a character: 156 mm over 28 (5.2.2), points
    let mut failures = Vec::new();
    for (stem, old) in &made {
        let pdf = dir.path().join(format!("{stem}.pdf"));
        let before = lo.join(format!("{stem}.pdf"));
        let after = lo.join(format!("{stem}-retyped.pdf"));
        let (Some(ours), Some(was)) = (last_line(&pdf, old), last_line(&before, old)) else {
            failures.push(format!("{stem}: no line {old} in our PDF or LibreOffice's"));
            continue;
        };
        // The unedited DOCX ends its 署名 where our PDF does.
        if (ours.2 - was.2).abs() > 0.5 * one {
            failures.push(format!(
                "{stem}: 署名 ends at {} in our PDF, {} in LibreOffice's",
                ours.2, was.2
            ));
        }
        match last_line(&after, LONGER) {
            Some(now) if (now.2 - was.2).abs() <= 0.5 * one && now.1 < was.1 => {
                eprintln!(
                    "{stem}: {old} {:.1}–{:.1} pt, retyped {:.1}–{:.1} pt",
                    was.1, was.2, now.1, now.2
                )
            }
            Some(now) => failures.push(format!("{stem}: retyped {now:?}, was {was:?}")),
            None => failures.push(format!("{stem}: the retyped 署名 is not one line")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
