//! Fonts: which file serves each face, and glyph lookup with coverage fallback.
//!
//! A layout names faces by their office names (仿宋_GB2312, 方正小标宋简体 …). The alias table
//! maps each name to the family names the same design goes by; the first one found in
//! `--font-dir` or the system fonts serves the face, and otherwise the bundled free stand-in
//! from `fonts/` does (Fandol: GPL with font exception, loaded from its file at run time).
//! A character the face lacks is taken from the next font of the chain: the other bundled
//! Fandol faces, then the bundled fallback cut from Noto CJK SC (`fonts/make-fallback.py`: every
//! GB 18030-2000 Han character and office punctuation Fandol lacks; serif, or sans for 黑体),
//! then a wide-coverage system font. One no font has is reported by the layout stage.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::{Error, Warning};
use crate::spec::LayoutSpec;

/// Office name → (family names the design is sold or installed under, bundled stand-in file).
const ALIASES: &[(&[&str], &[&str], &str)] = &[
    (
        &[
            "方正小标宋简体",
            "方正小标宋_GBK",
            "小标宋",
            "FZXiaoBiaoSong-B05S",
            "FZXiaoBiaoSong-B05",
        ],
        &[
            "方正小标宋简体",
            "方正小标宋_GBK",
            "FZXiaoBiaoSong-B05S",
            "FZXiaoBiaoSong-B05",
        ],
        "FandolSong-Bold.otf",
    ),
    (
        &[
            "仿宋_GB2312",
            "仿宋",
            "FangSong",
            "FangSong_GB2312",
            "仿宋体",
        ],
        &[
            "仿宋_GB2312",
            "FangSong_GB2312",
            "仿宋",
            "FangSong",
            "方正仿宋_GBK",
            "STFangsong",
            "华文仿宋",
        ],
        "FandolFang-Regular.otf",
    ),
    (
        &["楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "楷体体"],
        &[
            "楷体_GB2312",
            "KaiTi_GB2312",
            "楷体",
            "KaiTi",
            "方正楷体_GBK",
            "STKaiti",
            "华文楷体",
        ],
        "FandolKai-Regular.otf",
    ),
    (
        &["黑体", "SimHei", "黑体体"],
        &["黑体", "SimHei", "方正黑体_GBK", "STHeiti", "华文黑体"],
        "FandolHei-Regular.otf",
    ),
    (
        &["宋体", "SimSun", "NSimSun"],
        &["宋体", "SimSun", "NSimSun", "STSong", "华文宋体"],
        "FandolSong-Regular.otf",
    ),
];

/// The design a font name stands for, as the first office name of its row of the alias table
/// (`仿宋` → `仿宋_GB2312`; the bundled stand-in `FandolFang` too); `None` for a name the table
/// does not know. `gongwen check` judges a Word file's faces by it.
pub fn design_of(name: &str) -> Option<&'static str> {
    let key = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let k = key(name);
    ALIASES.iter().find_map(|(names, families, stand_in)| {
        let stem = stand_in.trim_end_matches(".otf");
        // FandolSong-Bold stands in for 小标宋, FandolSong (Regular) for 宋体.
        let stand_ins = [
            stem.to_string(),
            stem.trim_end_matches("-Regular").to_string(),
        ];
        names
            .iter()
            .chain(families.iter())
            .map(|n| key(n))
            .chain(stand_ins.iter().map(|n| key(n)))
            .any(|n| n == k)
            .then_some(names[0])
    })
}

/// Every name the alias table gives the design of `name` (office names, then the bundled
/// stand-in's family), for messages.
pub fn design_names(name: &str) -> Vec<String> {
    let Some(design) = design_of(name) else {
        return vec![name.to_string()];
    };
    let (names, families, stand_in) = ALIASES.iter().find(|r| r.0[0] == design).unwrap();
    let mut out: Vec<String> = Vec::new();
    for n in names.iter().chain(families.iter()) {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out.push(
        stand_in
            .trim_end_matches(".otf")
            .trim_end_matches("-Regular")
            .to_string(),
    );
    out
}

/// Wide-coverage system fonts tried last, for characters the bundled faces lack.
const COVERAGE: &[&str] = &[
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
];

/// The bundled files, in the order they are tried for coverage.
const BUNDLED: &[&str] = &[
    "FandolSong-Regular.otf",
    "FandolFang-Regular.otf",
    "FandolHei-Regular.otf",
    "FandolKai-Regular.otf",
];

/// The bundled fallbacks (OFL, see `fonts/NOTO-LICENSE`): what no Fandol face has, in a serif
/// for the Song, Fang and Kai faces and a sans for 黑体.
pub const FALLBACK_SERIF: &str = "NotoSerifCJKsc-Fallback.otf";
/// The sans fallback, for faces whose stand-in is FandolHei.
pub const FALLBACK_SANS: &str = "NotoSansCJKsc-Fallback.otf";

/// Stroke width (em) that brings the regular serif fallback near FandolSong-Bold's weight.
const XIAOBIAOSONG_EMBOLDEN: f32 = 0.035;

/// Index of a loaded font in a [`FontBook`].
pub type FontId = usize;

/// One font file (or one face of a collection), parsed once and kept for the run.
#[derive(Clone)]
pub struct LoadedFont {
    /// Where it came from.
    pub path: PathBuf,
    /// Face index inside a TTC collection.
    pub index: u32,
    /// The parsed face. It borrows the bytes of `data`, which it is declared before so that it
    /// is dropped first; see [`LoadedFont::from_data`].
    face: ttf_parser::Face<'static>,
    /// The raw bytes, shared with the PDF writer.
    pub data: FontData,
    /// Where it came from: `bundled`, `font-dir` or `system`.
    pub origin: &'static str,
    /// PostScript name, for messages and `gongwen fonts`.
    pub name: String,
    /// Synthetic bold: the PDF strokes the outlines this wide (em) besides filling them; 0 for
    /// none. Set on the regular-weight fallback where it stands in for the bold 小标宋.
    pub embolden: f32,
    /// The PDF writer's font object, made on first use and kept for the run, so that every
    /// document of a batch shares its per-glyph caches (issue 11; [`crate::export::pdf`]).
    pub(crate) pdf: std::sync::Arc<std::sync::OnceLock<Option<krilla::text::Font>>>,
    /// Each character's glyph, looked up once per run.
    memo: std::sync::Arc<GlyphMemo>,
}

/// The glyph id and advance of each character of the Basic Multilingual Plane a run has asked
/// a font for (issue 11: the cmap's binary search for every character set was 3 % of a batch
/// document). Pages of 256 characters, made on first use, read and filled by every thread
/// without a lock. An entry is 0 until known, then `KNOWN | advance << 16 | glyph` (glyph 0:
/// the font lacks it); an advance too wide for 15 bits is not kept.
struct GlyphMemo {
    pages: [std::sync::OnceLock<Box<[AtomicU32; 256]>>; 256],
}

impl Default for GlyphMemo {
    fn default() -> Self {
        GlyphMemo {
            pages: std::array::from_fn(|_| std::sync::OnceLock::new()),
        }
    }
}

const KNOWN: u32 = 1 << 31;

impl GlyphMemo {
    /// The entry of `ch` (its page made if need be), or `None` outside the BMP.
    fn slot(&self, ch: char) -> Option<&AtomicU32> {
        let c = u32::from(ch);
        let page = self.pages.get((c >> 8) as usize)?;
        let page = page.get_or_init(|| Box::new(std::array::from_fn(|_| AtomicU32::new(0))));
        Some(&page[(c & 0xff) as usize])
    }
}

impl LoadedFont {
    /// The face `index` of the font file mapped in `data`.
    fn from_data(
        path: &Path,
        data: FontData,
        index: u32,
        origin: &'static str,
    ) -> Result<LoadedFont, Error> {
        // SAFETY: the bytes are a memory map owned by the `Arc` inside `data`, which this font
        // holds for as long as the face lives (a clone of the font clones the `Arc`; the face
        // field is dropped before the data field); a map's address does not change while it
        // lives. The face is private, so the borrow never outlives its font.
        let bytes: &'static [u8] = unsafe { std::slice::from_raw_parts(data.as_ptr(), data.len()) };
        let face = ttf_parser::Face::parse(bytes, index)
            .map_err(|e| Error::io(path, format!("cannot parse font ({e})")))?;
        let name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| {
                path.file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            });
        Ok(LoadedFont {
            path: path.to_path_buf(),
            index,
            data,
            origin,
            face,
            name,
            embolden: 0.0,
            pdf: Default::default(),
            memo: Default::default(),
        })
    }

    /// Glyph id and advance (in em) of a character, if the font has it.
    pub fn glyph(&self, ch: char) -> Option<(u16, f32)> {
        let upem = self.face.units_per_em() as f32;
        let slot = self.memo.slot(ch);
        let known = slot.map_or(0, |s| s.load(Ordering::Relaxed));
        let (gid, adv) = if known & KNOWN != 0 {
            (known as u16, (known >> 16 & 0x7fff) as u16)
        } else {
            let gid = self.face.glyph_index(ch).map_or(0, |g| g.0);
            let adv = match gid {
                0 => 0,
                g => self
                    .face
                    .glyph_hor_advance(ttf_parser::GlyphId(g))
                    .unwrap_or(0),
            };
            if let Some(slot) = slot.filter(|_| adv < 0x8000) {
                slot.store(
                    KNOWN | u32::from(adv) << 16 | u32::from(gid),
                    Ordering::Relaxed,
                );
            }
            (gid, adv)
        };
        (gid != 0).then(|| (gid, f32::from(adv) / upem))
    }

    /// Ascender and descender in em (typographic, descender negative).
    pub fn vertical_metrics(&self) -> (f32, f32) {
        let upem = self.face.units_per_em() as f32;
        (
            self.face.ascender() as f32 / upem,
            self.face.descender() as f32 / upem,
        )
    }
}

/// A font file's bytes, memory mapped (issue 11: the kernel pages in only the tables and
/// glyphs a run touches — of 31 MB of bundled faces a document needs a few hundred KB — and
/// every process shares the page cache). Held by `Arc`: the faces read from the file and the
/// PDF writer share one map, unmapped when the last of them goes (issue 20: the map used to
/// be leaked, once per file per process).
#[derive(Clone)]
pub struct FontData(std::sync::Arc<memmap2::Mmap>);

impl FontData {
    /// Map the file at `path`.
    pub fn map(path: &Path) -> Result<FontData, Error> {
        let file = std::fs::File::open(path)
            .map_err(|e| Error::io(path, format!("cannot read font ({e})")))?;
        // SAFETY: the map is read-only; a font file truncated by another program while we run
        // would fault, as it would for any program that maps fonts (fontconfig, browsers).
        let map = unsafe { memmap2::Mmap::map(&file) }
            .map_err(|e| Error::io(path, format!("cannot read font ({e})")))?;
        Ok(FontData(std::sync::Arc::new(map)))
    }

    /// The same bytes as the PDF writer's data (no copy).
    pub fn to_krilla(&self) -> krilla::Data {
        let shared: std::sync::Arc<dyn AsRef<[u8]> + Send + Sync> = self.0.clone();
        shared.into()
    }
}

impl std::ops::Deref for FontData {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for FontData {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for FontData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontData({} bytes)", self.0.len())
    }
}

/// Where fonts are found for a run: the `--font-dir` folders and the system's fonts, scanned
/// once (fontdb), with the files mapped so far, so that every [`FontBook`] made from it shares
/// one map per file. The [`crate::Engine`] keeps one for its life (issue 20: every book scanned
/// the system fonts again).
pub struct FontDb {
    db: fontdb::Database,
    /// Faces of `db` before this index came from `--font-dir`.
    user_count: usize,
    /// Font files of `--font-dir` that could not be read or parsed.
    warnings: Vec<Warning>,
    /// Each file mapped, by its path, device and inode, size and time (a file replaced
    /// meanwhile is mapped again).
    maps: std::sync::Mutex<BTreeMap<MapKey, FontData>>,
}

type MapKey = (PathBuf, u64, u64, Option<std::time::SystemTime>);

impl FontDb {
    /// Scan the folders of `opts` (an error if one does not exist) and, if asked, the system.
    pub fn scan(opts: &FontOptions) -> Result<FontDb, Error> {
        let mut db = fontdb::Database::new();
        for d in &opts.dirs {
            if !d.is_dir() {
                return Err(Error::io(d, "font folder does not exist"));
            }
            db.load_fonts_dir(d);
        }
        let user_count = db.len();
        let warnings = unreadable(&opts.dirs, &db);
        if opts.system {
            db.load_system_fonts();
        }
        Ok(FontDb {
            db,
            user_count,
            warnings,
            maps: Default::default(),
        })
    }

    /// The bytes of the file at `path`, mapped once for this database's life.
    fn map(&self, path: &Path) -> Result<FontData, Error> {
        let meta = std::fs::metadata(path)
            .map_err(|e| Error::io(path, format!("cannot read font ({e})")))?;
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        let key = (
            path.to_path_buf(),
            dev ^ ino.rotate_left(32),
            meta.len(),
            meta.modified().ok(),
        );
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(data) = maps.get(&key) {
            return Ok(data.clone());
        }
        let data = FontData::map(path)?;
        maps.insert(key, data.clone());
        Ok(data)
    }
}

/// A face: the font that serves it and the fallbacks tried after it.
#[derive(Debug, Clone)]
pub struct FaceChain {
    /// The office name asked for.
    pub office: String,
    /// Fonts in the order tried.
    pub fonts: Vec<FontId>,
    /// The bundled Noto fallback of the chain (serif, or sans for 黑体).
    pub fallback: FontId,
}

/// Every font of a run, and for each face key of the layout the chain that serves it.
pub struct FontBook {
    fonts: Vec<LoadedFont>,
    faces: BTreeMap<String, FaceChain>,
    /// Font files of `--font-dir` that could not be read or parsed.
    warnings: Vec<Warning>,
}

/// Where to look for fonts besides the bundled ones.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Folders given with `--font-dir`.
    pub dirs: Vec<PathBuf>,
    /// Look at the system's fonts too.
    pub system: bool,
}

impl FontBook {
    /// Resolve every face of `layout`, loading each file once, with the fonts found now (a
    /// scan of its own: an [`crate::Engine`] scans once and keeps its books).
    pub fn load(layout: &LayoutSpec, opts: &FontOptions) -> Result<FontBook, Error> {
        FontBook::with_db(layout, &FontDb::scan(opts)?)
    }

    /// Resolve every face of `layout` with the fonts of `fonts`.
    pub fn with_db(layout: &LayoutSpec, fonts: &FontDb) -> Result<FontBook, Error> {
        let (db, user_count) = (&fonts.db, fonts.user_count);
        let mut book = FontBook {
            fonts: Vec::new(),
            faces: BTreeMap::new(),
            warnings: fonts.warnings.clone(),
        };
        let bundled = crate::resources::fonts_dir();
        let mut bundled_ids = Vec::new();
        for file in BUNDLED {
            bundled_ids.push(book.add(fonts, &bundled.join(file), 0, "bundled")?);
        }
        let serif = book.add(fonts, &bundled.join(FALLBACK_SERIF), 0, "bundled")?;
        let sans = book.add(fonts, &bundled.join(FALLBACK_SANS), 0, "bundled")?;
        // 小标宋 is set bold (FandolSong-Bold); its fallback is the regular serif made heavier.
        let serif_bold = {
            let mut f = book.fonts[serif].clone();
            f.embolden = XIAOBIAOSONG_EMBOLDEN;
            book.fonts.push(f);
            book.fonts.len() - 1
        };
        let mut coverage = Vec::new();
        for family in COVERAGE {
            if let Some((path, index, _)) = find_family(db, family, user_count) {
                coverage.push(book.add(fonts, &path, index, "system")?);
                break;
            }
        }
        for (key, face) in &layout.faces {
            let (families, stand_in) = aliases(&face.office);
            let primary = match families.iter().find_map(|f| find_family(db, f, user_count)) {
                Some((path, index, user)) => book.add(
                    fonts,
                    &path,
                    index,
                    if user { "font-dir" } else { "system" },
                )?,
                None => book.add(fonts, &bundled.join(stand_in), 0, "bundled")?,
            };
            // Office fonts first, then the Fandol faces, then the bundled fallback of the same
            // style, so a character reads the same on every machine; system coverage last.
            let fallback = match stand_in {
                "FandolHei-Regular.otf" => sans,
                "FandolSong-Bold.otf" => serif_bold,
                _ => serif,
            };
            let mut chain = vec![primary];
            chain.extend(
                bundled_ids
                    .iter()
                    .chain(&[fallback])
                    .chain(&coverage)
                    .filter(|id| **id != primary),
            );
            book.faces.insert(
                key.clone(),
                FaceChain {
                    office: face.office.clone(),
                    fonts: chain,
                    fallback,
                },
            );
        }
        Ok(book)
    }

    fn add(
        &mut self,
        db: &FontDb,
        path: &Path,
        index: u32,
        origin: &'static str,
    ) -> Result<FontId, Error> {
        if let Some(id) = self
            .fonts
            .iter()
            .position(|f| f.path == path && f.index == index)
        {
            return Ok(id);
        }
        let font = db
            .map(path)
            .and_then(|data| LoadedFont::from_data(path, data, index, origin));
        let font = font.map_err(|e| {
            if origin == "bundled" {
                e.hint("the bundled fonts live in fonts/ beside the program; set GONGWEN_HOME to the folder that holds fonts/ and layouts/")
            } else {
                e
            }
        })?;
        self.fonts.push(font);
        Ok(self.fonts.len() - 1)
    }

    /// Font files of `--font-dir` skipped because they could not be read or parsed.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// A loaded font.
    pub fn font(&self, id: FontId) -> &LoadedFont {
        &self.fonts[id]
    }

    /// Every loaded font, indexed by [`FontId`].
    pub fn fonts(&self) -> &[LoadedFont] {
        &self.fonts
    }

    /// The chain of a face key.
    pub fn face(&self, key: &str) -> &FaceChain {
        &self.faces[key]
    }

    /// Every face key and its chain.
    pub fn faces(&self) -> impl Iterator<Item = (&String, &FaceChain)> {
        self.faces.iter()
    }

    /// The font, glyph and advance (em) for a character in a face: the first font of the chain
    /// that has it, or `None` when none does.
    pub fn glyph(&self, face: &str, ch: char) -> Option<(FontId, u16, f32)> {
        self.faces[face]
            .fonts
            .iter()
            .find_map(|&id| self.fonts[id].glyph(ch).map(|(g, a)| (id, g, a)))
    }
}

/// The families to look for and the bundled stand-in for an office font name.
fn aliases(office: &str) -> (Vec<&str>, &'static str) {
    for (names, families, stand_in) in ALIASES {
        if names.iter().any(|n| n.eq_ignore_ascii_case(office)) {
            let mut f = vec![office];
            f.extend(families.iter().copied());
            return (f, stand_in);
        }
    }
    // An unknown name: look for it as given, else fall back to the body face.
    (vec![office], "FandolFang-Regular.otf")
}

/// A font of that family: (path, face index, whether it came from `--font-dir`).
fn find_family(
    db: &fontdb::Database,
    family: &str,
    user_count: usize,
) -> Option<(PathBuf, u32, bool)> {
    db.faces().enumerate().find_map(|(i, f)| {
        let hit = f.families.iter().any(|(name, _)| name == family) || f.post_script_name == family;
        match (&f.source, hit) {
            (fontdb::Source::File(p), true) => Some((p.clone(), f.index, i < user_count)),
            _ => None,
        }
    })
}

/// Font files (by extension) under the `--font-dir` folders that fontdb skipped without a word:
/// unreadable, or not a font it can parse. Each is a warning naming the file, so a damaged
/// office font is not silently replaced by a stand-in.
fn unreadable(dirs: &[PathBuf], db: &fontdb::Database) -> Vec<Warning> {
    let loaded: std::collections::HashSet<&Path> = db
        .faces()
        .filter_map(|f| match &f.source {
            fontdb::Source::File(p) => Some(p.as_path()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            out.push(Warning::at(
                &dir.display().to_string(),
                0,
                "cannot read this font folder; its fonts are not used",
            ));
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if !matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc")
                || loaded.contains(path.as_path())
            {
                continue;
            }
            let why = match std::fs::read(&path) {
                Err(e) => format!("cannot read this font file ({e}); it is not used"),
                Ok(_) => "not a font file that can be parsed (damaged?); it is not used".into(),
            };
            out.push(Warning::at(&path.display().to_string(), 0, why));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_glyph_is_the_one_the_font_gives() {
        let path = crate::resources::fonts_dir().join("FandolFang-Regular.otf");
        let data = FontData::map(&path).unwrap();
        let font = LoadedFont::from_data(&path, data, 0, "bundled").unwrap();
        let upem = font.face.units_per_em() as f32;
        // Han, Latin, a name character Fandol lacks (䶮), one outside the BMP, a control.
        for ch in ['中', 'A', '䶮', '\u{20000}', '\u{1}'] {
            let fresh = font.face.glyph_index(ch).filter(|g| g.0 != 0).map(|g| {
                let adv = font.face.glyph_hor_advance(g).unwrap_or(0);
                (g.0, adv as f32 / upem)
            });
            assert_eq!(font.glyph(ch), fresh, "{ch:?}, first");
            assert_eq!(font.glyph(ch), fresh, "{ch:?}, remembered");
        }
        assert!(font.glyph('中').is_some() && font.glyph('䶮').is_none());
    }
}
