//! The harness every test module shares, one copy of each: running the `gongwen` binary
//! (to its end, in a folder, with a time limit, with its peak memory), LibreOffice (a DOCX to
//! PDF with the bundled fonts and a private profile), the Python checkers of tests/tools/ and
//! tests/support/pdflines.py, reading what they make (pdftotext, a DOCX part), and a running
//! `gongwen serve` ([`server`]).
//!
//! The tests share one process: nothing here changes the process's environment or working
//! folder, and a child's resources are measured from that child alone.

pub mod server;

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The package's folder (`data/`, `layouts/`, `tests/fixtures/` …), and the working folder
/// `cargo test` runs the tests in.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A command for the `gongwen` binary cargo built for these tests.
pub fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
}

/// `gongwen ARGS` in the tests' working folder, run to its end.
pub fn gongwen(args: &[&str]) -> Output {
    command().args(args).output().expect("run gongwen")
}

/// `gongwen ARGS` in `dir`, run to its end.
pub fn gongwen_in(dir: &Path, args: &[&str]) -> Output {
    command()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gongwen")
}

/// `gongwen ARGS` in `dir` with `stdin` as its standard input (none: empty).
pub fn gongwen_with(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = command()
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gongwen");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// `gongwen ARGS` in `dir` (`None`: the tests' working folder), killed and the test failed
/// past `secs` seconds: a hang fails its test, not the suite.
pub fn gongwen_within(dir: Option<&Path>, secs: u64, args: &[&str]) -> Output {
    let mut cmd = command();
    cmd.args(args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    run_within(&mut cmd, secs).0
}

/// Runs `cmd` with its output collected, killed and the test failed past `secs` seconds; with
/// the child's own peak resident memory in KB (its `ru_maxrss`, from `wait4` on its pid: the
/// process-wide RUSAGE_CHILDREN would be the largest child of any test, the tests sharing one
/// process).
pub fn run_within(cmd: &mut Command, secs: u64) -> (Output, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    // Read both pipes while it runs: a child that fills one would otherwise block on it.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let (status, usage) = loop {
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid value; wait4 fills it and `status`.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is this child's, not yet waited for; the pointers are to locals.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break (status, usage);
        }
        assert_eq!(r, 0, "wait4: {}", std::io::Error::last_os_error());
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?}: still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status: ExitStatus::from_raw(status),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    (output, usage.ru_maxrss as u64)
}

/// Standard error as text, for assertion messages.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `python3 tests/SCRIPT ARGS`: a checker of tests/tools/ (`"tools/gbcheck.py"`) or
/// `"support/pdflines.py"`. The exit code is the caller's to judge.
pub fn python<S: AsRef<OsStr>>(script: &str, args: impl IntoIterator<Item = S>) -> Output {
    Command::new("python3")
        .arg(Path::new(ROOT).join("tests").join(script))
        .args(args)
        .output()
        .expect("python3 with pdfplumber, lxml and python-docx is required; run `bash .ci/run`")
}

/// A Python checker's JSON answer on standard output (its exit code says pass or fail; the
/// JSON says what).
pub fn python_json<S: AsRef<OsStr>>(
    script: &str,
    args: impl IntoIterator<Item = S>,
) -> serde_json::Value {
    let o = python(script, args);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{script}: no JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        )
    })
}

/// The lines of a PDF as tests/support/pdflines.py reads them (text, size, position, font).
pub fn pdf_lines(pdf: &Path) -> Vec<serde_json::Value> {
    let o = python("support/pdflines.py", [pdf]);
    assert!(o.status.success(), "pdflines: {}", stderr(&o));
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// A PDF's text as `pdftotext` (poppler) extracts it, in reading order.
pub fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is required; run `bash .ci/run`");
    assert!(
        o.status.success(),
        "pdftotext {}: {}",
        pdf.display(),
        stderr(&o)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// One part of a DOCX (a zip), as text: `word/document.xml`, `word/styles.xml` …
pub fn docx_part(docx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{}: {name}: {e}", docx.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// soffice's `--convert-to` for a PDF with every page, those it inserts itself too.
pub const LIBREOFFICE_PDF: &str =
    r#"pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}"#;

/// LibreOffice's PDF of each DOCX, written into `out` under the DOCX's stem, in one soffice
/// run: with the bundled fonts (`fonts/fontconfig.conf`) and a fresh user profile of its own,
/// so the rendering depends on neither the machine's fonts nor an earlier or concurrent run.
/// The blank pages LibreOffice inserts itself (before a section that starts on an even page: the
/// 版记's, 7.4) are printed, as Word prints them (`IsSkipEmptyPages` false; LibreOffice's PDF
/// export drops them otherwise).
pub fn libreoffice_pdfs(docx: &[PathBuf], out: &Path) {
    soffice(docx, out, LIBREOFFICE_PDF, "pdf");
}

/// Each file (a DOCX, or a text draft) saved by LibreOffice as DOCX (what a colleague's "Save"
/// in LibreOffice writes), into `out` under its stem, in one soffice run as
/// [`libreoffice_pdfs`].
pub fn libreoffice_docx(files: &[PathBuf], out: &Path) {
    soffice(files, out, "docx:MS Word 2007 XML", "docx");
}

/// One soffice run converting `files` (`--convert-to convert`) into `out`, each expected there
/// as its stem with `ext`.
fn soffice(files: &[PathBuf], out: &Path, convert: &str, ext: &str) {
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new("soffice")
        .env(
            "FONTCONFIG_FILE",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/fontconfig.conf"),
        )
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", convert, "--outdir"])
        .arg(out)
        .args(files)
        .output()
        .expect("soffice (LibreOffice) is required; run `bash .ci/run`");
    assert!(o.status.success(), "{}", stderr(&o));
    for f in files {
        let made = out.join(f.with_extension(ext).file_name().unwrap());
        assert!(
            made.exists(),
            "LibreOffice made no {ext} of {}: {}",
            f.display(),
            stderr(&o)
        );
    }
}
