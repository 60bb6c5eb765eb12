//! The layout file's sections, one struct each as `layouts/*.toml` has them: paper, grid,
//! faces, elements, page numbers, 版头, 版记, tables, keeps, seal. What each number is and which
//! clause gives it is said on its field; [`super::LayoutSpec`] reads and checks them.

use serde::Deserialize;

/// Paper size and the body area (版心), in millimetres.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// Paper width, mm (A4: 210, 5.2.1).
    pub width_mm: f32,
    /// Paper height, mm (A4: 297, 5.2.1).
    pub height_mm: f32,
    /// Top margin (天头), mm from the paper's top edge to the body area (5.2.2).
    pub top_mm: f32,
    /// Left margin (订口), mm from the paper's left edge to the body area (5.2.2).
    pub left_mm: f32,
    /// Width of the body area (版心), mm (5.2.2).
    pub body_width_mm: f32,
    /// Height of the body area (版心), mm (5.2.2).
    pub body_height_mm: f32,
}

/// The grid: lines per page, characters per line, the pitch between lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// Lines per page (每面排 22 行, 5.2.3).
    pub lines: u32,
    /// Characters per line (每行排 28 个字, 5.2.3).
    pub chars: u32,
    /// Distance from one line to the next, pt (derived from the 版心 height and `lines`).
    pub line_pitch_pt: f32,
    /// Size of the characters the grid is counted in, pt (3号 = 16, 5.2.3).
    pub base_size_pt: f32,
    /// Space between a Han character and a Latin letter or digit, in em of the first one's size
    /// (Word's and LibreOffice's East Asian autospace: LibreOffice sets a fifth, 0.2, in whole
    /// twips). 0 turns it off in the PDF and in the DOCX (autoSpaceDE/DN), which Word honours;
    /// LibreOffice 7.4 ignores those settings and keeps its fifth.
    #[serde(default)]
    pub cjk_latin_space_em: f32,
}

/// One typeface role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceSpec {
    /// The name offices use (written into the DOCX, resolved through the alias table for the PDF).
    pub office: String,
}

/// Horizontal alignment of an element's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Flush left.
    Left,
    /// Flush right.
    Right,
    /// Centred (居中).
    Center,
    /// Flush on both sides, the last line flush left.
    Justify,
}

/// Type and placement of one element.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementSpec {
    /// Face key, one of [`super::LayoutSpec::faces`] (`fangsong`, `heiti` …).
    pub face: String,
    /// Font size, pt (字号 as Word/WPS: 2号 22, 3号 16, 4号 14).
    pub size_pt: f32,
    /// How its lines are aligned.
    pub align: Align,
    /// First-line indent, in characters of the element's own size (正文 左空二字, 7.3.3).
    #[serde(default)]
    pub first_line_chars: f32,
    /// Left indent of every line, in characters of the element's own size.
    #[serde(default)]
    pub left_chars: f32,
    /// Right indent of every line, in characters of the element's own size.
    #[serde(default)]
    pub right_chars: f32,
    /// Blank grid lines before it ("空一行").
    #[serde(default)]
    pub space_before_lines: u32,
    /// Blank grid lines after it.
    #[serde(default)]
    pub space_after_lines: u32,
    /// Move a heading of this element to the next page rather than end a page with it.
    #[serde(default)]
    pub keep_with_next: bool,
    /// RGB hex, e.g. `"000000"`; red elements of the 版头 say `"FF0000"`.
    #[serde(default = "black")]
    pub colour: String,
}

fn black() -> String {
    "000000".into()
}

/// Where page numbers go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// Odd pages right, even pages left (7.5).
    Outside,
    /// Centred on every page (a common house style).
    Center,
}

/// Page numbers (7.5).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumberSpec {
    /// Face key of the number (宋体, 7.5).
    pub face: String,
    /// Font size, pt (4号 = 14, 7.5).
    pub size_pt: f32,
    /// Distance of the number's line under the body area, mm (7.5).
    pub below_body_mm: f32,
    /// Space between the number and the body area's outer edge, in characters (空一字, 7.5).
    pub inset_chars: f32,
    /// Which side the number goes on.
    pub placement: Placement,
    /// The dash on each side of the number (一字线 "—", 7.5).
    pub dash: String,
    /// Whether page 1 shows its number (信函: no, 10.1).
    #[serde(default = "yes")]
    pub first_page: bool,
}

fn yes() -> bool {
    true
}

/// The 版头's geometry (7.2).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MastheadSpec {
    /// Top edge of the 发文机关标志, mm from the paper's top edge.
    pub top_mm: f32,
    /// Distance between the lines of a joint 标志, in its size.
    pub line_spacing: f32,
    /// Blank grid lines between the 标志 and the 发文字号.
    pub lines_before_number: u32,
    /// Gap between the 发文字号 and the red rule.
    pub rule_gap_mm: f32,
    /// Thickness of the red rule.
    pub rule_mm: f32,
    /// A second, thinner rule under the first (信函's double rule).
    #[serde(default)]
    pub second_rule_mm: Option<f32>,
    /// Rule length; the body width when absent.
    #[serde(default)]
    pub rule_width_mm: Option<f32>,
    /// Draw the red rule under the 发文字号 (7.2.7); a 命令(令) has none (10.2 names no rule).
    /// Without it the title (or a 令's body) stands `lines_after_rule` blank lines under the
    /// 发文字号 (10.2: 令号下空二行编排正文).
    #[serde(default = "rule_default")]
    pub rule: bool,
    /// Rule colour, RGB hex.
    pub rule_colour: String,
    /// Blank grid lines between the rule and the title.
    pub lines_after_rule: u32,
    /// 信函 (10.1): the rule goes under the 标志, 份号/密级/紧急程度 flush left and the 发文字号
    /// flush right under it, and a second double rule (thin over thick) sits
    /// `bottom_rule_mm` above the paper's bottom edge of page 1.
    #[serde(default)]
    pub letter: bool,
    /// 信函: distance of the bottom double rule from the paper's bottom edge.
    #[serde(default)]
    pub bottom_rule_mm: Option<f32>,
}

fn rule_default() -> bool {
    true
}

/// The 版记 (7.4).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColophonSpec {
    /// Draw the rules over, between and under the 版记.
    pub rules: bool,
    /// Show the 印发机关/印发日期 line.
    pub printer_line: bool,
    /// First and last rule.
    pub outer_rule_mm: f32,
    /// The rule between 抄送 and 印发.
    pub inner_rule_mm: f32,
    /// Double-sided printing: the 版记 goes on an even page.
    pub double_sided: bool,
}

/// Tables in the body (practice; the standard gives no numbers).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Thickness of the ruled grid.
    pub rule_mm: f32,
    /// Space between a cell's rules and its text, in characters of the table's size.
    pub padding_chars: f32,
    /// Space between a cell's rules and its text above and below, in characters of the table's
    /// size (the DOCX's top and bottom cell margins).
    #[serde(default = "default_padding_v")]
    pub padding_v_chars: f32,
    /// Pitch of a cell's lines as a multiple of the table's size: cells are set single-spaced
    /// at their own size, not on the body's grid (the DOCX's exact line spacing).
    #[serde(default = "default_cell_spacing")]
    pub line_spacing: f32,
    /// A row whose tallest cell has fewer lines never breaks across pages: it moves whole.
    #[serde(default = "default_split_lines")]
    pub split_min_lines: usize,
    /// Alignment of the header rows' cells.
    #[serde(default = "default_center")]
    pub header_align: Align,
    /// Alignment of a cell that is a number, an amount, a percentage or a date.
    #[serde(default = "default_center")]
    pub number_align: Align,
}

fn default_padding_v() -> f32 {
    0.2
}

fn default_cell_spacing() -> f32 {
    1.25
}

fn default_split_lines() -> usize {
    3
}

fn default_center() -> Align {
    Align::Center
}

/// How far the keep rules may move lines (practice: the standard asks only that 署名 and 日期 not
/// open a page alone, 7.3.5), and the closing fit GB/T 9704 7.3.5.5 allows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KeepSpec {
    /// The most lines a chain of blocks kept with the next may carry to the next page; a keep
    /// that would carry more yields (its block may end a page). 5 is the longest chain the rules
    /// themselves make: two body lines, the blank line, 署名 and 日期 (7.3.5), or a two-line
    /// heading, a two-line subheading and the first body line. The 署名 chain never yields.
    pub chain_max_lines: u32,
    /// 7.3.5.5: when the closing block (署名, 日期 and the body lines kept with them) overruns a
    /// page by at most this many lines, that page's line pitch shrinks just enough for it to
    /// fit there; 0 (the default) keeps every page on the 22-line grid.
    pub closing_fit_lines: u32,
}

impl Default for KeepSpec {
    fn default() -> Self {
        KeepSpec {
            chain_max_lines: 5,
            closing_fit_lines: 0,
        }
    }
}

/// 署名 and 成文日期 with a seal (7.3.5.1).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealSpec {
    /// Blank lines between the body and the 署名, room for the seal.
    pub space_before_lines: u32,
    /// The date ends this many characters from the right.
    pub date_right_chars: f32,
}

/// The text as typed or as the standards write it (`[text]`): `src/read/habits.rs` writes a
/// 成文日期 typed `2024.4.25` or `2024年04月25日` as `2024年4月25日` (GB/T 9704 7.3.5.2), a
/// `1、` number as `1.` (7.3.3) and half-width `(` `)` `:` in Chinese text full-width
/// (GB/T 15834), each with a warning.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TextSpec {
    /// Keep the text as typed: no rewriting and no warnings (the roles are the same either way).
    pub as_typed: bool,
}
