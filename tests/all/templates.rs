//! Data files through templates: the bundled examples render, a missing field is an error that
//! names the template file, line, column and field, and helpers do what the README says.

use crate::harness;
use crate::harness::{ROOT, gongwen, pdftotext};

#[test]
fn bundled_examples_render_with_their_fields_numbered_and_dated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    for (data, pdf) in [
        ("data/shuzhi-2023.yaml", "shuzhi-2023.pdf"),
        ("data/tongzhi.json", "tongzhi.pdf"),
    ] {
        let o = gongwen(&[
            "render",
            &format!("{ROOT}/{data}"),
            "-o",
            out,
            "--no-system-fonts",
        ]);
        assert!(
            o.status.success(),
            "{data}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(dir.path().join(pdf.replace(".pdf", ".docx")).exists());
        let text: String = pdftotext(&dir.path().join(pdf))
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        match pdf {
            "shuzhi-2023.pdf" => {
                assert!(
                    text.starts_with("2023年青山县柳河镇述职述廉报告青山县柳河镇副镇长张明"),
                    "{text}"
                );
                for h in [
                    "一、加强政治理论学习",
                    "二、以身作则",
                    "1.建立工作机制",
                    "2.严格推进",
                    "四、存在问题和不足",
                ] {
                    assert!(text.contains(h), "{h} missing");
                }
            }
            _ => {
                for h in [
                    "青政办发〔2023〕12号",
                    "各乡镇人民政府，县政府各部门：",
                    "三、工作要求",
                    // One attachment: no number (7.3.4).
                    "附件：安全生产大检查重点内容和检查情况汇总表",
                    "抄送：县委办公室",
                    "2023年7月1日印发",
                    "2023年7月1日",
                    "（此件公开发布）",
                ] {
                    assert!(text.contains(h), "{h} missing in {text}");
                }
            }
        }
    }
}

#[test]
fn every_field_the_data_lacks_is_named_in_one_error_with_the_fields_as_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.yaml");
    // Two fields given (one by its English alias), seven missing.
    std::fs::write(&data, "template: shuzhi\nyear: 2023\n单位: 柳河镇\n").unwrap();
    let o = gongwen(&[
        "render",
        data.to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.starts_with(&format!(
            "error: {}: the data has no fields ",
            data.display()
        )),
        "{err}"
    );
    let want = [
        "职务",
        "姓名",
        "引言",
        "履职情况",
        "廉洁自律",
        "存在问题",
        "今后打算",
    ];
    let listed = format!("'{}'", want.join("', '"));
    assert!(err.contains(&listed), "{err}");
    // Where the template uses each: the byline's 职务 is on line 18, column 13.
    assert!(
        err.contains("layouts/templates/shuzhi.hbs uses them at 18:13, 18:20, 19:1"),
        "{err}"
    );
    assert_eq!(err.matches("error: ").count(), 1, "{err}");
    assert!(
        err.contains("hint: shuzhi takes: 年度 (number), 单位, 职务, 姓名, 引言, 述职内容? (list of {标题, 内容?, 要点? (list of {标题, 内容})})"),
        "{err}"
    );
    assert!(
        !dir.path().join("out").exists()
            || std::fs::read_dir(dir.path().join("out"))
                .unwrap()
                .next()
                .is_none()
    );
    // One field missing: said in the singular, with a date field found through its helper.
    std::fs::write(
        &data,
        std::fs::read_to_string(format!("{ROOT}/data/tongzhi.json"))
            .unwrap()
            .replace("\"成文日期\": \"2023-07-01\",", ""),
    )
    .unwrap();
    let json = dir.path().join("d.json");
    std::fs::rename(&data, &json).unwrap();
    let o = gongwen(&[
        "render",
        json.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("the data has no field '成文日期' ("), "{err}");
}

/// data/NAME with its Chinese field names written back as the English aliases the templates
/// took before (`年度` → `year`), as an office's old data files have them.
fn english(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut t = text.to_string();
    for (zh, en) in pairs {
        t = t.replace(&format!("\n{zh}:"), &format!("\n{en}:"));
        t = t.replace(&format!("  - {zh}:"), &format!("  - {en}:"));
        t = t.replace(&format!("    {zh}:"), &format!("    {en}:"));
    }
    t
}

fn pdf_of(args: &[&str], pdf: &std::path::Path) -> String {
    let o = gongwen(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    pdftotext(pdf)
}

#[test]
fn english_field_names_still_work_and_a_template_names_its_layout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let chinese = std::fs::read_to_string(format!("{ROOT}/data/shuzhi-2023.yaml")).unwrap();
    // No `layout:` line: the template's header says `report`.
    let chinese = chinese.replace("layout: report\n", "");
    let old = english(
        &chinese,
        &[
            ("年度", "year"),
            ("单位", "unit"),
            ("职务", "post"),
            ("姓名", "name"),
            ("引言", "intro"),
            ("述职内容", "sections"),
            ("标题", "title"),
            ("内容", "text"),
            ("要点", "items"),
            ("存在问题", "problems"),
            ("今后打算", "plans"),
        ],
    );
    assert!(old.contains("\nunit: 青山县柳河镇") && old.contains("      - title: 建立工作机制"));
    std::fs::write(d.join("zh.yaml"), &chinese).unwrap();
    std::fs::write(d.join("en.yaml"), &old).unwrap();
    let out = d.join("out");
    let o = out.to_str().unwrap();
    let args = |f: &str| {
        vec![
            "render".to_string(),
            d.join(f).to_string_lossy().into_owned(),
            "-o".into(),
            o.to_string(),
            "--no-system-fonts".into(),
            "--format".into(),
            "pdf".into(),
        ]
    };
    let run = |f: &str, extra: &[&str]| {
        let mut a = args(f);
        a.extend(extra.iter().map(|s| s.to_string()));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let stem = f.trim_end_matches(".yaml");
        let text = pdf_of(&a, &out.join(format!("{stem}.pdf")));
        (
            text,
            std::fs::read(out.join(format!("{stem}.pdf"))).unwrap(),
        )
    };
    let (zh_text, zh_pdf) = run("zh.yaml", &[]);
    let (en_text, en_pdf) = run("en.yaml", &[]);
    assert!(zh_text.contains("1.建立工作机制"), "{zh_text}");
    assert_eq!(zh_text, en_text);
    assert_eq!(
        zh_pdf, en_pdf,
        "the same document from English and Chinese fields"
    );
    // The 函 without `layout: xinhan`: its template's header names xinhan, so the file is the
    // one --layout xinhan makes, not gbt9704's (the 信函 标志 sits 30 mm from the top).
    let han = std::fs::read_to_string(format!("{ROOT}/data/han.yaml")).unwrap();
    assert!(han.contains("\nlayout: xinhan\n"));
    std::fs::write(d.join("han.yaml"), han.replace("\nlayout: xinhan\n", "\n")).unwrap();
    let (_, default) = run("han.yaml", &[]);
    let (_, xinhan) = run("han.yaml", &["--layout", "xinhan"]);
    let (_, gbt) = run("han.yaml", &["--layout", "gbt9704"]);
    assert_eq!(default, xinhan);
    assert_ne!(default, gbt);
}

#[test]
fn inc_numbers_from_one_for_xuhao() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("mingdan.hbs");
    std::fs::write(
        &tpl,
        "关于表扬先进个人的通报\n各单位：\n@表格\n序号 | 姓名\n{{#each 名单}}\n{{inc @index}} | {{this}}\n{{/each}}\n@表格结束\n办公室\n2024年3月5日\n",
    )
    .unwrap();
    let data = dir.path().join("d.json");
    std::fs::write(&data, r#"{"名单": ["张明", "李华", "王芳"]}"#).unwrap();
    let o = gongwen(&[
        "render",
        data.to_str().unwrap(),
        "--template",
        tpl.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "pdf",
        "--no-system-fonts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text: String = pdftotext(&dir.path().join("d.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("序号姓名1张明2李华3王芳"), "{text}");
}

#[test]
fn templates_lists_each_with_what_it_makes_its_layout_fields_and_example() {
    let dir = tempfile::tempdir().unwrap();
    // A house template in the working folder, copied from a bundled one, and one without a
    // header.
    std::fs::copy(
        format!("{ROOT}/layouts/templates/han.hbs"),
        dir.path().join("house-han.hbs"),
    )
    .unwrap();
    std::fs::write(dir.path().join("bare.hbs"), "{{标题}}\n").unwrap();
    let o = harness::command()
        .arg("templates")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let blocks: Vec<&str> = out.split("\n\n").collect();
    let names: Vec<&str> = blocks
        .iter()
        .map(|b| b.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "baogao",
            "dafu",
            "gonggao",
            "han",
            "jiyao",
            "jueding",
            "ling",
            "pifu",
            "qingshi",
            "shuzhi",
            "tongbao",
            "tonggao",
            "tongzhi",
            "yijian",
            "./bare.hbs",
            "./house-han.hbs"
        ],
        "{out}"
    );
    let block = |n: &str| blocks[names.iter().position(|x| *x == n).unwrap()];
    for (name, layout, makes, field) in [
        (
            "shuzhi",
            "report",
            "述职述廉报告",
            "    年度 (number)  [also 'year']",
        ),
        (
            "tongzhi",
            "gbt9704",
            "通知",
            "    事项 (list of {标题, 段落 (list of text)})",
        ),
        ("han", "xinhan", "函", "    正文 (list of text)"),
        (
            "jiyao",
            "jiyao",
            "纪要",
            "    议定事项 (list of {标题, 内容})",
        ),
        ("qingshi", "gbt9704", "请示", "    请示事项 (list of text)"),
        ("baogao", "gbt9704", "报告", "    成文日期 (date)"),
        ("ling", "ling", "命令（令）", "    令号 (number)"),
        ("gonggao", "gbt9704", "公告", "    编号?"),
        ("tonggao", "gbt9704", "通告", "    结语?"),
        ("tongbao", "gbt9704", "通报", "    附件名单? (list of text)"),
        ("pifu", "gbt9704", "批复", "    来文字号"),
        ("jueding", "gbt9704", "决定", "    题注?"),
        ("yijian", "gbt9704", "意见", "    事项 (list of {标题, 措施"),
        (
            "dafu",
            "gbt9704",
            "答复",
            "    答复事项 (list of {标题, 内容})",
        ),
        ("./house-han.hbs", "xinhan", "函", "    抄送?  [also 'cc']"),
    ] {
        let b = block(name);
        assert!(b.lines().next().unwrap().contains(makes), "{b}");
        assert!(b.contains(&format!("\n  layout:  {layout}\n")), "{b}");
        assert!(b.contains(field), "{name}: {field} in {b}");
        // The example exists and names this template.
        let ex = b
            .lines()
            .find_map(|l| l.strip_prefix("  example: "))
            .unwrap_or_else(|| panic!("{name} has an example: {b}"));
        let text = std::fs::read_to_string(format!("{ROOT}/{ex}")).unwrap();
        let bundled = name.trim_start_matches("./house-").trim_end_matches(".hbs");
        assert!(text.contains(bundled), "{ex} names {bundled}");
    }
    assert!(block("./bare.hbs").contains("no header"), "{out}");
}

#[test]
fn data_syntax_errors_and_templates_from_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"title\": \"x\",\n  oops\n}").unwrap();
    let err = String::from_utf8(gongwen(&["render", bad.to_str().unwrap()]).stderr).unwrap();
    assert!(err.contains("bad.json:3:3: invalid JSON"), "{err}");
    // A template of the user's own, with the date and numbering helpers.
    let tpl = dir.path().join("mine.hbs");
    std::fs::write(
        &tpl,
        "{{title}}\n{{#each items}}\n{{h2 @index}}{{this}}\n{{/each}}\n办公室\n{{cn_date when}}\n",
    )
    .unwrap();
    let data = dir.path().join("d.toml");
    std::fs::write(
        &data,
        "title = \"关于会议安排的函\"\nitems = [\"时间\", \"地点\"]\nwhen = 2023-10-08\n",
    )
    .unwrap();
    let o = gongwen(&[
        "render",
        data.to_str().unwrap(),
        "--template",
        tpl.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "pdf",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // (pdftotext shows the 汉字–digit autospace as a space; compare without white space.)
    let text: String = pdftotext(&dir.path().join("d.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for want in ["（一）时间", "（二）地点", "2023年10月8日"] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

#[test]
fn placeholders_left_in_the_text_are_warnings_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongwen(&[
        "render",
        &format!("{ROOT}/data/shuzhi-report.txt"),
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "pdf",
    ]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("shuzhi-report.txt:1: placeholder 'XX' left in the text (2×)"),
        "{err}"
    );
    assert!(
        err.contains("shuzhi-report.txt:11: placeholder 'XXX'"),
        "{err}"
    );
}

/// issue 19: a field the header declares a number took "abc" and printed "abc年…述职述廉报告".
#[test]
fn a_number_field_given_text_is_an_error_naming_field_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(format!("{ROOT}/data/shuzhi-2023.yaml")).unwrap();
    assert!(text.contains("\n年度: 2023\n"));
    let data = dir.path().join("abc.yaml");
    std::fs::write(&data, text.replace("\n年度: 2023\n", "\n年度: abc\n")).unwrap();
    let out = dir.path().join("out");
    let o = gongwen(&[
        "render",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("field '年度' is declared a number, but the data gives 'abc'"),
        "{err}"
    );
    assert!(!out.join("abc.pdf").exists());
    // A sheet's cells are text: "2023" is a number there; "abc" fails its row alone.
    let csv = dir.path().join("rows.csv");
    let row = "柳河镇,镇长,张明,引言。,问题。,打算。,履职。,廉洁。";
    std::fs::write(
        &csv,
        format!(
            "年度,单位,职务,姓名,引言,存在问题,今后打算,履职情况,廉洁自律\n2023,{row}\nabc,{row}\n"
        ),
    )
    .unwrap();
    let o = gongwen(&[
        "batch",
        csv.to_str().unwrap(),
        "--template",
        "shuzhi",
        "-o",
        out.to_str().unwrap(),
        "--no-system-fonts",
    ]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("1 made") && all.contains("1 failed"), "{all}");
    assert!(
        all.contains("rows.csv:row 3: field '年度' is declared a number"),
        "{all}"
    );
}

/// Issue 22: each kind's template renders its example, with what that kind must show: a 公告
/// and a 通告 end 特此公告。/特此通告。 with no 主送, a 批复 opens 你局《……》（……）收悉, a 决定
/// has its 题注 under the title, a 通报 its numbered list on an attachment page, a 令 its 标志
/// and 令号.
#[test]
fn each_kind_renders_its_example_with_what_the_kind_shows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    for (stem, shows) in [
        (
            "ling",
            &[
                "青山县人民政府令",
                "第7号",
                "县长王建国",
                "第一章总则",
                "第八条",
            ][..],
        ),
        (
            "gonggao",
            &["（第2号）", "现将有关事项公告如下：", "特此公告。"],
        ),
        (
            "tonggao",
            &["现就野外火源管控有关事项通告如下：", "特此通告。"],
        ),
        (
            "tongbao",
            &[
                "附件：第三季度政务服务",
                "附件1第三季度",
                "6.县人力资源和社会保障局医保窗口",
            ],
        ),
        (
            "pifu",
            &[
                "你局《关于青山县第一中学扩建工程立项的请示》（青教〔2024〕22号）收悉。",
                "此复。",
            ],
        ),
        (
            "jueding",
            &["（2024年4月25日青山县第十八届人民代表大会常务委员会第十八次会议通过）"],
        ),
        ("yijian", &["（二）培育壮大经营主体。", "2024年3月21日印发"]),
        (
            "dafu",
            &["王建华代表：", "（联系人：周明，联系电话：0123-6118899）"],
        ),
    ] {
        let data = format!("{ROOT}/data/{stem}.yaml");
        let o = gongwen(&["render", &data, "-o", out, "--no-system-fonts"]);
        assert!(
            o.status.success(),
            "{stem}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text: String = pdftotext(&dir.path().join(format!("{stem}.pdf")))
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for s in shows {
            assert!(text.contains(s), "{stem}: {s} missing in {text}");
        }
    }
}

/// Issue 22: a 令 typed as a clerk types it (`青山县人民政府令`, `第18号`, the body, `县长　王建国`,
/// the date) renders in the 令 format with no `--layout`: the red 标志's top 20 mm under the
/// body area's top (10.2), the 令号 centred two blank lines under it, the body two blank lines
/// under the 令号, no red rule; the 签发人 line two blank lines under the body ending four
/// characters from the right, the date one blank line under it, four characters from the right
/// (7.3.5.3).
#[test]
fn a_ling_draft_renders_in_the_ling_format_without_naming_it() {
    const MM: f64 = 72.0 / 25.4;
    const PITCH: f64 = 28.95;
    let dir = tempfile::tempdir().unwrap();
    let draft = format!("{ROOT}/tests/fixtures/kinds/mingling.txt");
    let o = gongwen(&[
        "render",
        &draft,
        "-o",
        dir.path().to_str().unwrap(),
        "--no-system-fonts",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines = crate::harness::pdf_lines(&dir.path().join("mingling.pdf"));
    let find = |t: &str| {
        lines
            .iter()
            .find(|l| l["text"] == t)
            .unwrap_or_else(|| panic!("{t} not a line: {lines:?}"))
    };
    let f = |l: &serde_json::Value, k: &str| l[k].as_f64().unwrap();
    let mark = find("青山县人民政府令");
    assert_eq!(mark["colour"], serde_json::json!([1.0, 0.0, 0.0]));
    // The 标志's top (its baseline less the face's ascent, 0.88 em) 57 mm from the paper's top.
    let top = f(mark, "baseline") - 0.88 * f(mark, "size");
    assert!((top - 57.0 * MM).abs() < 1.5, "标志 top {:.1} mm", top / MM);
    let number = find("第18号");
    let centre = (28.0 + 78.0) * MM;
    assert!(((f(number, "x0") + f(number, "x1")) / 2.0 - centre).abs() < 1.0);
    let body = lines
        .iter()
        .find(|l| l["text"].as_str().unwrap().starts_with("《青山县"))
        .unwrap();
    assert!((f(body, "baseline") - f(number, "baseline") - 3.0 * PITCH).abs() < 0.5);
    let signer = find("县长王建国");
    let date = find("2024年6月20日");
    let right = (210.0 - 26.0) * MM;
    let cell = 156.0 * MM / 28.0;
    assert!(
        (right - f(signer, "x1") - 4.0 * cell).abs() < 1.0,
        "{signer}"
    );
    assert!((right - f(date, "x1") - 4.0 * cell).abs() < 2.0, "{date}");
    assert!((f(date, "baseline") - f(signer, "baseline") - 2.0 * PITCH).abs() < 0.5);
    // 职务 two characters left of the name (the 签名章's place).
    let gap = signer["text"].as_str().unwrap().chars().count();
    assert_eq!(gap, 5);
    assert!(
        (f(signer, "x1") - f(signer, "x0") - 7.0 * cell).abs() < 1.0,
        "{signer}"
    );
    // No red rule in the DOCX: no shape anchored in its body.
    let xml = crate::harness::docx_part(&dir.path().join("mingling.docx"), "word/document.xml");
    assert!(!xml.contains("<wp:anchor"), "a rule in the 令's DOCX");
    assert!(xml.contains("SignerPost"));
}
