//! A running `gongwen serve --port 0` for the tests of `serve` (over HTTP) and `web` (in a
//! browser): each test starts its own, on a free port, in its own working folder with its
//! own TMPDIR, so it can see that nothing is left behind. A raw HTTP/1.1 client over
//! `TcpStream` (no client crate).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running server, stopped (SIGTERM, as a user's Ctrl-C) when dropped.
pub struct Server {
    child: Child,
    /// What it printed: `http://127.0.0.1:PORT/`.
    pub base: String,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Start in `cwd` (its ./*.hbs are the user's templates) with `tmp` as its TMPDIR.
    pub fn start(cwd: &Path, tmp: &Path) -> Server {
        let mut child = super::command()
            .args(["serve", "--port", "0"])
            .current_dir(cwd)
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .spawn()
            .expect("gongwen serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line.trim().to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "printed {line:?}");
        let addr = base["http://".len()..].trim_end_matches('/').to_string();
        Server { child, base, addr }
    }

    /// SIGTERM; how long until it ended (`None`: not within `limit`, then killed). The server
    /// finishes the work in progress (removing its temporary folders) and ends.
    pub fn stop(&mut self, limit: Duration) -> Option<Duration> {
        let t = Instant::now();
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        while t.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(t.elapsed());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Resident memory, KB.
    pub fn rss_kb(&self) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        eprintln!(
            "{}",
            s.lines()
                .filter(|l| l.starts_with("Rss") || l.starts_with("Threads"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        s.lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// Its memory maps of font files.
    pub fn font_maps(&self) -> usize {
        let s = std::fs::read_to_string(format!("/proc/{}/maps", self.child.id())).unwrap();
        s.lines()
            .filter(|l| l.ends_with(".otf") || l.ends_with(".ttf") || l.ends_with(".ttc"))
            .count()
    }

    /// A POST from the server's own page (its Origin).
    pub fn post(&self, query: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let head = format!(
            "POST {query} HTTP/1.1\r\nHost: {a}\r\nOrigin: http://{a}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len(),
            a = self.addr
        );
        http(&self.addr, &head, body)
    }

    pub fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let head = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        http(&self.addr, &head, b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.alive() {
            self.stop(Duration::from_secs(30));
        }
    }
}

/// One raw request; the status (0: no answer) and the body.
pub fn http(addr: &str, head: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return (0, vec![]);
    };
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let _ = s.write_all(head.as_bytes());
    // The server may answer (and close) before the body is all sent: that is the point of a
    // body limit.
    let _ = s.write_all(body);
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    parse(&answer)
}

/// An answer's status code (0: none) and body.
pub fn parse(answer: &[u8]) -> (u16, Vec<u8>) {
    let text = String::from_utf8_lossy(answer);
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let at = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(answer.len(), |p| p + 4);
    (code, answer[at..].to_vec())
}

/// The files and folders left in `dir`.
pub fn left_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect()
}
