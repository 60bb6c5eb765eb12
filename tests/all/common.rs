//! Helpers shared by the integration tests (each `tests/*.rs` is its own crate and includes
//! this module with `mod common;`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// LibreOffice's PDF of each DOCX, written into `out` under the DOCX's stem, in one soffice
/// run: with the bundled fonts (`fonts/fontconfig.conf`) and a fresh user profile, so the
/// rendering depends on neither the machine's fonts nor an earlier run.
pub fn libreoffice_pdfs(docx: &[PathBuf], out: &Path) {
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
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(docx)
        .output()
        .expect("soffice (LibreOffice) is required; run `bash .ci/run`");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for d in docx {
        let pdf = out.join(d.with_extension("pdf").file_name().unwrap());
        assert!(
            pdf.exists(),
            "LibreOffice made no PDF of {}: {}",
            d.display(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
