//! Where the bundled `fonts/` and `layouts/` folders are found at run time.
//!
//! Fonts are loaded from files, never compiled in (the Fandol licence is GPL with a font
//! exception, and offices swap in their own licensed faces). Search order: `$GONGWEN_HOME`,
//! the current directory, beside the executable (and two levels up, for `target/release`),
//! then the source tree the binary was built from.

use std::path::PathBuf;

fn candidates(name: &str) -> Vec<PathBuf> {
    let mut c = Vec::new();
    if let Some(home) = std::env::var_os("GONGWEN_HOME") {
        c.push(PathBuf::from(home).join(name));
    }
    c.push(PathBuf::from(name));
    if let Ok(exe) = std::env::current_exe() {
        for up in exe.ancestors().skip(1).take(4) {
            c.push(up.join(name));
            c.push(up.join("share/gongwen").join(name));
        }
    }
    c.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name));
    c
}

fn find(name: &str, marker: &str) -> PathBuf {
    candidates(name)
        .into_iter()
        .find(|d| d.join(marker).exists())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name))
}

/// The bundled fonts folder (holds the Fandol faces and their licence).
pub fn fonts_dir() -> PathBuf {
    find("fonts", "FandolFang-Regular.otf")
}

/// The bundled layouts folder (holds `gbt9704.toml`).
pub fn layouts_dir() -> PathBuf {
    find("layouts", "gbt9704.toml")
}
