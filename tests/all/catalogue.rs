//! The error catalogue: every kind of bad input this list names is run through the real
//! command, and what it prints on standard error must be, to the byte, what the README's
//! catalogue table says (between `<!-- catalogue -->` and `<!-- /catalogue -->`). The list
//! here holds the inputs; the README holds the messages, so the two cannot drift. After an
//! intended change of a message, `REPLACE=1 cargo test --release --test all catalogue::`
//! rewrites the table from what the program prints; read the diff.
//!
//! Each case runs in a fresh folder with relative paths (`report.txt`, `out/`), so messages read
//! as a user sees them; the source tree's path is shown as `.`.

use crate::harness;
use crate::harness::ROOT;
use std::path::Path;
use std::process::Command;

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/catalogue");

/// What a case puts in its folder before running.
enum Setup {
    /// A file with this text.
    Text(&'static str, &'static str),
    /// A file with these bytes.
    Bytes(&'static str, &'static [u8]),
    /// A fixture from tests/fixtures/catalogue/, copied under its name.
    Fixture(&'static str),
    /// A file of `n` KiB of body text (size limits).
    Big(&'static str, usize),
    /// A file of bytes made when the case runs (a Word package built here, say).
    Made(&'static str, fn() -> Vec<u8>),
    /// A folder.
    Dir(&'static str),
    /// A named pipe.
    Fifo(&'static str),
    /// The bundled gbt9704 layout with `from` replaced by `to`, as `house.toml`.
    Layout(&'static str, &'static str),
    /// The output folder's batch lock held while the case runs.
    LockHeld(&'static str),
}

use Setup::*;

struct Case {
    /// Which part of the program the input is bad for.
    kind: &'static str,
    /// The bad input, in words (unique: it keys the README row).
    what: &'static str,
    setup: &'static [Setup],
    /// The command's arguments (after `gongwen`).
    args: &'static [&'static str],
}

const REPORT: &str = "关于加强管理的报告\n正文第一段。\n";

fn cases() -> Vec<Case> {
    vec![
        // Inputs.
        Case {
            kind: "input",
            what: "a file that does not exist",
            setup: &[],
            args: &["render", "nope.txt"],
        },
        Case {
            kind: "input",
            what: "a folder instead of a file",
            setup: &[Dir("drafts")],
            args: &["render", "drafts"],
        },
        Case {
            kind: "input",
            what: "an empty file (or only spaces)",
            setup: &[Text("report.txt", " \n\n")],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "input",
            what: "a binary file (a PNG renamed .txt)",
            setup: &[Bytes(
                "report.txt",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
            )],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "input",
            what: "a PDF renamed .txt",
            setup: &[Bytes(
                "report.txt",
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            )],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "input",
            what: "text in neither UTF-8 nor GBK/GB18030",
            setup: &[Bytes(
                "report.txt",
                b"\xe6\xa0\x87\xe9\xa2\x98\n\x80\xff\xfe\n",
            )],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "input",
            what: "a Big5 (Taiwan, Hong Kong) draft",
            setup: &[Bytes("report.txt", b"\xc3\xf6\xa9\xf3\xa5[\xb1j\xba\xde\xb2z\xaa\xba\xb3q\xaa\xbe\x0a\xa6U\xb3\xe6\xa6\xec\xa1G\x0a\xb2{\xb1N\xa6\xb3\xc3\xf6\xa8\xc6\xb6\xb5\xb3q\xaa\xbe\xa6p\xa4U\xa1C\xbd\xd0\xbb{\xafu\xb3e\xb9\xfd\xb0\xf5\xa6\xe6\xa1C\x0a")],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "input",
            what: "a file over the size limit",
            setup: &[Big("report.txt", 1536)],
            args: &["render", "report.txt", "--max-input-mb", "1"],
        },
        Case {
            kind: "input",
            what: "a device (`/dev/zero`)",
            setup: &[],
            args: &["render", "/dev/zero"],
        },
        Case {
            kind: "input",
            what: "a named pipe (FIFO)",
            setup: &[Fifo("report.txt")],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "input",
            what: "an old Word 97-2003 file renamed .docx",
            setup: &[Bytes(
                "draft.docx",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0\0\0\0\0",
            )],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a damaged .docx (not a zip)",
            setup: &[Bytes("draft.docx", b"PK\x03\x04 this is not a zip")],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a .docx nested 30,000 elements deep (a made file)",
            setup: &[Made("draft.docx", || {
                let n = 30_000;
                word(&format!("{}{}", "<w:sdt><w:sdtContent>".repeat(n), "</w:sdtContent></w:sdt>".repeat(n)), &[])
            })],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a .docx of tables nested 40 deep",
            setup: &[Made("draft.docx", || {
                word(&format!("{}{}", "<w:tbl><w:tr><w:tc>".repeat(40), "<w:p/></w:tc></w:tr></w:tbl>".repeat(40)), &[])
            })],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a .docx of more than 100,000 paragraphs",
            setup: &[Made("draft.docx", || word(&"<w:p><w:r><w:t>字</w:t></w:r></w:p>".repeat(100_001), &[]))],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a .docx of more than 100,000 table cells",
            setup: &[Made("draft.docx", || {
                let row = format!("<w:tr>{}</w:tr>", "<w:tc/>".repeat(50));
                word(&format!("<w:tbl>{}</w:tbl>", row.repeat(2001)), &[])
            })],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a .docx table row wider than 63 columns",
            setup: &[Made("draft.docx", || {
                let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p/></w:tc>"#;
                word(&format!("<w:tbl><w:tr>{cell}</w:tr></w:tbl>"), &[])
            })],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a .docx part of more than 4,000,000 XML nodes",
            setup: &[Made("draft.docx", || word(&"<a/>".repeat(4_000_001), &[]))],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a .docx whose parts add up to more than 100 MB",
            setup: &[Made("draft.docx", || {
                let big = |root: &str| format!("<w:{root} xmlns:w=\"{W}\">{}</w:{root}>", " ".repeat(40 << 20));
                word("", &[("word/styles.xml", &big("styles")), ("word/numbering.xml", &big("numbering")), ("word/settings.xml", &big("settings"))])
            })],
            args: &["check", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "hidden text in a .docx (a warning)",
            setup: &[Made("draft.docx", || {
                word(r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的批注</w:t></w:r></w:p>"#, &[])
            })],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a symbol of a symbol font with no Unicode character in a .docx (a warning)",
            setup: &[Made("draft.docx", || {
                word(r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:sym w:font="Webdings" w:char="F021"/></w:r></w:p>"#, &[])
            })],
            args: &["render", "draft.docx"],
        },
        Case {
            kind: "input",
            what: "a 版头 typed above the title, brackets typed [ ] (a warning each line)",
            setup: &[Text(
                "report.txt",
                "青山县人民政府办公室文件\n青政办发[2024]15号\n关于加强管理的通知\n正文第一段。\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        // Markup.
        Case {
            kind: "input",
            what: "a 成文日期 typed 2024.4.25 (a warning)",
            setup: &[Text(
                "report.txt",
                "关于加强管理的报告\n正文。\n青山县人民政府\n2024.4.25\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "input",
            what: "numbers typed 1、 and (一), a half-width colon after a 主送 (warnings)",
            setup: &[Text(
                "report.txt",
                "关于加强管理的报告\n各科室:\n(一)总体要求\n1、建立机制\n正文。\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "input",
            what: "a form feed (a page break) in a draft (a warning)",
            setup: &[Text(
                "report.txt",
                "关于加强管理的报告\n第一页。\n\u{c}\n第二页。\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "input",
            what: "control characters at a line's end (a warning)",
            setup: &[Text(
                "report.txt",
                "关于加强管理的报告\n正文第一段。\u{b}\u{1f}\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "input",
            what: "a noncharacter (U+FFFF) in a draft (a warning)",
            setup: &[Text("report.txt", "关于加强管理的报告\n正文\u{FFFF}第一段。\n")],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "markup",
            what: "an unknown `@key`",
            setup: &[Text("report.txt", "@发文单位: 青山县\n标题\n正文。\n")],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "input",
            what: "a 令's 标志 and 令号 typed as a draft's first lines (a warning)",
            setup: &[Text(
                "ling.txt",
                "青山县人民政府令\n第5号\n《青山县城市绿化管理办法》已经县人民政府常务会议通过，现予公布。\n县长　王建国\n2024年3月8日\n",
            )],
            args: &["render", "ling.txt", "--format", "docx"],
        },
        Case {
            kind: "markup",
            what: "`@key` without a value",
            setup: &[Text("report.txt", "@发文字号:\n标题\n正文。\n")],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "markup",
            what: "`@表格` without `@表格结束`",
            setup: &[Text("report.txt", "标题\n@表格\n甲 | 乙\n1 | 2\n")],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "markup",
            what: "`@表格` with no rows",
            setup: &[Text("report.txt", "标题\n@表格\n@表格结束\n正文。\n")],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "markup",
            what: "a table row with more cells than the header (a warning)",
            setup: &[Text(
                "report.txt",
                "关于加强管理的报告\n@表格\n地区 | 人数\n城东 | 12 | 8\n@表格结束\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "markup",
            what: "a table row with fewer cells than the table (a warning)",
            setup: &[Text(
                "report.txt",
                "关于加强管理的报告\n@表格\n地区 | 人数 | 备注\n城东 | 12\n@表格结束\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "markup",
            what: "a table header over two rows (a warning)",
            setup: &[Text(
                "report.txt",
                "关于加强管理的报告\n地区\t招生人数\n2023年\t2024年\n城东\t120\t130\n",
            )],
            args: &["render", "report.txt", "--format", "docx"],
        },
        Case {
            kind: "markup",
            what: "markup only, no text",
            setup: &[Text("report.txt", "@发文字号: 青政发〔2023〕12号\n")],
            args: &["render", "report.txt"],
        },
        // Data and templates.
        Case {
            kind: "data",
            what: "data that names no template",
            setup: &[Text("facts.yaml", "year: 2023\n")],
            args: &["render", "facts.yaml"],
        },
        Case {
            kind: "data",
            what: "invalid YAML",
            setup: &[Text("facts.yaml", "template: shuzhi\nyear: [2023\n")],
            args: &["render", "facts.yaml"],
        },
        Case {
            kind: "data",
            what: "invalid JSON",
            setup: &[Text("facts.json", "{\"template\": \"shuzhi\",}\n")],
            args: &["render", "facts.json"],
        },
        Case {
            kind: "data",
            what: "invalid TOML",
            setup: &[Text("facts.toml", "template = shuzhi\n")],
            args: &["render", "facts.toml"],
        },
        Case {
            kind: "data",
            what: "a template that does not exist",
            setup: &[Text("facts.yaml", "template: nosuch\n")],
            args: &["render", "facts.yaml"],
        },
        Case {
            kind: "data",
            what: "a template named by the data outside its folder",
            setup: &[Text("facts.yaml", "template: /etc/passwd\n")],
            args: &["render", "facts.yaml"],
        },
        Case {
            kind: "data",
            what: "a field the data lacks",
            setup: &[
                Text("t.hbs", "{{title}}\n{{body}}\n"),
                Text("facts.yaml", "title: 标题\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        Case {
            kind: "data",
            what: "a template with a syntax error",
            setup: &[
                Text("t.hbs", "{{#if title}}\n{{title}}\n"),
                Text("facts.yaml", "title: 标题\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        Case {
            kind: "data",
            what: "`cn_date` of something not a date",
            setup: &[
                Text("t.hbs", "标题\n{{cn_date when}}\n"),
                Text("facts.yaml", "when: yesterday\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        Case {
            kind: "data",
            what: "`cn_date` of a number too large for a date",
            setup: &[
                Text("t.hbs", "标题\n{{cn_date when}}\n"),
                Text("facts.yaml", "when: 1e300\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        Case {
            kind: "data",
            what: "`h1` of an index too large",
            setup: &[
                Text("t.hbs", "标题\n{{h1 18446744073709551615}}正文\n"),
                Text("facts.yaml", "a: 1\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        Case {
            kind: "data",
            what: "`doc_no` with a year that is not a year",
            setup: &[
                Text("t.hbs", "标题\n{{doc_no \"青政发\" year 12}}\n"),
                Text("facts.yaml", "year: x\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        Case {
            kind: "data",
            what: "a layout named by the data outside its folder",
            setup: &[Text("facts.yaml", "template: shuzhi\nlayout: /dev/zero\n")],
            args: &["render", "facts.yaml"],
        },
        Case {
            kind: "data",
            what: "brackets nested more than 64 deep (`[[[…`)",
            setup: &[Text("facts.yaml", "template: shuzhi\nyear: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n")],
            args: &["render", "facts.yaml"],
        },
        Case {
            kind: "data",
            what: "text in a field the template declares a number",
            setup: &[
                Text("t.hbs", "{{!--\nfields:\n  - {name: year, type: number}\n--}}\n{{year}}年工作报告\n正文。\n"),
                Text("facts.yaml", "year: abc\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        Case {
            kind: "data",
            what: "a value with markup lines, printed as text (a warning)",
            setup: &[
                Text("t.hbs", "@发文字号: {{number}}\n标题\n{{body}}\n"),
                Text("facts.yaml", "number: \"青政办函〔2023〕8号\\n@密级: 绝密\"\nbody: \"正文。\\n@附件 1: 伪造\"\n"),
            ],
            args: &["render", "facts.yaml", "--template", "t.hbs", "-o", "out"],
        },
        Case {
            kind: "data",
            what: "a template that is a folder",
            setup: &[Dir("t.hbs"), Text("facts.yaml", "title: 标题\n")],
            args: &["render", "facts.yaml", "--template", "t.hbs"],
        },
        // Layouts.
        Case {
            kind: "layout",
            what: "a layout that is a named pipe (FIFO)",
            setup: &[Text("report.txt", REPORT), Fifo("house.toml")],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "a layout file over 1 MB",
            setup: &[Text("report.txt", REPORT), Big("house.toml", 1536)],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "a layout that does not exist",
            setup: &[Text("report.txt", REPORT)],
            args: &["render", "report.txt", "--layout", "nosuch"],
        },
        Case {
            kind: "layout",
            what: "a layout with a TOML error",
            setup: &[
                Text("report.txt", REPORT),
                Text("house.toml", "[page\nwidth_mm = 210\n"),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "an unknown key in a layout",
            setup: &[
                Text("report.txt", REPORT),
                Layout("[page]\n", "[page]\npaper = \"A4\"\n"),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "a negative first-line indent",
            setup: &[
                Text("report.txt", REPORT),
                Layout(
                    "first_line_chars = 2.0    # 7.3.3",
                    "first_line_chars = -50.0  # 7.3.3",
                ),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "a negative margin",
            setup: &[
                Text("report.txt", REPORT),
                Layout("top_mm = 37", "top_mm = -37"),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "an infinite page width",
            setup: &[
                Text("report.txt", REPORT),
                Layout("width_mm = 210.0", "width_mm = inf"),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "a size that is not a number (NaN)",
            setup: &[
                Text("report.txt", REPORT),
                Layout("line_pitch_pt = 28.95", "line_pitch_pt = nan"),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "a line pitch near zero",
            setup: &[
                Text("report.txt", REPORT),
                Layout("line_pitch_pt = 28.95", "line_pitch_pt = 0.0001"),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "zero lines a page",
            setup: &[
                Text("report.txt", REPORT),
                Layout("lines = 22", "lines = 0"),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        Case {
            kind: "layout",
            what: "a colour that is not RRGGBB",
            setup: &[
                Text("report.txt", REPORT),
                Layout("rule_colour = \"FF0000\"", "rule_colour = \"FF00001234\""),
            ],
            args: &["render", "report.txt", "--layout", "house.toml"],
        },
        // Long content.
        Case {
            kind: "layout",
            what: "a page too large to draw at the `--dpi` asked (`preview`, `render --png`)",
            setup: &[
                Text("report.txt", REPORT),
                Layout("height_mm = 297.0", "height_mm = 2000.0"),
            ],
            args: &[
                "preview",
                "report.txt",
                "--layout",
                "house.toml",
                "--dpi",
                "1200",
            ],
        },
        Case {
            kind: "long content",
            what: "a 版记 taller than a page",
            setup: &[Fixture("long-colophon.txt")],
            args: &["render", "long-colophon.txt"],
        },
        Case {
            kind: "long content",
            what: "too many joint 发文机关 for the first page",
            setup: &[Fixture("many-issuers.txt")],
            args: &["render", "many-issuers.txt"],
        },
        Case {
            kind: "long content",
            what: "a 发文机关 name too long for the 标志's line",
            setup: &[Text(
                "report.txt",
                "@发文机关: 青山县人民政府办公室青山县人民政府办公室青山县人民政府办公室青山县人民政府办公室青山县人民政府办公室\n标题\n正文。\n",
            )],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "long content",
            what: "a 份号 longer than its line",
            setup: &[Text(
                "report.txt",
                "@份号: 0000000000000000000000000000000000000000000000000000000000000001\n标题\n正文。\n",
            )],
            args: &["render", "report.txt"],
        },
        Case {
            kind: "long content",
            what: "a 发文字号 and 签发人 longer than their line",
            setup: &[Text(
                "report.txt",
                "@发文机关: 青山县人民政府\n@发文字号: 青山县人民政府办公室发〔2023〕12号\n@签发人: 王建国 李明 张伟 刘洋 陈静\n标题\n正文。\n",
            )],
            args: &["render", "report.txt"],
        },
        // Fonts.
        Case {
            kind: "fonts",
            what: "a `--font-dir` that does not exist",
            setup: &[Text("report.txt", REPORT)],
            args: &["render", "report.txt", "--font-dir", "nofonts"],
        },
        Case {
            kind: "fonts",
            what: "a damaged font file in `--font-dir` (a warning)",
            setup: &[
                Text("report.txt", REPORT),
                Bytes("fonts/FangSong.ttf", b"\0\x01\0\0 damaged"),
            ],
            args: &[
                "render",
                "report.txt",
                "--font-dir",
                "fonts",
                "--format",
                "docx",
            ],
        },
        Case {
            kind: "fonts",
            what: "a character no font has, with `--strict`",
            setup: &[Text("report.txt", "标题\n正文\u{10FFFD}。\n")],
            args: &["render", "report.txt", "--strict"],
        },
        // Sheets (batch).
        Case {
            kind: "sheets",
            what: "a batch source that does not exist",
            setup: &[],
            args: &["batch", "nope.xlsx", "--template", "shuzhi"],
        },
        Case {
            kind: "sheets",
            what: "a workbook that is not one",
            setup: &[Bytes("list.xlsx", b"PK\x03\x04 not a workbook")],
            args: &["batch", "list.xlsx", "--template", "shuzhi"],
        },
        Case {
            kind: "sheets",
            what: "an empty CSV",
            setup: &[Text("list.csv", "")],
            args: &["batch", "list.csv", "--template", "shuzhi"],
        },
        Case {
            kind: "sheets",
            what: "a JSON Lines line that is not an object",
            setup: &[
                Text("list.jsonl", "{\"name\": \"张明\"}\n[1, 2]\n"),
                Text("t.hbs", "{{name}}的报告\n正文。\n"),
            ],
            args: &["batch", "list.jsonl", "--template", "t.hbs", "--jobs", "1"],
        },
        Case {
            kind: "sheets",
            what: "`--name` naming a column the sheet lacks",
            setup: &[Text("list.csv", "姓名,单位\n张明,柳河镇\n")],
            args: &[
                "batch",
                "list.csv",
                "--template",
                "shuzhi",
                "--name",
                "{{职务}}",
            ],
        },
        Case {
            kind: "sheets",
            what: "a CSV whose header repeats a name",
            setup: &[Text("list.csv", "姓名,姓名\n张明,李华\n")],
            args: &["batch", "list.csv", "--template", "shuzhi"],
        },
        Case {
            kind: "sheets",
            what: "an .ods of under 1 KB repeating one row 1,048,000 times",
            setup: &[Fixture("repeated.ods")],
            args: &["batch", "repeated.ods", "--template", "shuzhi"],
        },
        Case {
            kind: "sheets",
            what: "an .ods repeating a row of 16,384 filled cells 1,000 times",
            setup: &[Fixture("wide.ods")],
            args: &["batch", "wide.ods", "--template", "shuzhi"],
        },
        // Output.
        Case {
            kind: "sheets",
            what: "a draft in a batch folder over `--max-input-mb`",
            setup: &[
                Dir("drafts"),
                Text("drafts/a.txt", REPORT),
                Big("drafts/b.txt", 1536),
            ],
            args: &["batch", "drafts", "--max-input-mb", "1", "--format", "docx"],
        },
        Case {
            kind: "sheets",
            what: "an .xlsx with a cell reference no spreadsheet writes (row 99999999999)",
            setup: &[Fixture("bad-ref.xlsx")],
            args: &["batch", "bad-ref.xlsx", "--template", "shuzhi"],
        },
        Case {
            kind: "sheets",
            what: "an .xlsx declaring more shared texts than any workbook holds",
            setup: &[Fixture("bad-strings.xlsx")],
            args: &["batch", "bad-strings.xlsx", "--template", "shuzhi"],
        },
        Case {
            kind: "output",
            what: "an output folder that cannot be made",
            setup: &[Text("report.txt", REPORT), Text("blocker", "")],
            args: &["render", "report.txt", "-o", "blocker/out"],
        },
        Case {
            kind: "output",
            what: "a Word draft rendered into its own folder",
            setup: &[Fixture("draft.docx")],
            args: &["render", "draft.docx", "-o", "."],
        },
        Case {
            kind: "output",
            what: "a folder of drafts batched into itself",
            setup: &[Dir("drafts"), Text("drafts/a.txt", REPORT)],
            args: &["batch", "drafts", "-o", "drafts"],
        },
        Case {
            kind: "output",
            what: "a second batch into a folder in use",
            setup: &[Dir("drafts"), Text("drafts/a.txt", REPORT), LockHeld("out")],
            args: &["batch", "drafts"],
        },
    ]
}

/// Run one case in a fresh folder: (exit code, standard error as the user reads it).
fn run(case: &Case) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    let mut lock = None;
    for s in case.setup {
        match s {
            Text(name, text) => write(&at(name), text.as_bytes()),
            Bytes(name, bytes) => write(&at(name), bytes),
            Fixture(name) => write(
                &at(name),
                &std::fs::read(Path::new(FIXTURES).join(name)).unwrap(),
            ),
            Big(name, kib) => {
                let line = "正文一段，写满这一行为止。\n".repeat(40);
                let mut text = String::from("标题\n");
                while text.len() < kib * 1024 {
                    text.push_str(&line);
                }
                write(&at(name), text.as_bytes());
            }
            Made(name, make) => write(&at(name), &make()),
            Dir(name) => std::fs::create_dir_all(at(name)).unwrap(),
            Fifo(name) => {
                let o = Command::new("mkfifo").arg(at(name)).status().unwrap();
                assert!(o.success());
            }
            Layout(from, to) => {
                let base = std::fs::read_to_string(format!("{ROOT}/layouts/gbt9704.toml")).unwrap();
                assert!(base.contains(from), "{from} is not in gbt9704.toml");
                write(&at("house.toml"), base.replacen(from, to, 1).as_bytes());
            }
            LockHeld(out) => {
                std::fs::create_dir_all(at(out)).unwrap();
                let f = std::fs::File::open(at(out)).unwrap();
                f.try_lock().unwrap();
                lock = Some(f);
            }
        }
    }
    let mut args: Vec<&str> = case.args.to_vec();
    if matches!(args[0], "render" | "batch") {
        if !args.contains(&"-o") {
            args.extend(["-o", "out"]);
        }
        args.push("--no-system-fonts");
    }
    let mut child = harness::command()
        .args(&args)
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A device or pipe must be refused, not read: a run that hangs fails the case.
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{}: still running after 60 s", case.what);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    drop(lock);
    let err = String::from_utf8_lossy(&o.stderr)
        .replace(&format!("{}/", dir.path().display()), "")
        .replace(ROOT, ".");
    // A batch's progress lines (`made 1/2: …`) come in the order rows finish: not messages.
    let err: Vec<&str> = err
        .lines()
        .filter(|l| {
            !["made ", "failed ", "unchanged "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect();
    (o.status.code().unwrap_or(-1), err.join("\n"))
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A Word package: a title paragraph, then `body`, in `word/document.xml`; `parts` beside it.
fn word(body: &str, parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let doc = format!(
        r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>关于加强管理的报告</w:t></w:r></w:p>{body}</w:body></w:document>"#
    );
    for (name, text) in [("word/document.xml", doc.as_str())].iter().chain(parts) {
        z.start_file(*name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// One table row: the message's lines as code, a line break between them.
fn row(case: &Case, code: i32, err: &str) -> String {
    let lines: Vec<String> = err
        .lines()
        .map(|l| format!("`` {} ``", l.replace('|', "\\|")))
        .collect();
    format!(
        "| {} | {} | {} | {} |",
        case.kind,
        case.what,
        code,
        lines.join("<br>")
    )
}

const BEGIN: &str = "<!-- catalogue -->\n";
const END: &str = "<!-- /catalogue -->";

#[test]
fn every_bad_input_prints_what_the_readme_catalogue_says() {
    let cases = cases();
    assert!(cases.len() >= 40, "the catalogue covers at least 40 kinds");
    let mut table =
        String::from("| part | bad input | exit | standard error |\n|---|---|---|---|\n");
    let mut problems = Vec::new();
    for case in &cases {
        let (code, err) = run(case);
        // Never a panic, Rust debug text or an empty message.
        let says = |p: &str| err.lines().any(|l| l.starts_with(p));
        if !(says("error: ") || says("warning: "))
            || err.contains("panicked")
            || err.contains("{ ..")
        {
            problems.push(format!("{}: not a user message: {err:?}", case.what));
        }
        if says("error: ") != (code == 1) {
            problems.push(format!("{}: exit {code} with {err:?}", case.what));
        }
        table.push_str(&row(case, code, &err));
        table.push('\n');
    }
    let readme = std::fs::read_to_string(README).unwrap();
    let (Some(b), Some(e)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md has no {BEGIN:?} … {END:?} section");
    };
    let have = &readme[b + BEGIN.len()..e];
    if std::env::var_os("REPLACE").is_some() {
        let new = format!("{}{table}{}", &readme[..b + BEGIN.len()], &readme[e..]);
        std::fs::write(README, new).unwrap();
    } else {
        let want: Vec<&str> = table.lines().collect();
        for line in have.lines() {
            if !want.contains(&line) {
                problems.push(format!("README row not printed by the program: {line}"));
            }
        }
        for line in &want {
            if !have.lines().any(|l| l == *line) {
                problems.push(format!("printed, not in the README: {line}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
