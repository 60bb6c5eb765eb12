//! `gongwen serve` in a real browser: headless Chromium (Debian's) driven by playwright-core
//! (tests/web/run.js, installed by `npm ci` in tests/web). Each test starts its own server on a
//! free port with its own temporary folder, so it can see that nothing is left behind.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness;
use crate::harness::ROOT;
use crate::harness::server::{Server, http, left_in};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shuzhi-report.txt");
/// Run one scenario of run.js; its JSON answer.
fn browser(scenario: &str, server: &Server, work: &Path, env: &[(&str, &Path)]) -> Value {
    let dir = Path::new(ROOT).join("tests/web");
    assert!(
        dir.join("node_modules/playwright-core").exists(),
        "playwright-core is not installed: run `npm ci` in tests/web (as .ci/run does)"
    );
    let mut cmd = Command::new("node");
    cmd.arg("run.js")
        .args([scenario, &server.base])
        .arg(work)
        .current_dir(&dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("node runs");
    assert!(
        out.status.success(),
        "run.js {scenario} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("run.js prints JSON")
}

/// The entries of a zip file, and the text of `want` in it.
fn zip_entry(path: &Path, want: &str) -> (Vec<String>, String) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let names: Vec<String> = z.file_names().flatten().map(|n| n.into_owned()).collect();
    let mut text = String::new();
    if let Ok(mut f) = z.by_name(want) {
        f.read_to_string(&mut text).unwrap();
    }
    (names, text)
}

#[test]
fn paste_the_seed_see_pages_and_lines_download_pdf_and_docx() {
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(cwd.path(), tmp.path());
    let r = browser("paste", &server, work.path(), &[("SEED", Path::new(SEED))]);

    // Every page as a PNG at 80 dpi: A4 is 662 × 936 pixels.
    let pages = r["pages"].as_array().unwrap();
    assert!(pages.len() >= 2, "{r}");
    for p in pages {
        assert_eq!((p[0].as_u64(), p[1].as_u64()), (Some(662), Some(936)));
    }
    // The explain view: the seed's first line is the title.
    let seed = std::fs::read_to_string(SEED).unwrap();
    let title = seed.lines().next().unwrap().trim();
    let first = &r["explain"][0];
    assert_eq!(first[0], "1");
    assert!(first[1].as_str().unwrap().contains("标题"), "{first}");
    assert_eq!(first[2], title);
    // An edit is shown again.
    assert_eq!(r["editedTitle"][2], "关于改过标题的报告", "{r}");

    // The PDF passes gbcheck; the DOCX is a zip whose document holds the title.
    let pdf = r["pdf"]["file"].as_str().unwrap();
    assert!(r["pdf"]["suggested"].as_str().unwrap().ends_with(".pdf"));
    let check = harness::python("tools/gbcheck.py", [pdf, "--expect", SEED]);
    assert!(
        check.status.success(),
        "gbcheck: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let (_, xml) = zip_entry(
        Path::new(r["docx"]["file"].as_str().unwrap()),
        "word/document.xml",
    );
    let first_word = title.chars().take(4).collect::<String>();
    assert!(xml.contains(&first_word), "the DOCX lacks the title");
    eprintln!(
        "first render {} ms, after an edit {} ms",
        r["firstMs"], r["editMs"]
    );
    // The edit's pages are back within a second of the debounce, with room for a loaded CI.
    assert!(r["editMs"].as_u64().unwrap() < 5000, "{r}");
    if let Ok(shot) = std::env::var("GONGWEN_SCREENSHOT") {
        std::fs::copy(work.path().join("screenshot.png"), shot).unwrap();
    }
    drop(server);
    assert!(left_in(tmp.path()).is_empty(), "{:?}", left_in(tmp.path()));
}

#[test]
fn drop_a_word_draft_and_a_sheet() {
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    // A Word draft as a Word user makes it, with faults against GB/T 9704 (margins, a
    // left-aligned title, 1.5 spacing …).
    let docx = work.path().join("通知.docx");
    let made = harness::python("tools/make_faulty_docx.py", [&docx]);
    assert!(made.status.success(), "{made:?}");
    // A sheet, and the user's own template in the working folder.
    std::fs::write(
        cwd.path().join("notice.hbs"),
        "关于{{事项}}的通知\n{{单位}}：\n{{内容}}\n青山县人民政府办公室\n2023年7月1日\n",
    )
    .unwrap();
    let sheet = work.path().join("名单.csv");
    std::fs::write(
        &sheet,
        "事项,单位,内容\n防汛检查,各乡镇,请于7月10日前完成自查。\n消防演练,县直各部门,请按方案组织演练。\n秋季征兵,各村（社区）,请做好宣传动员。\n",
    )
    .unwrap();
    let server = Server::start(cwd.path(), tmp.path());
    let r = browser(
        "drops",
        &server,
        work.path(),
        &[("DOCX", &docx), ("SHEET", &sheet)],
    );
    assert!(!r["pages"].as_array().unwrap().is_empty(), "{r}");
    assert!(r["explain"][0][1].as_str().unwrap().contains("标题"), "{r}");
    let (names, xml) = zip_entry(
        Path::new(r["docx"]["file"].as_str().unwrap()),
        "word/document.xml",
    );
    assert!(names.contains(&"word/document.xml".to_string()));
    assert!(xml.contains("通知"), "the DOCX lacks the draft's text");
    // `check` on the Word file as it was dropped: its findings by paragraph.
    let findings: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        findings.iter().any(|f| f.starts_with("第 1 段")),
        "{findings:?}"
    );
    assert!(
        findings.iter().any(|f| f.starts_with("全文")),
        "{findings:?}"
    );
    // The batch: three rows → three PDFs and three DOCX in the zip.
    assert!(r["message"].as_str().unwrap().contains("3 份"), "{r}");
    let (names, _) = zip_entry(Path::new(r["zip"]["file"].as_str().unwrap()), "");
    let count = |ext: &str| names.iter().filter(|n| n.ends_with(ext)).count();
    assert_eq!((count(".pdf"), count(".docx")), (3, 3), "{names:?}");
    drop(server);
    assert!(left_in(tmp.path()).is_empty(), "{:?}", left_in(tmp.path()));
}

#[test]
fn bad_uploads_get_a_message_and_leave_nothing() {
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let fake = work.path().join("报告.docx");
    std::fs::copy(Path::new(ROOT).join("docs/serve.png"), &fake).unwrap();
    let server = Server::start(cwd.path(), tmp.path());
    let r = browser("bad", &server, work.path(), &[("FAKE_DOCX", &fake)]);
    let said = r["fake"].as_str().unwrap();
    assert!(said.contains("不能排版") && said.contains("PNG"), "{said}");
    assert!(r["big"].as_str().unwrap().contains("上限 20.0 MB"), "{r}");
    assert!(left_in(tmp.path()).is_empty(), "{:?}", left_in(tmp.path()));

    // The body limit refuses a 200 MB upload from its Content-Length, before reading it.
    let head = format!(
        "POST /api/render?name=big.docx HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr,
        200 * 1024 * 1024
    );
    let (code, _) = http(&server.addr, &head, &[0u8; 4096]);
    assert_eq!(code, 413);

    // A zip bomb .docx: 60 MB of spaces in a few dozen KB.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", o).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..60 {
        z.write_all(&chunk).unwrap();
    }
    let bomb = z.finish().unwrap().into_inner();
    let head = format!(
        "POST /api/render?name=bomb.docx HTTP/1.1\r\nHost: {a}\r\nOrigin: http://{a}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        bomb.len(),
        a = server.addr
    );
    let (code, body) = http(&server.addr, &head, &bomb);
    let body = String::from_utf8_lossy(&body);
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("larger than 50 MB"), "{body}");
    assert!(left_in(tmp.path()).is_empty(), "{:?}", left_in(tmp.path()));
}
