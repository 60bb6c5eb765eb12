//! Reference tests, no external tools: for each bundled example, the plan, the laid-out pages and
//! the DOCX's parts dumped as text and compared with `tests/ref/NAME.plan.txt`,
//! `tests/ref/NAME.pages.txt` and `tests/ref/NAME.docx.txt` (each XML part pretty-printed).
//! A change to a layout decision shows up here as a readable diff. After an intended change,
//! regenerate with `REPLACE=1 cargo test --release --test all reference::` and read the diff.

use std::path::Path;

use crate::harness::ROOT;
use gongwen::fonts::{FontBook, FontOptions};

const EXAMPLES: &[&str] = &[
    "data/shuzhi-report.txt",
    "data/shuzhi-2023.yaml",
    "data/tongzhi.json",
    "data/qingshi.yaml",
    "data/baogao.yaml",
    "data/han.yaml",
    "data/jiyao.yaml",
    "tests/fixtures/every-element.txt",
];

fn check(name: &str, kind: &str, got: &str, failures: &mut Vec<String>) {
    let path = Path::new(ROOT).join(format!("tests/ref/{name}.{kind}.txt"));
    if std::env::var_os("REPLACE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want != got {
        let first = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        failures.push(format!(
            "{}: differs from line {}\n  want: {}\n  got:  {}",
            path.display(),
            first + 1,
            want.lines().nth(first).unwrap_or("(end)"),
            got.lines().nth(first).unwrap_or("(end)")
        ));
    }
}

#[test]
fn plans_and_pages_match_their_references() {
    let opts = gongwen::Options {
        fonts: FontOptions {
            dirs: vec![],
            system: false,
        },
        ..Default::default()
    };
    let mut failures = Vec::new();
    for example in EXAMPLES {
        let input = Path::new(ROOT).join(example);
        let name = input.file_stem().unwrap().to_str().unwrap().to_string();
        let mut warnings = Vec::new();
        let (doc, layout) = gongwen::load(&input, &opts, &mut warnings).unwrap();
        let plan = gongwen::plan::plan(&doc, &layout).unwrap();
        check(
            &name,
            "plan",
            &gongwen::plan::dump::dump(&plan),
            &mut failures,
        );
        let fonts = FontBook::load(&layout, &opts.fonts).unwrap();
        let paged = gongwen::layout::layout(&plan, &layout, &fonts, false, &mut warnings).unwrap();
        let names = |id| fonts.font(id).name.clone();
        let pages =
            gongwen::page::dump(&paged, layout.body_top(), layout.grid.line_pitch_pt, &names);
        check(&name, "pages", &pages, &mut failures);
        let mut docx = String::new();
        for (part, bytes) in gongwen::export::docx::parts(&plan, &layout, &[]) {
            docx.push_str(&format!("=== {part}\n"));
            docx.push_str(&pretty(&String::from_utf8_lossy(&bytes)));
        }
        check(&name, "docx", &docx, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// XML with one tag or text per line, indented by depth.
fn pretty(xml: &str) -> String {
    let mut out = String::new();
    let mut depth: usize = 0;
    let mut rest = xml;
    while !rest.is_empty() {
        let (item, tail) = if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            rest.split_at(end)
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            rest.split_at(end)
        };
        rest = tail;
        if item.trim().is_empty() {
            continue;
        }
        let closing = item.starts_with("</");
        if closing {
            depth = depth.saturating_sub(1);
        }
        out.push_str(&"  ".repeat(depth));
        out.push_str(item);
        out.push('\n');
        if item.starts_with('<') && !closing && !item.ends_with("/>") && !item.starts_with("<?") {
            depth += 1;
        }
    }
    out
}
