//! Pipes and interrupted runs (issues 9, 19): a reader that goes away ends the program quietly,
//! SIGTERM while the outputs are written removes their temporary files, and temporary files a
//! killed run left behind are removed by the next run.

use crate::harness;
use crate::harness::ROOT;
use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    // `gongwen fonts | head -0`: the reading end is closed before the program writes a line,
    // so every write fails (EPIPE).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = harness::command()
        .args(["fonts", "--no-system-fonts"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(0), "{err}");
}

#[test]
fn stale_temporary_files_of_ours_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".gongwen-AbC123");
    let fresh = dir.path().join(".gongwen-XyZ789");
    let other = dir.path().join(".other-file");
    for f in [&stale, &fresh, &other] {
        std::fs::write(f, b"x").unwrap();
    }
    for f in [&stale, &other] {
        let ok = Command::new("touch")
            .args(["-d", "2 hours ago"])
            .arg(f)
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let o = harness::command()
        .args([
            "render",
            &format!("{ROOT}/data/tongzhi.json"),
            "--no-system-fonts",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!stale.exists(), "a temporary file of a killed run stays");
    assert!(fresh.exists(), "a live run's temporary file was removed");
    assert!(other.exists(), "a file that is not ours was removed");
}

/// Issue 19: SIGTERM while `render` wrote its outputs left the temporary files (26 MB of them):
/// the handler ended the program with `process::exit`, which runs no destructor. The signal is
/// sent here the moment a `.gongwen-*` file appears (a 100 KB report with a PNG per page gives
/// a dozen files and a window of tens of milliseconds); the run ends with 130 and leaves no
/// temporary file. The old program left every one.
#[test]
fn sigterm_while_writing_removes_the_temporary_files() {
    let seed = std::fs::read_to_string(format!("{ROOT}/data/shuzhi-report.txt")).unwrap();
    let (title, body) = seed.split_once('\n').unwrap();
    let mut text = format!("{title}\n");
    while text.len() < 100_000 {
        text.push_str(body);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.txt"), &text).unwrap();
    let out = dir.path().join("out");
    let ours = |out: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(out)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with(".gongwen-"))
                    .collect()
            })
            .unwrap_or_default()
    };
    // The window is short: a run that ends before a temporary file is seen is run again.
    for _ in 0..10 {
        let _ = std::fs::remove_dir_all(&out);
        let mut child = harness::command()
            .args(["render", "big.txt", "-o", "out", "--no-system-fonts"])
            .args(["--compress", "0", "--png", "--dpi", "150"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut sent = false;
        while child.try_wait().unwrap().is_none() {
            if !ours(&out).is_empty() {
                // SAFETY: kill(2) on our own child's pid.
                unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
                sent = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let status = child.wait().unwrap();
        if !sent {
            continue;
        }
        assert_eq!(status.code(), Some(130));
        assert_eq!(ours(&out), Vec::<String>::new(), "temporary files left");
        return;
    }
    panic!("no run was caught writing its outputs");
}
