//! Speed benchmark (issues 4 and 11), the goals printed beside the figures.
//!
//! One document: the seed (`data/shuzhi-report.txt`, 5 pages), then a 通知 whose title breaks
//! over two lines (`tests/fixtures/recognise-notice.txt`: the seed's title fits one line, so
//! it never measured the title's segmentation), each rendered to PDF and DOCX by the release
//! `gongwen`, a fresh process each time, `--runs` times (default 25): median CPU time (user +
//! sys, getrusage) with p10 and p90, peak memory, PDF bytes.
//!
//! Batch: 1,000 three-page 述职述廉报告 from a generated workbook (one row per official on sheet
//! 名单, one row per section on sheet 工作, joined by 工号), rendered with `gongwen batch` for
//! PDF only, DOCX only and both; the same data as a GBK CSV pair; a second run with nothing
//! changed; a PDF-only run at `--compress standard` (krilla's level, the size the 5 % goal is
//! measured against); and a sequential per-stage split. Each run prints its CPU time per
//! document and mean PDF size.
//!
//! ```sh
//! cargo bench --bench batch                    # 1,000 rows, 2 workers (or one per core)
//! cargo bench --bench batch -- --rows 200 --jobs 2 --no-check --dir /tmp/gw-bench
//! cargo bench --bench batch -- --single-only --runs 40
//! ```
//!
//! Each run is a fresh child process, so the peak memory (VmHWM) printed is that run's own.
//! A sample of 20 PDFs of the workbook run and 20 of the CSV run goes through
//! `tests/tools/gbcheck.py` unless `--no-check`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use gongwen::batch::BatchOptions;
use gongwen::batch::source::{ItemsSource, ItemsSpec, SourceOptions};
use gongwen::fonts::{FontBook, FontOptions};
use gongwen::spec::LayoutSpec;

/// A 述职述廉报告 without the 楷体 byline (gbcheck takes every non-heading 16 pt line for body
/// text), so the sample can be checked; otherwise the bundled `shuzhi` structure.
const TEMPLATE: &str = "{{year}}年{{unit}}{{post}}述职述廉报告
{{intro}}
{{#each sections}}
{{h1 @index}}{{title}}
{{text}}
{{/each}}
{{h1 (count sections)}}存在问题和不足
{{problems}}
{{plans}}
{{name}}
{{cn_date date}}
";

const SENTENCES: &[&str] = &[
    "我始终把提高思想政治素质当作一种责任，当作提高工作能力、领导水平的要求。",
    "利用业余时间认真学习党章、党规及习近平总书记系列重要讲话精神，用新思想武装头脑、指导实践、推动工作。",
    "坚持“两个维护”，增强“四个意识”，制定工作台账，狠抓任务落实，提升巩固自身政治素质。",
    "立足工作需要，积极学法用法，系统学习了党在农村工作的政策法规和业务知识。",
    "坚持向班子成员学，向书本学，向群众学，努力充实农村工作所需的实践经验。",
    "作为分管农业的副职，我能够正确认识和把握自己的角色，不越位更不缺位。",
    "建立重点任务督办台账和全镇重点工作台账，定期汇总梳理呈报主要领导，明确时间表、路线图、责任人。",
    "严格落实农产品质量安全监管职责，坚持“四个最严”，切实保障人民群众“舌尖上的安全”。",
    "控制地下水压采，全年压减开采量{n}万立方米，超额完成县下达的任务。",
    "稳定粮食蔬菜生产，收获秋粮{n}万吨，保障粮食连年丰收，农民收入稳步增长。",
    "严格执行中央八项规定及其实施细则精神，坚决反对“四风”，严守党的各项纪律和规矩。",
    "签订清廉过节承诺书，没有在任何单位报销应由个人负担的单据，管好亲属和身边工作人员。",
    "深入开展安全生产大检查，排查隐患{n}处，全部整改到位，全年未发生较大以上安全事故。",
    "扎实推进人居环境整治，清理垃圾{n}吨，新建改建卫生厕所{n}座，村容村貌明显改善。",
    "认真落实河长制，巡河{n}次，解决河道问题{n}个，辖区水质持续向好。",
    "抓好疫情防控和应急处置，完善预案，组织演练{n}次，提升了基层应急能力。",
    "推进乡村振兴，培育特色产业，发展合作社{n}家，带动农户增收致富。",
    "深化“放管服”改革，便民服务中心办理事项{n}件，群众满意率显著提升。",
    "坚持民主集中制，自觉维护班子团结，重大事项集体研究决定，不搞个人说了算。",
    "主动接受组织和群众监督，认真开展批评与自我批评，及时查找和纠正自身存在的问题。",
];

const UNITS: &[&str] = &[
    "青山县柳河镇",
    "青山县河西乡",
    "青山县河东乡",
    "青山县石门镇",
    "青山县白塔镇",
    "青山县东湖街道",
    "青山县西岭乡",
    "青山县南关镇",
];
const POSTS: &[&str] = &["副镇长", "镇长", "副乡长", "党委副书记", "纪委书记", "主任"];
const SURNAMES: &str =
    "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕";
const GIVEN: &str = "明华强军平伟芳娜敏静丽勇杰涛超秀英霞刚辉斌鹏燕玲桂波宁";
const TITLES: &[&str] = &[
    "加强政治理论学习，提高为民服务水平",
    "以身作则，协助党委落实主体责任",
    "严格推进分管工作，保质保量完成任务",
    "遵守廉政纪律，践行党的宗旨",
    "坚持以人民为中心，办好民生实事",
];

/// A small deterministic generator, so every run benchmarks the same documents.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }

    fn paragraph(&mut self, sentences: usize) -> String {
        (0..sentences)
            .map(|_| {
                let s = SENTENCES[self.next(SENTENCES.len())];
                s.replace("{n}", &(self.next(90) + 3).to_string())
            })
            .collect()
    }
}

/// Official `i`: the main row's fields and the sections.
fn official(i: usize) -> (Vec<String>, Vec<(String, String)>) {
    let mut r = Lcg(i as u64 * 7919 + 17);
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let name = format!(
        "{}{}{}",
        s[r.next(s.len())],
        g[r.next(g.len())],
        g[r.next(g.len())]
    );
    let row = vec![
        format!("{:04}", i + 1),
        "2023".into(),
        UNITS[r.next(UNITS.len())].into(),
        POSTS[r.next(POSTS.len())].into(),
        name,
        format!(
            "一年来，在县委、县政府的正确领导下，按照党委、政府的工作要求，{}现将今年以来履职尽责及廉政工作情况报告如下：",
            r.paragraph(2)
        ),
        format!(
            "虽然今年在工作中取得了一些成绩，但是也存在一些不足：{}",
            r.paragraph(2)
        ),
        format!("今后的工作中，我将{}", r.paragraph(3)),
        format!("2023-12-{:02}", 1 + r.next(28)),
    ];
    // Five sections of about 240 characters: three pages with the title and closing.
    let sections = TITLES
        .iter()
        .map(|t| (t.to_string(), r.paragraph(5)))
        .collect();
    (row, sections)
}

const HEADER: &[&str] = &[
    "工号", "year", "unit", "post", "name", "intro", "problems", "plans", "date",
];

fn write_xlsx(path: &Path, rows: usize) {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let main = book.add_worksheet();
    main.set_name("名单").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        main.write_string(0, c as u16, *h).unwrap();
    }
    let mut items = Vec::new();
    for i in 0..rows {
        let (row, sections) = official(i);
        for (c, v) in row.iter().enumerate() {
            main.write_string(i as u32 + 1, c as u16, v).unwrap();
        }
        for (t, text) in sections {
            items.push((row[0].clone(), t, text));
        }
    }
    let work = book.add_worksheet();
    work.set_name("工作").unwrap();
    for (c, h) in ["工号", "title", "text"].iter().enumerate() {
        work.write_string(0, c as u16, *h).unwrap();
    }
    for (k, (id, t, text)) in items.iter().enumerate() {
        let r = k as u32 + 1;
        work.write_string(r, 0, id).unwrap();
        work.write_string(r, 1, t).unwrap();
        work.write_string(r, 2, text).unwrap();
    }
    book.save(path).unwrap();
}

fn csv_line(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    quoted.join(",") + "\r\n"
}

/// The same data as two CSV files in GBK, as Excel's 另存为 CSV writes them on Chinese Windows.
fn write_csv(main: &Path, items: &Path, rows: usize) {
    let mut m = csv_line(HEADER);
    let mut it = csv_line(&["工号", "title", "text"]);
    for i in 0..rows {
        let (row, sections) = official(i);
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        m.push_str(&csv_line(&cells));
        for (t, text) in &sections {
            it.push_str(&csv_line(&[&row[0], t, text]));
        }
    }
    for (path, text) in [(main, m), (items, it)] {
        let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
        assert!(!bad, "the generated text is all GBK");
        std::fs::write(path, &bytes).unwrap();
    }
}

fn peak_memory_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// CPU time (user + sys) of this process (`RUSAGE_SELF`) or of its waited-for children, ms.
fn cpu_ms(who: libc::c_int) -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(who, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 * 1000.0 + v.tv_usec as f64 / 1000.0;
    t(u.ru_utime) + t(u.ru_stime)
}

/// The `p`-quantile of sorted values.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Mean size of the PDFs in a folder, bytes.
fn mean_pdf_bytes(dir: &Path) -> f64 {
    let sizes: Vec<u64> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .collect();
    sizes.iter().sum::<u64>() as f64 / sizes.len().max(1) as f64
}

/// One document, whole process: `input` (under the repository) to PDF and DOCX by the release
/// binary, `runs` times. `what` names it in the output.
fn single(runs: usize, root: &Path, input: &str, what: &str) {
    let exe = env!("CARGO_BIN_EXE_gongwen");
    let seed = &format!("{}/{input}", env!("CARGO_MANIFEST_DIR"));
    let out = root.join("single");
    let mut cpu = Vec::new();
    let mut peak_kb = 0;
    for _ in 0..runs {
        let before = cpu_ms(libc::RUSAGE_CHILDREN);
        let mut child = Command::new(exe)
            .args(["render", seed, "-q", "-o", out.to_str().unwrap()])
            .spawn()
            .unwrap();
        // wait4: this child's own peak memory (RUSAGE_CHILDREN keeps the largest so far).
        let mut status = 0;
        let mut u: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: the pid is our child's; wait4 fills status and u.
        unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut u) };
        assert_eq!(status, 0, "gongwen render {seed} failed");
        let _ = child.try_wait();
        peak_kb = peak_kb.max(u.ru_maxrss);
        cpu.push(cpu_ms(libc::RUSAGE_CHILDREN) - before);
    }
    cpu.sort_by(f64::total_cmp);
    let stem = Path::new(input).file_stem().unwrap().to_str().unwrap();
    let pdf = std::fs::metadata(out.join(format!("{stem}.pdf")))
        .unwrap()
        .len();
    println!(
        "one document ({what}, PDF + DOCX, whole process, {runs} runs): CPU median {:.1} ms \
         [p10 {:.1}, p90 {:.1}] (goal ≤ 25), peak {:.1} MB (goal ≤ 25), PDF {pdf} bytes",
        quantile(&cpu, 0.5),
        quantile(&cpu, 0.1),
        quantile(&cpu, 0.9),
        peak_kb as f64 / 1024.0,
    );
}

/// Child: one batch run in this process; prints one JSON line.
fn child(args: &[String]) {
    let [format, source, items, template, out, jobs, compress] = &args[..7] else {
        panic!("child: format source items template out jobs compress");
    };
    let items = match items.strip_prefix("sheet:") {
        Some(sheet) => ItemsSource::Sheet(sheet.to_string()),
        None => ItemsSource::File(PathBuf::from(items)),
    };
    let mut opts = BatchOptions::new(source);
    opts.source_options = SourceOptions {
        sheet: None,
        items: Some(ItemsSpec {
            source: items,
            key: "工号".into(),
            field: "sections".into(),
        }),
        ..SourceOptions::default()
    };
    opts.render.template = Some(template.clone());
    opts.render.layout = Some("report".into());
    opts.render.fonts = FontOptions {
        dirs: vec![],
        system: false,
    };
    opts.render.out_dir = PathBuf::from(out);
    opts.render.pdf = format != "docx";
    opts.render.docx = format != "pdf";
    opts.render.compress = compress.parse().unwrap();
    opts.name = Some("{{工号}}-{{unit}}-{{name}}".into());
    opts.jobs = Some(jobs.parse().unwrap());
    opts.cancel = Arc::new(AtomicBool::new(false));
    // As `gongwen batch` sets malloc (cmd::keep_freed_memory; the library no longer does).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of the allocator's parameters (it takes its own locks).
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
    let s = gongwen::batch::run(&opts).expect("batch runs");
    assert_eq!(s.counts.failed, 0, "{:?}", s.failed.first());
    println!(
        "{}",
        serde_json::json!({
            "wall_ms": ms(s.elapsed),
            "made": s.counts.made,
            "unchanged": s.counts.unchanged,
            "pages": s.pages,
            "template_ms": ms(s.stages.template),
            "produce_ms": ms(s.stages.produce),
            "write_ms": ms(s.stages.write),
            "peak_kb": peak_memory_kb(),
            "cpu_ms": cpu_ms(libc::RUSAGE_SELF),
        })
    );
}

/// Child: the stages one by one on one thread, for the first `n` rows.
fn stages(args: &[String]) {
    let [source, template, n] = &args[..3] else {
        panic!("stages: source template n");
    };
    let n: usize = n.parse().unwrap();
    let opts = SourceOptions {
        sheet: None,
        items: Some(ItemsSpec {
            source: ItemsSource::Sheet("工作".into()),
            key: "工号".into(),
            field: "sections".into(),
        }),
        ..SourceOptions::default()
    };
    let records = gongwen::batch::source::open(Path::new(source), &opts).unwrap();
    let t = Instant::now();
    let layout = LayoutSpec::load("report").unwrap();
    let fonts = FontBook::load(
        &layout,
        &FontOptions {
            dirs: vec![],
            system: false,
        },
    )
    .unwrap();
    let tpl = gongwen::template::Template::load(Path::new(template)).unwrap();
    let setup = t.elapsed();
    let dir = tempfile::tempdir().unwrap();
    let mut split = [Duration::ZERO; 6];
    let mut pages = 0;
    for r in records.into_iter().take(n) {
        let mut w = Vec::new();
        let data = gongwen::data::Data {
            value: serde_json::Value::Object(r.fields),
            source: r.label,
        };
        let t0 = Instant::now();
        let text = tpl.render(&data).unwrap();
        let t1 = Instant::now();
        let doc = gongwen::plaintext::parse(&text, &data.source, &mut w).unwrap();
        let t2 = Instant::now();
        let plan = gongwen::plan::plan(&doc, &layout).unwrap();
        let paged = gongwen::layout::layout(&plan, &layout, &fonts, false, &mut w).unwrap();
        let t3 = Instant::now();
        let pdf = gongwen::export::pdf::write(&paged, &fonts, gongwen::export::pdf::Compress::Fast)
            .unwrap();
        let t4 = Instant::now();
        let docx = gongwen::export::docx::write(&plan, &layout, &[], Default::default()).unwrap();
        let t5 = Instant::now();
        gongwen::write_all(
            dir.path(),
            &[
                (dir.path().join("a.pdf"), pdf),
                (dir.path().join("a.docx"), docx),
            ],
        )
        .unwrap();
        let t6 = Instant::now();
        for (k, (a, b)) in [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6)]
            .into_iter()
            .enumerate()
        {
            split[k] += b - a;
        }
        pages += paged.pages.len();
    }
    let per = |d: Duration| ms(d) / n as f64;
    println!(
        "{}",
        serde_json::json!({
            "setup_ms": ms(setup),
            "pages_per_doc": pages as f64 / n as f64,
            "handlebars_ms": per(split[0]),
            "plaintext_ms": per(split[1]),
            "layout_ms": per(split[2]),
            "pdf_ms": per(split[3]),
            "docx_ms": per(split[4]),
            "write_ms": per(split[5]),
        })
    );
}

fn spawn(args: &[&str]) -> serde_json::Value {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap_or("")).unwrap()
}

fn gbcheck_sample(dir: &Path, count: usize) -> usize {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    let step = (pdfs.len() / count).max(1);
    let sample: Vec<&PathBuf> = pdfs.iter().step_by(step).take(count).collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/gbcheck.py");
    let mut passed = 0;
    for chunk in sample.chunks(2) {
        let children: Vec<_> = chunk
            .iter()
            .map(|p| {
                Command::new("python3")
                    .args([script, p.to_str().unwrap()])
                    .output()
            })
            .collect();
        for (p, out) in chunk.iter().zip(children) {
            let out = out.expect("python3 runs gbcheck.py");
            if out.status.success() {
                passed += 1;
            } else {
                eprintln!(
                    "gbcheck FAIL {}:\n{}",
                    p.display(),
                    String::from_utf8_lossy(&out.stdout)
                );
            }
        }
    }
    passed
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        return child(&args[i + 1..]);
    }
    if let Some(i) = args.iter().position(|a| a == "--stages") {
        return stages(&args[i + 1..]);
    }
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let rows: usize = value("--rows").map_or(1000, |v| v.parse().unwrap());
    let jobs = value("--jobs").unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .to_string()
    });
    let check = !args.iter().any(|a| a == "--no-check");
    let runs: usize = value("--runs").map_or(25, |v| v.parse().unwrap());

    // `--dir DIR` keeps the generated files and outputs there (for profiling); else a temporary
    // folder.
    let temp = tempfile::tempdir().unwrap();
    let root = value("--dir").map_or(temp.path().to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&root).unwrap();
    single(runs, &root, "data/shuzhi-report.txt", "seed, 5 pages");
    // A title that breaks over two lines: the title's segmentation is part of the render.
    single(
        runs,
        &root,
        "tests/fixtures/recognise-notice.txt",
        "a 通知 with a two-line title",
    );
    if args.iter().any(|a| a == "--single-only") {
        return;
    }
    let d = |name: &str| root.join(name).to_str().unwrap().to_string();
    let template = d("shuzhi-bench.hbs");
    std::fs::write(&template, TEMPLATE).unwrap();
    let t = Instant::now();
    write_xlsx(Path::new(&d("officials.xlsx")), rows);
    write_csv(
        Path::new(&d("officials.csv")),
        Path::new(&d("work.csv")),
        rows,
    );
    println!(
        "generated {rows} officials ({} sections) as XLSX and GBK CSV in {:.0} ms; {jobs} workers",
        rows * TITLES.len(),
        ms(t.elapsed())
    );

    let split = spawn(&["--stages", &d("officials.xlsx"), &template, "100"]);
    println!(
        "one thread, per document ({:.1} pages): handlebars {:.2} ms, plain text {:.2} ms, layout {:.2} ms, \
         PDF {:.2} ms, DOCX {:.2} ms, write {:.2} ms (setup once: {:.0} ms)",
        split["pages_per_doc"].as_f64().unwrap(),
        split["handlebars_ms"].as_f64().unwrap(),
        split["plaintext_ms"].as_f64().unwrap(),
        split["layout_ms"].as_f64().unwrap(),
        split["pdf_ms"].as_f64().unwrap(),
        split["docx_ms"].as_f64().unwrap(),
        split["write_ms"].as_f64().unwrap(),
        split["setup_ms"].as_f64().unwrap(),
    );

    println!(
        "{:<28} {:>6} {:>7} {:>9} {:>8} {:>8} {:>9} {:>9}   stage time summed over workers (ms/doc)",
        "run", "docs", "pages", "docs/s", "ms/doc", "CPU/doc", "peak MB", "PDF bytes"
    );
    let xlsx = d("officials.xlsx");
    let csv = d("officials.csv");
    let work = d("work.csv");
    let runs: Vec<(String, Vec<String>)> = vec![
        (
            "xlsx, PDF only, standard".into(),
            vec![
                "pdf".into(),
                xlsx.clone(),
                "sheet:工作".into(),
                template.clone(),
                d("out-standard"),
                jobs.clone(),
                "standard".into(),
            ],
        ),
        (
            "xlsx, PDF only".into(),
            vec![
                "pdf".into(),
                xlsx.clone(),
                "sheet:工作".into(),
                template.clone(),
                d("out-pdf"),
                jobs.clone(),
                "fast".into(),
            ],
        ),
        (
            "xlsx, DOCX only".into(),
            vec![
                "docx".into(),
                xlsx.clone(),
                "sheet:工作".into(),
                template.clone(),
                d("out-docx"),
                jobs.clone(),
                "fast".into(),
            ],
        ),
        (
            "xlsx, both".into(),
            vec![
                "both".into(),
                xlsx.clone(),
                "sheet:工作".into(),
                template.clone(),
                d("out-both"),
                jobs.clone(),
                "fast".into(),
            ],
        ),
        (
            "xlsx, both, nothing changed".into(),
            vec![
                "both".into(),
                xlsx.clone(),
                "sheet:工作".into(),
                template.clone(),
                d("out-both"),
                jobs.clone(),
                "fast".into(),
            ],
        ),
        (
            "GBK CSV, both".into(),
            vec![
                "both".into(),
                csv,
                work,
                template.clone(),
                d("out-csv"),
                jobs.clone(),
                "fast".into(),
            ],
        ),
    ];
    let mut reference_bytes = 0.0;
    let mut both_cpu = 0.0;
    for (label, a) in runs {
        let out = PathBuf::from(&a[4]);
        let mut argv = vec!["--child".to_string()];
        argv.extend(a);
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let r = spawn(&argv);
        let wall = r["wall_ms"].as_f64().unwrap();
        let made = r["made"].as_u64().unwrap() as f64;
        let unchanged = r["unchanged"].as_u64().unwrap();
        // Per document made; a run that made none (nothing changed): per row checked.
        let docs = if made > 0.0 {
            made
        } else {
            (unchanged as f64).max(1.0)
        };
        let cpu = r["cpu_ms"].as_f64().unwrap() / docs;
        let bytes = mean_pdf_bytes(&out);
        if label.ends_with("standard") {
            reference_bytes = bytes;
        }
        if label == "xlsx, both" {
            both_cpu = cpu;
        }
        println!(
            "{label:<28} {:>6} {:>7} {:>9.1} {:>8.2} {:>8.2} {:>9.1} {:>9.0}   template {:.2}, layout+PDF+DOCX {:.2}, write {:.2}{}",
            made,
            r["pages"],
            made / (wall / 1000.0),
            wall / docs,
            cpu,
            r["peak_kb"].as_f64().unwrap() / 1024.0,
            bytes,
            r["template_ms"].as_f64().unwrap() / docs,
            r["produce_ms"].as_f64().unwrap() / docs,
            r["write_ms"].as_f64().unwrap() / docs,
            if unchanged > 0 {
                format!("; {unchanged} unchanged in {wall:.0} ms")
            } else {
                String::new()
            }
        );
    }
    let fast_bytes = mean_pdf_bytes(Path::new(&d("out-both")));
    println!(
        "batch goals: CPU per document (PDF + DOCX) {both_cpu:.2} ms (goal ≤ 4); \
         PDF {fast_bytes:.0} bytes, {:+.1} % against --compress standard (goal ≤ +5 %)",
        (fast_bytes / reference_bytes - 1.0) * 100.0
    );
    if check {
        for out in ["out-both", "out-csv"] {
            let n = gbcheck_sample(Path::new(&d(out)), 20);
            println!("gbcheck: {n} of 20 sampled PDFs of {out} pass");
        }
    }
}
