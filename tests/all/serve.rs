//! `gongwen serve` over HTTP, without a browser (issue 19): what it refuses (paths for
//! layouts and templates, other hosts, other origins), what it never shows (server paths),
//! what it survives (deep uploads, slow and idle clients, a crowd of mixed requests), and what
//! it leaves behind (nothing). Each test starts its own server on a free port with its own
//! TMPDIR ([`Server`], with the raw HTTP/1.1 client, in the harness).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::server::{Server, http, left_in, parse};
use serde_json::Value;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shuzhi-report.txt");
fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

/// A small draft: a title, a paragraph, the sender and the date.
const SMALL: &str = "关于做好防汛工作的通知\n各乡镇：\n请于7月10日前完成自查。\n青山县人民政府办公室\n2023年7月1日\n";

/// `template=/etc/passwd` printed that file in explain's lines and the PDF; `layout=` opened
/// any file; a data file's own `template:` / `layout:` did the same through the library.
#[test]
fn layouts_and_templates_are_only_those_offered() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let data = "姓名: 张三\n".as_bytes();
    for q in [
        "/api/render?name=d.yaml&template=/etc/passwd",
        "/api/render?name=d.yaml&template=../../etc/passwd.hbs",
        "/api/render?name=a.txt&layout=/etc/shadow",
        "/api/render?name=a.txt&layout=/dev/zero",
        "/api/render?name=a.txt&layout=./nothing.toml",
    ] {
        let (code, body) = s.post(q, data);
        let text = String::from_utf8_lossy(&body);
        assert_eq!(code, 400, "{q}: {text}");
        assert!(text.contains("没有这个"), "{q}: {text}");
        assert!(!text.contains("root:"), "{q}: {text}");
    }
    for yaml in [
        "template: /etc/passwd\n姓名: 张三\n",
        "template: shuzhi\nlayout: /etc/passwd\n姓名: 张三\n",
        "template: shuzhi\nlayout: /dev/zero\n姓名: 张三\n",
    ] {
        let (code, body) = s.post("/api/render?name=d.yaml", yaml.as_bytes());
        let text = String::from_utf8_lossy(&body);
        assert_eq!(code, 422, "{yaml}: {text}");
        assert!(text.contains("没有这个"), "{yaml}: {text}");
        assert!(!text.contains("root:"), "{yaml}: {text}");
    }
    // What the menus offer still works: a bundled layout, the working folder's template.
    let (code, body) = s.post("/api/render?name=a.txt&layout=gbt9704", SMALL.as_bytes());
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    std::fs::write(
        cwd.path().join("mine.hbs"),
        "关于{{事项}}的通知\n各乡镇：\n请落实。\n青山县人民政府办公室\n2023年7月1日\n",
    )
    .unwrap();
    let (code, body) = s.post(
        "/api/render?name=d.yaml&template=./mine.hbs",
        "事项: 防汛\n".as_bytes(),
    );
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    // A FIFO named like a layout is not offered (listing it would block for good).
    let fifo = cwd.path().join("x.toml");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let (code, body) = s.get("/api/options");
        assert_eq!(code, 200);
        assert!(!String::from_utf8_lossy(&body).contains("x.toml"));
    }
}

/// Host and Origin were not checked: any web page could post a draft and, by DNS rebinding,
/// read the answer.
#[test]
fn other_hosts_and_origins_are_refused() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let port = s.addr.rsplit(':').next().unwrap().to_string();
    let req = |method: &str, host: &str, extra: &str| {
        let head = format!(
            "{method} /api/render?name=a.txt HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
            SMALL.len()
        );
        http(&s.addr, &head, SMALL.as_bytes()).0
    };
    // A rebound name, another port, no Host at all.
    assert_eq!(req("POST", &format!("evil.example:{port}"), ""), 421);
    assert_eq!(req("POST", "127.0.0.1:1", ""), 421);
    let head = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
    assert_eq!(http(&s.addr, head, b"").0, 421);
    let head =
        format!("GET / HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(http(&s.addr, &head, b"").0, 421);
    // A form or fetch from another page (a "simple" text/plain POST), or none at all.
    let here = s.addr.clone();
    assert_eq!(
        req(
            "POST",
            &here,
            "Origin: http://evil.example\r\nContent-Type: text/plain\r\n"
        ),
        403
    );
    assert_eq!(req("POST", &here, "Origin: null\r\n"), 403);
    assert_eq!(req("POST", &here, ""), 403);
    assert_eq!(req("POST", &here, "X-Gongwen-Token: guessed\r\n"), 403);
    // The page's own: its Origin, or its token.
    assert_eq!(
        req("POST", &here, &format!("Origin: http://{here}\r\n")),
        200
    );
    let (code, page) = s.get("/");
    assert_eq!(code, 200);
    let page = String::from_utf8(page).unwrap();
    let token = page
        .split("const token = \"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap()
        .to_string();
    assert_eq!(token.len(), 32, "{token}");
    assert_eq!(
        req("POST", &here, &format!("X-Gongwen-Token: {token}\r\n")),
        200
    );
    assert_eq!(
        req(
            "POST",
            &format!("localhost:{port}"),
            &format!("Origin: http://localhost:{port}\r\n")
        ),
        200
    );
}

/// Result ids were 1, 2, 3…: anyone could download anyone's PDF. Now 128 random bits.
#[test]
fn result_ids_cannot_be_guessed() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (code, body) = s.post("/api/render?name=a.txt", SMALL.as_bytes());
        assert_eq!(code, 200);
        let id = json(&body)["id"].as_str().unwrap().to_string();
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|c| c.is_ascii_hexdigit()), "{id}");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
    for guess in ["1", "2", "3", "0"] {
        assert_eq!(s.get(&format!("/api/out/{guess}/pdf")).0, 404);
    }
    let (code, pdf) = s.get(&format!("/api/out/{}/pdf", ids[1]));
    assert_eq!(code, 200);
    assert!(pdf.starts_with(b"%PDF-"));
}

/// Answers and the batch zip showed `/tmp/gongwen-serve-…/input.csv`.
#[test]
fn no_server_path_in_any_answer() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let tmp_path = tmp.path().canonicalize().unwrap().display().to_string();
    let cwd_path = cwd.path().canonicalize().unwrap().display().to_string();
    let home = env!("CARGO_MANIFEST_DIR");
    let clean = |what: &str, body: &[u8]| {
        let t = String::from_utf8_lossy(body);
        for p in [&tmp_path, &cwd_path, home, "gongwen-serve-", "input."] {
            assert!(!t.contains(p), "{what} shows {p}: {t}");
        }
    };
    let cases: &[(&str, &[u8])] = &[
        ("/api/render?name=坏.yaml", b"a: [1, 2\n"),
        (
            "/api/render?name=d.yaml",
            "template: shuzhi\n年度: abc\n".as_bytes(),
        ),
        ("/api/render?name=x.docx", b"PK\x03\x04 not a zip"),
        (
            "/api/render?name=s.csv&template=shuzhi",
            "姓名,单位\n张三,青山县\n".as_bytes(),
        ),
        ("/api/render?name=s.csv&template=shuzhi", b"\xff\xfe\x00"),
        ("/api/render?name=a.txt", SMALL.as_bytes()),
    ];
    for (q, body) in cases {
        let (code, answer) = s.post(q, body);
        assert_ne!(code, 0, "{q}");
        clean(q, &answer);
    }
    // A batch that makes a document: its zip has the PDF and DOCX, not the manifest.
    std::fs::write(
        cwd.path().join("n.hbs"),
        "关于{{事项}}的通知\n各乡镇：\n请落实。\n青山县人民政府办公室\n2023年7月1日\n",
    )
    .unwrap();
    let (code, answer) = s.post(
        "/api/render?name=s.csv&template=./n.hbs",
        "事项\n防汛\n".as_bytes(),
    );
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&answer));
    clean("batch", &answer);
    let id = json(&answer)["id"].as_str().unwrap().to_string();
    let (code, zip) = s.get(&format!("/api/out/{id}/zip"));
    assert_eq!(code, 200);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let names: Vec<String> = z.file_names().flatten().map(|n| n.into_owned()).collect();
    assert!(names.iter().any(|n| n.ends_with(".pdf")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("manifest")), "{names:?}");
    for (i, name) in names.iter().enumerate() {
        let mut bytes = Vec::new();
        z.by_index(i).unwrap().read_to_end(&mut bytes).unwrap();
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains(&tmp_path), "{name} shows {tmp_path}");
    }
}

/// A .docx of 10,000 nested elements overflowed a tokio worker's stack and aborted the whole
/// server. Renders now run on threads with a wide stack; the server answers on.
#[test]
fn a_deeply_nested_upload_does_not_kill_the_server() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut s = Server::start(cwd.path(), tmp.path());
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let depth = 10_000;
    let xml = format!(
        r#"<w:document xmlns:w="{W}"><w:body>{}<w:p><w:r><w:t>深</w:t></w:r></w:p>{}</w:body></w:document>"#,
        "<w:customXml>".repeat(depth),
        "</w:customXml>".repeat(depth)
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(xml.as_bytes()).unwrap();
    let docx = z.finish().unwrap().into_inner();
    let (code, body) = s.post("/api/render?name=deep.docx", &docx);
    assert!(
        matches!(code, 200 | 422),
        "{code}: {}",
        String::from_utf8_lossy(&body)
    );
    assert!(s.alive(), "the server died");
    assert_eq!(s.post("/api/render?name=a.txt", SMALL.as_bytes()).0, 200);
}

/// Fonts were loaded, and their maps leaked, for every request: the process's maps of font
/// files grew with each render. Now one book, loaded once.
#[test]
fn fonts_are_loaded_once() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    assert_eq!(s.post("/api/render?name=a.txt", SMALL.as_bytes()).0, 200);
    let first = s.font_maps();
    assert!(first > 0);
    for _ in 0..5 {
        assert_eq!(s.post("/api/render?name=a.txt", SMALL.as_bytes()).0, 200);
    }
    assert_eq!(s.font_maps(), first, "font files mapped again");
}

/// A long report made a PNG of every page, all kept in memory for the page (a 19.5 MB report:
/// 1.1 → 2.84 GB). The first MAX_SHOWN_PAGES are shown; the PDF has every page.
#[test]
fn only_the_first_pages_are_drawn_for_the_page() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let mut draft = String::from("关于长篇报告的说明\n");
    for i in 0..500 {
        draft.push_str(&format!(
            "第{i}段：为进一步做好各项工作，现将有关事项说明如下，请各单位认真贯彻落实，确保取得实效，并及时报送进展情况。\n"
        ));
    }
    let (code, body) = s.post("/api/render?name=long.txt", draft.as_bytes());
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    let a = json(&body);
    let (pages, shown) = (a["pages"].as_u64().unwrap(), a["shown"].as_u64().unwrap());
    let max = gongwen::serve::MAX_SHOWN_PAGES as u64;
    assert!(pages > max, "{pages} pages");
    assert_eq!(shown, max);
    let id = a["id"].as_str().unwrap();
    assert_eq!(s.get(&format!("/api/out/{id}/page-{max}.png")).0, 200);
    assert_eq!(s.get(&format!("/api/out/{id}/page-{}.png", max + 1)).0, 404);
    let (code, pdf) = s.get(&format!("/api/out/{id}/pdf"));
    assert_eq!(code, 200);
    eprintln!(
        "{pages} pages, {shown} shown, {} KB of PDF",
        pdf.len() / 1024
    );
    assert!(pdf.starts_with(b"%PDF-"));
}

/// The server ignored SIGTERM while a request was blocked (here: its body never comes), and a
/// crashed server's upload folders stayed in /tmp for good.
#[test]
fn stops_within_a_second_and_sweeps_upload_folders() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // Left by a server that is gone (no such pid), and by one of another user's kind: a file.
    let stale = tmp.path().join("gongwen-serve-999999999-abcdef");
    std::fs::create_dir_all(stale.join("out")).unwrap();
    std::fs::write(stale.join("input.txt"), "x").unwrap();
    let other = tmp.path().join("someone-elses");
    std::fs::write(&other, "keep").unwrap();
    let mut s = Server::start(cwd.path(), tmp.path());
    assert!(
        !stale.exists(),
        "a crashed server's folder is removed at start"
    );
    assert!(other.exists());
    // A request whose body never comes.
    let mut blocked = TcpStream::connect(&s.addr).unwrap();
    let head = format!(
        "POST /api/render?name=a.txt HTTP/1.1\r\nHost: {a}\r\nOrigin: http://{a}\r\nContent-Length: 100000\r\n\r\nhalf",
        a = s.addr
    );
    blocked.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let took = s.stop(Duration::from_secs(10));
    let took = took.expect("still running 10 s after SIGTERM");
    eprintln!("stopped in {took:?} with a request blocked");
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(left_in(tmp.path()), vec![other]);
}

/// No header timeout and no cap on connections: 20,100 slow connections and it stopped
/// answering. One past the cap is answered 503 at once; slow ones are dropped after the
/// header timeout, and the page answers again.
#[test]
fn slow_connections_cannot_hold_the_server() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let cap = gongwen::serve::MAX_CONNECTIONS;
    let mut slow = Vec::new();
    for _ in 0..cap {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
        slow.push(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    let (code, _) = s.get("/");
    assert_eq!(code, 503, "one past the cap");
    assert!(t.elapsed() < Duration::from_secs(5));
    // After the header timeout the slow ones are closed and the page answers.
    let limit = gongwen::serve::HEADER_TIMEOUT * 3;
    let t = Instant::now();
    loop {
        if s.get("/").0 == 200 {
            break;
        }
        assert!(
            t.elapsed() < limit,
            "no answer {limit:?} after the slow clients"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Each is closed by now or soon after (the server closes them one by one; on a loaded
    // machine the last may lag the page's answer): one shared deadline, not a second each.
    let mut closed = 0;
    let deadline = Instant::now() + gongwen::serve::HEADER_TIMEOUT;
    for c in &mut slow {
        let left = deadline.saturating_duration_since(Instant::now());
        c.set_read_timeout(Some(left.max(Duration::from_millis(50))))
            .unwrap();
        let mut buf = [0u8; 256];
        match c.read(&mut buf) {
            Ok(_) => closed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => closed += 1,
            Err(_) => {}
        }
    }
    assert_eq!(closed, cap, "each slow connection was closed by the server");
}

/// Each 20 MB upload was held whole while it waited: 256 connections could hold 5 GB. Bodies
/// held at once are bounded (BODIES_IN_FLIGHT); past it a large upload is answered 503, and a
/// small one still gets through.
#[test]
fn bodies_held_at_once_are_bounded() {
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let max = gongwen::serve::MAX_UPLOAD;
    let fit = gongwen::serve::BODIES_IN_FLIGHT / max;
    let head = format!(
        "POST /api/render?name=big.txt HTTP/1.1\r\nHost: {a}\r\nOrigin: http://{a}\r\nContent-Length: {max}\r\nConnection: close\r\n\r\n",
        a = s.addr
    );
    // `fit` uploads of the largest size, their bodies coming slowly.
    let mut held = Vec::new();
    for _ in 0..fit {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        c.write_all(head.as_bytes()).unwrap();
        c.write_all(b"x").unwrap();
        held.push(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    assert_eq!(s.post("/api/render?name=a.txt", SMALL.as_bytes()).0, 200);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    let (code, _) = http(&s.addr, &head, b"x");
    assert_eq!(code, 503, "one more large upload");
    drop(held);
}

/// Issue 19's load test: 1,000 mixed requests (good, malformed, oversized, slow, abandoned)
/// from 20 clients. Then the seed renders in under a second, resident memory is within 20 % of
/// its value after the first 10 requests, and the temporary folder holds nothing.
#[test]
fn a_thousand_mixed_requests_from_twenty_clients() {
    let _alone = one_at_a_time();
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut s = Server::start(cwd.path(), tmp.path());
    let seed = std::fs::read(SEED).unwrap();
    // The first 10: good renders, as a user starts (the seed among them), and the page.
    assert_eq!(s.post("/api/render?name=seed.txt", &seed).0, 200);
    for _ in 0..8 {
        assert_eq!(s.post("/api/render?name=a.txt", SMALL.as_bytes()).0, 200);
    }
    assert_eq!(s.get("/").0, 200);
    let rss_first = s.rss_kb();
    let good_id = {
        let (_, body) = s.post("/api/render?name=a.txt", SMALL.as_bytes());
        json(&body)["id"].as_str().unwrap().to_string()
    };
    // The results kept for their downloads grow from the 9 of the first 10 requests to KEEP
    // (bounded, and by KEEP_BYTES too): they are allowed for, by the size of a small one.
    let result_kb = ["pdf", "docx", "page-1.png"]
        .iter()
        .map(|w| s.get(&format!("/api/out/{good_id}/{w}")).1.len() as u64)
        .sum::<u64>()
        / 1024;
    let kept_kb = (gongwen::serve::KEEP as u64 - 9) * result_kb;
    let addr = s.addr.clone();
    let started = Instant::now();
    let clients: Vec<_> = (0..20)
        .map(|c| {
            let addr = addr.clone();
            let good_id = good_id.clone();
            std::thread::spawn(move || {
                let mut counts = std::collections::BTreeMap::<(usize, u16), usize>::new();
                for i in 0..50 {
                    let kind = (c + i) % 10;
                    let code = one(&addr, kind, i, &good_id);
                    *counts.entry((kind, code)).or_default() += 1;
                }
                counts
            })
        })
        .collect();
    let mut all = std::collections::BTreeMap::<(usize, u16), usize>::new();
    for c in clients {
        for (k, n) in c.join().unwrap() {
            *all.entry(k).or_default() += n;
        }
    }
    let took = started.elapsed();
    eprintln!("1,000 requests in {took:?}: (kind, status) → count {all:?}");
    assert_eq!(all.values().sum::<usize>(), 1000);
    for ((kind, code), n) in &all {
        let ok: &[u16] = match kind {
            0..=2 => &[200, 503],
            3 => &[200],
            4 => &[400, 422, 503],
            5 => &[413],
            6 => &[421, 403],
            7 => &[200, 503],
            8 => &[0],
            _ => &[200, 404],
        };
        assert!(ok.contains(code), "kind {kind} answered {code} ({n} times)");
    }
    assert!(s.alive());
    // The seed, alone now.
    let t = Instant::now();
    let (code, _) = s.post("/api/render?name=seed.txt", &seed);
    let seed_time = t.elapsed();
    assert_eq!(code, 200);
    let rss_end = settled_rss_kb(&s);
    eprintln!(
        "seed rendered in {seed_time:?}; resident {rss_first} KB after the first 10, {rss_end} KB at the end"
    );
    assert!(seed_time < Duration::from_secs(1), "{seed_time:?}");
    eprintln!("a small result is {result_kb} KB; {kept_kb} KB allowed for the results kept");
    assert!(
        rss_end as f64 <= rss_first as f64 * 1.2 + kept_kb as f64,
        "resident memory grew from {rss_first} KB to {rss_end} KB"
    );
    assert!(left_in(tmp.path()).is_empty(), "{:?}", left_in(tmp.path()));
    s.stop(Duration::from_secs(10)).expect("stops");
    assert!(left_in(tmp.path()).is_empty(), "{:?}", left_in(tmp.path()));
}

/// One request of the load test, of kind 0–9; its status (0: no answer, as for an abandoned
/// one).
fn one(addr: &str, kind: usize, i: usize, good_id: &str) -> u16 {
    let post = |query: &str, body: &[u8]| {
        let head = format!(
            "POST {query} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        http(addr, &head, body).0
    };
    let get = |path: &str| {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        http(addr, &head, b"").0
    };
    match kind {
        // Good drafts, each a little different.
        0..=2 => post(
            "/api/render?name=a.txt",
            format!("{SMALL}第{i}条补充说明。\n").as_bytes(),
        ),
        3 => [get("/"), get("/api/options")].into_iter().max().unwrap(),
        // Malformed: not a Word file, bad YAML, no name, a name not offered, an unknown kind.
        4 => match i % 5 {
            0 => post("/api/render?name=x.docx", b"PK\x03\x04 broken"),
            1 => post("/api/render?name=d.yaml", b"a: [1, 2\n"),
            2 => post("/api/render", b"x"),
            3 => post("/api/render?name=a.txt&layout=/etc/passwd", b"x"),
            _ => post("/api/render?name=x.png", b"\x89PNG"),
        },
        // Oversized: refused from its Content-Length.
        5 => {
            let head = format!(
                "POST /api/render?name=big.txt HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                30 << 20
            );
            http(addr, &head, &[b'x'; 4096]).0
        }
        // Another host, another origin.
        6 => {
            if i.is_multiple_of(2) {
                let head = "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n";
                http(addr, head, b"").0
            } else {
                let head = format!(
                    "POST /api/render?name=a.txt HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
                );
                http(addr, &head, b"ab").0
            }
        }
        // Slow: the headers and body in pieces, 50 ms apart.
        7 => {
            let Ok(mut s) = TcpStream::connect(addr) else {
                return 0;
            };
            let body = SMALL.as_bytes();
            let head = format!(
                "POST /api/render?name=a.txt HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let all = [head.as_bytes(), body].concat();
            for piece in all.chunks(all.len() / 4 + 1) {
                let _ = s.write_all(piece);
                std::thread::sleep(Duration::from_millis(50));
            }
            s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
            let mut answer = Vec::new();
            let _ = s.read_to_end(&mut answer);
            parse(&answer).0
        }
        // Abandoned: half the headers, or the headers and half the body, then gone.
        8 => {
            if let Ok(mut s) = TcpStream::connect(addr) {
                let head = format!(
                    "POST /api/render?name=a.txt HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Length: 1000\r\n\r\n"
                );
                let cut = if i.is_multiple_of(2) {
                    head.len() / 2
                } else {
                    head.len()
                };
                let _ = s.write_all(&head.as_bytes()[..cut]);
                let _ = s.write_all(b"half");
            }
            0
        }
        // Downloads: a result's PDF, a guessed id.
        _ => {
            if i.is_multiple_of(2) {
                get(&format!("/api/out/{good_id}/pdf"))
            } else {
                get(&format!("/api/out/{:032x}/pdf", i))
            }
        }
    }
}

/// The tests that measure a server's memory over many renders run one at a time: two at once
/// share the cores, and a render still ending when memory is read counts its work.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Resident memory, KB, once the last render's thread has ended and given its memory back
/// (the answer is sent before that): the lowest of a few readings a moment apart.
fn settled_rss_kb(s: &Server) -> u64 {
    (0..5)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(100));
            s.rss_kb()
        })
        .min()
        .unwrap()
}

/// Issue 20: one engine for the server's life, so a render leaves nothing behind — no font
/// map, no font book, no layout or template parsed again. Resident memory after 1,000 renders
/// of the seed is within 10 % of its value after the first 10, allowing for the results kept
/// for their downloads, which grow from 10 to KEEP by design (measured by downloading one).
#[test]
fn memory_stays_level_over_a_thousand_renders_of_the_seed() {
    let _alone = one_at_a_time();
    let (cwd, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let s = Server::start(cwd.path(), tmp.path());
    let seed = std::fs::read(SEED).unwrap();
    let render = || {
        let (code, body) = s.post("/api/render?name=seed.txt", &seed);
        assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
        body
    };
    let mut last = Vec::new();
    for _ in 0..10 {
        last = render();
    }
    let after_10 = settled_rss_kb(&s);
    let maps = s.font_maps();
    // The 24 results kept for their downloads are on disk, not in memory: the resident size
    // after 1,000 renders is held to 10 % over that after 10 as it is, with no allowance.
    let id = json(&last)["id"].as_str().unwrap().to_string();
    for _ in 10..1000 {
        render();
    }
    let after_1000 = settled_rss_kb(&s);
    eprintln!("resident after 10 renders {after_10} KB, after 1,000 {after_1000} KB");
    assert_eq!(s.font_maps(), maps, "font files mapped again");
    // The 10th result was dropped for newer ones (24 kept): its downloads say it is gone.
    assert_eq!(s.get(&format!("/api/out/{id}/pdf")).0, 404);
    assert!(
        after_1000 * 10 <= after_10 * 11,
        "resident memory grew from {after_10} KB to {after_1000} KB"
    );
}
