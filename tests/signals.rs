//! Pipes and interrupted runs (issue 9): a reader that goes away ends the program quietly, and
//! temporary files a killed run left behind are removed by the next run.

use std::process::{Command, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    // `gongwen fonts | head -0`: the reading end is closed before the program writes a line,
    // so every write fails (EPIPE).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_gongwen"))
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
    let o = Command::new(env!("CARGO_BIN_EXE_gongwen"))
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
