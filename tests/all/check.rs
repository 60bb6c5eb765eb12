//! `gongwen check` on Word files: a python-docx 通知 with six deliberate faults gets exactly one
//! finding for each, at its paragraph; the DOCX we make for every bundled example gets none;
//! `check --fix` of the faulty file gets none; `check --fix` of a draft with a typed 版头 keeps
//! the red 版头 and the real title, and of a draft whose parts the copy reads otherwise names
//! each changed paragraph instead of "no findings"; a file LibreOffice writes is read without a
//! crash; a file that is not a Word document is one error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::{self, ROOT, gongwen, gongwen_within, run_within};
use serde_json::Value;

/// The faulty 通知 made by tests/tools/make_faulty_docx.py.
fn faulty(dir: &Path) -> PathBuf {
    let out = dir.join("faulty.docx");
    let o = Command::new("python3")
        .args([
            &format!("{ROOT}/tests/tools/make_faulty_docx.py"),
            out.to_str().unwrap(),
        ])
        .output()
        .expect("python3 with python-docx is required; run `bash .ci/run`");
    assert!(
        o.status.success(),
        "make_faulty_docx.py: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn findings(docx: &Path, layout: &str) -> (Vec<Value>, Output) {
    let o = gongwen(&[
        "check",
        docx.to_str().unwrap(),
        "--json",
        "--layout",
        layout,
    ]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "check --json: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (v["findings"].as_array().unwrap().clone(), o)
}

fn brief(f: &[Value]) -> String {
    f.iter()
        .map(|f| format!("{} {} [{}]", f["paragraph"], f["message"], f["clause"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn six_faults_six_findings_each_at_its_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let docx = faulty(dir.path());
    let (f, o) = findings(&docx, "gbt9704");
    assert_eq!(o.status.code(), Some(1), "findings exit 1");
    let all = brief(&f);
    // (paragraph, clause, words the message has)
    let expected: &[(u64, &str, &str)] = &[
        (0, "5.2.2", "margins top 25.4 mm, left 31.8 mm"),
        (0, "5.2.3", "25 characters a line"),
        (0, "7.5", "no page numbers"),
        (1, "7.3.1", "the title is aligned left"),
        (6, "7.3.3", "the level-2 heading is in 仿宋_GB2312"),
        (9, "5.2.3", "line spacing 1.5 lines"),
    ];
    assert_eq!(f.len(), expected.len(), "one finding per fault:\n{all}");
    for (para, clause, words) in expected {
        assert!(
            f.iter().any(|x| x["paragraph"] == *para
                && x["clause"] == *clause
                && x["message"].as_str().unwrap().contains(words)),
            "no finding '{words}' ({clause}) at paragraph {para}:\n{all}"
        );
    }
    // Every finding says what is expected and what was found.
    for x in &f {
        assert!(!x["expected"].as_str().unwrap().is_empty(), "{x}");
        assert!(!x["found"].as_str().unwrap().is_empty(), "{x}");
    }
    // The lines a person reads: file:paragraph N: … (GB/T 9704 clause); expected …
    let o = gongwen(&["check", docx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    let name = docx.display().to_string();
    assert!(
        out.contains(&format!(
            "{name}:paragraph 6: the level-2 heading is in 仿宋_GB2312 (GB/T 9704 7.3.3); expected 楷体"
        )),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with(&format!("{name}: no page numbers"))
                && l.contains("(GB/T 9704 7.5); expected —")),
        "{out}"
    );
    assert!(
        out.trim_end().ends_with("6 findings against gbt9704"),
        "{out}"
    );
}

#[test]
fn the_docx_we_make_for_every_example_has_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    for (example, layout) in [
        ("shuzhi-report.txt", "gbt9704"),
        ("shuzhi-2023.yaml", "report"),
        ("tongzhi.json", "gbt9704"),
        ("qingshi.yaml", "gbt9704"),
        ("baogao.yaml", "gbt9704"),
        ("han.yaml", "xinhan"),
        ("jiyao.yaml", "jiyao"),
        ("pifu.yaml", "gbt9704"),
        ("jueding.yaml", "gbt9704"),
        ("dafu.yaml", "gbt9704"),
    ] {
        let input = format!("{ROOT}/data/{example}");
        let o = gongwen(&["render", &input, "-o", out, "--format", "docx"]);
        assert!(
            o.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stem = example.rsplit_once('.').unwrap().0;
        let docx = dir.path().join(format!("{stem}.docx"));
        let (f, o) = findings(&docx, layout);
        assert_eq!(brief(&f), "", "{example} against {layout}");
        assert_eq!(o.status.code(), Some(0), "{example}: no findings exit 0");
        // Without --layout, the layout the DOCX records (a 信函 is judged as a 信函).
        let o = gongwen(&["check", docx.to_str().unwrap(), "--json"]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["layout"], layout, "{example}");
        assert_eq!(v["findings"], serde_json::json!([]), "{example}");
    }
}

#[test]
fn check_fix_writes_a_copy_with_no_findings_and_never_over_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let docx = faulty(dir.path());
    let out = dir.path().join("fixed");
    let o = gongwen(&[
        "check",
        "--fix",
        docx.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fixed = out.join("faulty.docx");
    assert!(
        stdout.contains(&format!("fixed: {}", fixed.display())),
        "{stdout}"
    );
    assert!(out.join("faulty.pdf").exists());
    let (f, _) = findings(&fixed, "gbt9704");
    assert_eq!(brief(&f), "", "the fixed copy");
    // The text is all there: the copy's paragraphs hold the original's words.
    let text =
        String::from_utf8_lossy(&gongwen(&["check", fixed.to_str().unwrap(), "--json"]).stdout)
            .to_string();
    assert!(text.contains("\"findings\": []"), "{text}");
    // Into the input's own folder: refused, the input untouched.
    let before = std::fs::read(&docx).unwrap();
    let o = gongwen(&[
        "check",
        "--fix",
        docx.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("would overwrite the input"), "{err}");
    assert_eq!(std::fs::read(&docx).unwrap(), before);
}

/// The paragraphs of a DOCX's body, each as (its style, its text).
fn styled_paragraphs(docx: &Path) -> Vec<(String, String)> {
    let xml = harness::docx_part(docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "p")
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| n.tag_name().name() == "pStyle")
                .and_then(|n| n.attributes().find(|a| a.name() == "val"))
                .map_or(String::new(), |a| a.value().to_string());
            let text: String = p
                .descendants()
                .filter(|n| n.tag_name().name() == "t")
                .filter_map(|n| n.text())
                .collect();
            (style, text)
        })
        .collect()
}

#[test]
fn check_fix_of_a_typed_masthead_keeps_the_red_masthead_and_the_real_title() {
    // A Word draft whose 版头 is typed: the 标志 red at 36 pt, the 发文字号 over a red rule
    // (tests/fixtures/kinds/make_typed_head_docx.py). Before issue 22 the copy had 「……文件」
    // as a black title, the real title as body text, and said "no findings".
    let dir = tempfile::tempdir().unwrap();
    let draft = format!("{ROOT}/tests/fixtures/kinds/typed-head-docx.docx");
    let out = dir.path().join("fixed");
    let o = gongwen(&[
        "check",
        "--fix",
        &draft,
        "-o",
        out.to_str().unwrap(),
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            harness::stderr(&o)
        )
    });
    // `check` reads the draft's 版头 and title as `render` does: no part changed in the copy.
    assert_eq!(brief(v["fixed"]["findings"].as_array().unwrap()), "", "{v}");
    assert_eq!(o.status.code(), Some(0), "{v}");
    let paras = styled_paragraphs(&out.join("typed-head-docx.docx"));
    let role = |style: &str| {
        paras
            .iter()
            .find(|(s, _)| s == style)
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no {style} paragraph: {paras:?}"))
    };
    assert_eq!(role("Masthead"), "青山县人民政府办公室文件");
    assert_eq!(role("DocNumber"), "青政办发〔2024〕15号");
    assert_eq!(
        role("Title"),
        "青山县人民政府办公室关于做好2024年汛期安全防范工作的通知"
    );
    // The 标志's style is red (7.2.5).
    let styles = harness::docx_part(&out.join("typed-head-docx.docx"), "word/styles.xml");
    let masthead = &styles[styles.find(r#"w:styleId="Masthead""#).unwrap()..];
    let masthead = &masthead[..masthead.find("</w:style>").unwrap()];
    assert!(masthead.contains(r#"w:color w:val="FF0000""#), "{masthead}");
}

/// A Word package of one body, written here: `paras` are the `w:p` elements.
fn package(paras: &str) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("word/document.xml", o).unwrap();
    let doc = format!(r#"<w:document xmlns:w="{W}"><w:body>{paras}</w:body></w:document>"#);
    z.write_all(doc.as_bytes()).unwrap();
    z.finish().unwrap().into_inner()
}

#[test]
fn check_fix_names_each_paragraph_whose_part_changed_never_no_findings() {
    // The title typed at 小初 (36 pt), black: `check` takes so large a first line for the 版头
    // and the 主送 under it for the title; the copy sets them as 标题 and 主送. The copy passes
    // every layout rule, but its parts are not the ones `check` found: each is named.
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("big-title.docx");
    let p = |sz: u32, t: &str| {
        format!(r#"<w:p><w:r><w:rPr><w:sz w:val="{sz}"/></w:rPr><w:t>{t}</w:t></w:r></w:p>"#)
    };
    std::fs::write(
        &draft,
        package(&format!(
            "{}{}{}{}{}",
            p(72, "青山县关于做好防汛工作的通知"),
            p(32, "各乡镇人民政府："),
            p(32, "现就做好今年防汛工作通知如下，请认真贯彻执行。"),
            p(32, "青山县人民政府"),
            p(32, "2024年5月28日"),
        )),
    )
    .unwrap();
    let out = dir.path().join("fixed");
    let o = gongwen(&[
        "check",
        "--fix",
        draft.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}{}", harness::stderr(&o));
    let copy = out.join("big-title.docx").display().to_string();
    assert!(
        stdout.contains(&format!(
            "{copy}:paragraph 1: 「青山县关于做好防汛工作的通知」 is the 标题 in the copy but was the 版头 in the input (paragraph 1): its role changed (GB/T 9704 7.2); expected 版头"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("「各乡镇人民政府：」 is the 主送机关 in the copy but was the 标题 in the input (paragraph 2)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(&format!("{copy}: no findings")),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("2 findings against gbt9704"),
        "{stdout}"
    );
}

#[test]
fn a_file_that_is_not_a_word_document_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("image.docx", b"\x89PNG\r\n\x1a\n0000".to_vec()),
        ("broken.docx", b"PK\x03\x04 not really a zip".to_vec()),
        ("text.docx", "一、这不是Word文件".as_bytes().to_vec()),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let o = gongwen(&["check", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with(&format!("error: {}: not a Word document", p.display())),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(o.stdout.is_empty(), "{name}");
    }
    let o = gongwen(&["check", dir.path().join("missing.docx").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such file"));
}

/// A DOCX LibreOffice writes (a plain-text draft converted by soffice) is read: findings, no
/// crash, each line in the documented form.
#[test]
fn a_docx_libreoffice_writes_is_checked_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    harness::libreoffice_docx(
        &[PathBuf::from(format!("{ROOT}/data/shuzhi-report.txt"))],
        dir.path(),
    );
    let docx = dir.path().join("shuzhi-report.docx");
    let o = gongwen(&["check", docx.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let name = docx.display().to_string();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 1, "{out}");
    for l in &lines[..lines.len() - 1] {
        assert!(
            l.starts_with(&name) && l.contains("(GB/T 9704 ") && l.contains("); expected "),
            "{l}"
        );
    }
    // LibreOffice's default page is not the format's, and its text is not 仿宋.
    assert!(
        out.contains("(GB/T 9704 5.2.2)") || out.contains("(GB/T 9704 5.2.1)"),
        "{out}"
    );
    assert!(out.contains("is in "), "{out}");
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A Word package built here: `body` after a title paragraph in `word/document.xml`, and
/// `parts` beside it (a relationships part among them, if any).
fn word(body: &str, parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let doc = format!(
        r#"<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:p><w:r><w:t>关于加强管理的通知</w:t></w:r></w:p>{body}</w:body></w:document>"#
    );
    for (name, text) in [("word/document.xml", doc.as_str())].iter().chain(parts) {
        z.start_file(*name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn a_footer_part_referred_to_6000_times_is_read_once() {
    // 2,000 sections × 3 footer references, all to one 20 MB part (20 KB zipped). Parsed per
    // reference, as before, this was 120 GB of XML (> 10 minutes); read once it takes about a
    // second, so 60 s is a wide margin on a busy machine.
    let footer = format!(
        r#"<w:ftr xmlns:w="{W}"><w:p><w:r><w:t>{}</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"#,
        " ".repeat(20 << 20)
    );
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;
    let refs = ["default", "even", "first"]
        .map(|k| format!(r#"<w:footerReference w:type="{k}" r:id="rF"/>"#))
        .concat();
    let section = format!(
        "<w:p><w:pPr><w:sectPr>{refs}</w:sectPr></w:pPr><w:r><w:t>正文。</w:t></w:r></w:p>"
    );
    let bytes = word(
        &section.repeat(2000),
        &[
            ("word/_rels/document.xml.rels", rels),
            ("word/footer1.xml", &footer),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("footers.docx");
    std::fs::write(&file, bytes).unwrap();
    let o = gongwen_within(None, 60, &["check", file.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(out.contains("findings against gbt9704"), "{out}{err}");
    // The footer was read: its PAGE field is found, so no "no page numbers" finding.
    assert!(!out.contains("no page numbers"), "{out}");
}

#[test]
fn nesting_paragraphs_and_tables_past_the_bounds_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, bytes: Vec<u8>| {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let o = gongwen_within(None, 60, &["check", file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        // Exit 1 with one error, not 134 (a stack overflow's abort) or findings in 1 GB.
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            o.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        err
    };
    let n = 30_000;
    let deep = check(
        "deep.docx",
        word(
            &format!(
                "{}{}",
                "<w:sdt><w:sdtContent>".repeat(n),
                "</w:sdtContent></w:sdt>".repeat(n)
            ),
            &[],
        ),
    );
    assert!(
        deep.contains("word/document.xml, line 1, column "),
        "{deep}"
    );
    assert!(
        deep.contains("elements nested more than 256 deep"),
        "{deep}"
    );
    let tables = check(
        "tables.docx",
        word(
            &format!(
                "{}{}",
                "<w:tbl><w:tr><w:tc>".repeat(60),
                "<w:p/></w:tc></w:tr></w:tbl>".repeat(60)
            ),
            &[],
        ),
    );
    assert!(
        tables.contains("tables nested more than 16 deep"),
        "{tables}"
    );
    // 300,000 one-character paragraphs (32 KB zipped): 1.07 GB for check before the bound.
    let many = check(
        "many.docx",
        word(&"<w:p><w:r><w:t>字</w:t></w:r></w:p>".repeat(300_000), &[]),
    );
    assert!(
        many.contains("the document has more than 100000 paragraphs"),
        "{many}"
    );
}

#[test]
fn a_list_of_300000_instances_is_checked_in_little_memory() {
    // One nine-level list with 300,000 `w:num` instances (a 777 KB file): every level's
    // properties were copied per instance, 3.4 GB and 77 s; shared, about 210 MB. The check's
    // own peak (from wait4: the tests share one process, so not RUSAGE_CHILDREN) must stay far
    // under the old one.
    let lvls: String = (0..9)
        .map(|i| {
            format!(
                r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%{}、"/><w:pPr><w:ind w:left="640" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:lvl>"#,
                i + 1
            )
        })
        .collect();
    let nums: String = (0..300_000)
        .map(|i| format!(r#"<w:num w:numId="{i}"><w:abstractNumId w:val="0"/></w:num>"#))
        .collect();
    let numbering = format!(
        r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">{lvls}</w:abstractNum>{nums}</w:numbering>"#
    );
    let p = r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>总体要求</w:t></w:r></w:p>"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lists.docx");
    std::fs::write(&file, word(p, &[("word/numbering.xml", &numbering)])).unwrap();
    let (o, peak_kb) = run_within(
        harness::command().args(["check", file.to_str().unwrap()]),
        120,
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("findings against gbt9704"));
    let peak_mb = peak_kb / 1024;
    assert!(peak_mb < 1024, "the check peaked at {peak_mb} MB");
}
