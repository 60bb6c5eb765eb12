//! Writers: `Paged` → PDF ([`pdf`]) and a PNG per page ([`preview`]); `Plan` + layout → DOCX
//! ([`docx`]). None reads the `Document`: the plan is all they share, and none decides anything
//! the plan or the layout did not.
pub mod docx;
pub mod pdf;
pub mod preview;

/// How hard the outputs are deflated: `--compress`. In a PDF, its streams (fonts, pages,
/// ToUnicode maps): fonts are over 90 % of a document's bytes, and deflating them was a fifth
/// of a render; the sizes and times of each choice are in the README ("Why krilla is
/// patched"). In a DOCX, its zip entries ([`docx::ooxml::zip`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compress {
    /// The font programs coded byte by byte with a Huffman code made for each (no search for
    /// repeats: CFF charstrings gain little from it), the other streams by libdeflate at its
    /// level 1: several times faster than zlib at any level, files about 3 % larger than
    /// zlib 6 (zlib's own level 1 is its "quick" strategy: 17 % larger). A DOCX's parts under
    /// 4 KB are stored and the rest deflated at level 1.
    #[default]
    Fast,
    /// zlib at a level 0 (stored) to 9; `standard` is 6, krilla's own and the zip crate's (the
    /// files of before the patch, byte for byte), `best` is 9.
    Zlib(u8),
}

impl Compress {
    /// krilla's own level.
    pub const STANDARD: Compress = Compress::Zlib(6);
    /// The smallest files zlib makes.
    pub const BEST: Compress = Compress::Zlib(9);

    /// A byte that tells the choices apart (a batch row's rebuild hash).
    pub fn key(self) -> u8 {
        match self {
            Compress::Fast => 0xff,
            Compress::Zlib(n) => n,
        }
    }
}

impl std::str::FromStr for Compress {
    type Err = String;
    fn from_str(s: &str) -> Result<Compress, String> {
        match s {
            "fast" => Ok(Compress::Fast),
            "standard" => Ok(Compress::STANDARD),
            "best" => Ok(Compress::BEST),
            _ => s
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= 9)
                .map(Compress::Zlib)
                .ok_or_else(|| format!("'{s}' is not fast, standard, best or a zlib level 0–9")),
        }
    }
}
