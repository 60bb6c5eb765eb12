//! The one page, embedded in the binary (plain HTML, CSS and a little JavaScript; nothing from
//! the network, so it works offline).

/// `page.html`, served at `/` with the server's token in place of [`TOKEN_MARK`].
pub const HTML: &str = include_str!("page.html");

/// Where the page's token goes.
pub const TOKEN_MARK: &str = "@@GONGWEN_TOKEN@@";

/// The page with its token (sent back in a header when a browser sends no `Origin`).
pub fn with_token(token: &str) -> String {
    HTML.replace(TOKEN_MARK, token)
}
