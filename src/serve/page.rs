//! The one page, embedded in the binary (plain HTML, CSS and a little JavaScript; nothing from
//! the network, so it works offline).

/// `page.html`, served at `/`.
pub const HTML: &str = include_str!("page.html");
