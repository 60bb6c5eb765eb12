//! The `Document`: what a 公文 says, element by element, with no geometry.
//!
//! The readers (plain text, Word drafts, data through templates) produce it; the plan
//! ([`crate::plan`]) reads it and decides every length, and both writers read the plan, so the
//! PDF and the DOCX come from one model. Each block names the GB/T 9704 element it is; the layout
//! file says how that element looks.

/// A GB/T 9704 element: the key into the layout file's `[elements]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    /// 标题 (7.3.1).
    Title,
    /// The unit, post and name centred under a report's title (practice for 述职报告).
    Byline,
    /// 发文字号 (7.2.4).
    DocNumber,
    /// 主送机关 (7.3.2).
    Addressee,
    /// 正文 (7.3.3).
    Body,
    /// 一级标题 `一、` (7.3.3).
    Heading1,
    /// 二级标题 `（一）`.
    Heading2,
    /// 三级标题 `1.`.
    Heading3,
    /// 四级标题 `（1）`.
    Heading4,
    /// 附件说明 (7.3.4).
    Attachment,
    /// 发文机关署名 (7.3.5).
    Signature,
    /// 成文日期 (7.3.5).
    Date,
    /// 附注 (7.3.6).
    Note,
    /// 份号 (7.2.1).
    CopyNo,
    /// 密级和保密期限 (7.2.2).
    Secrecy,
    /// 紧急程度 (7.2.3).
    Urgency,
    /// 发文机关标志 (7.2.5).
    Masthead,
    /// 签发人 names (7.2.6).
    Signer,
    /// 抄送机关 (7.4.2).
    Cc,
    /// 印发机关和印发日期 (7.4.3).
    Printer,
    /// `附件N` on an attachment page (8).
    AttachmentLabel,
    /// The title of an attachment page (8).
    AttachmentTitle,
    /// 出席/请假/列席 names of a 纪要 (10.3).
    Attendance,
    /// The 出席：/请假：/列席： label of a 纪要 (10.3).
    AttendanceLabel,
    /// A table in the body: a [`Block::Table`], its first row the header.
    Table,
    /// A report's subtitle right under its title: `——在……会议上` or `（2024年3月5日）`
    /// (practice for 工作报告 and 讲话: centred 3号楷体).
    Subtitle,
    /// The speaker under a report's title: 职务 and a name spaced with full-width spaces
    /// (`国务院总理　李　强`; practice: centred 3号楷体).
    Speaker,
    /// A speech's salutation (`各位代表：`), flush left as 主送 is (7.3.2).
    Salutation,
    /// The title of a document a 印发/转发/批转 通知 encloses, after the notice's 署名 block:
    /// centred 2号小标宋 as a title is (7.3.1).
    EnclosedTitle,
    /// The 签发人's 职务 and name over the date of a 命令(令) (7.3.5.3, 10.2): `县长　王建国`,
    /// the name standing where the 签名章 is pressed.
    SignerPost,
    /// `第一章　总则`: a chapter of a 条例, 规定 or 规则 (practice of the 国务院令 and 规章 as
    /// published: centred 黑体, a blank line above).
    Chapter,
    /// `第一节　……`: a section of a chapter, one level down (centred 楷体).
    Section,
    /// `第一条　……`: an article, set as laws are set: `第一条` in 黑体, a full-width space, the
    /// text in 仿宋 running on, two characters in; body text that may split, never a heading.
    Article,
    /// The `目　录` line over a 预案's or 规定's table of contents (centred 黑体).
    ContentsTitle,
    /// A line of a table of contents (`1　总则`, `1.1　编制目的`): flush left, indented a character
    /// a level, in the body face.
    Contents,
}

impl Element {
    /// Every element, in document order.
    pub const ALL: [Element; 35] = [
        Element::Title,
        Element::Byline,
        Element::DocNumber,
        Element::Addressee,
        Element::Body,
        Element::Heading1,
        Element::Heading2,
        Element::Heading3,
        Element::Heading4,
        Element::Attachment,
        Element::Signature,
        Element::Date,
        Element::Note,
        Element::CopyNo,
        Element::Secrecy,
        Element::Urgency,
        Element::Masthead,
        Element::Signer,
        Element::Cc,
        Element::Printer,
        Element::AttachmentLabel,
        Element::AttachmentTitle,
        Element::Attendance,
        Element::AttendanceLabel,
        Element::Table,
        Element::Subtitle,
        Element::Speaker,
        Element::Salutation,
        Element::EnclosedTitle,
        Element::SignerPost,
        Element::Chapter,
        Element::Section,
        Element::Article,
        Element::ContentsTitle,
        Element::Contents,
    ];

    /// The key of this element in the layout file.
    pub fn key(self) -> &'static str {
        match self {
            Element::Title => "title",
            Element::Byline => "byline",
            Element::DocNumber => "doc_number",
            Element::Addressee => "addressee",
            Element::Body => "body",
            Element::Heading1 => "heading1",
            Element::Heading2 => "heading2",
            Element::Heading3 => "heading3",
            Element::Heading4 => "heading4",
            Element::Attachment => "attachment",
            Element::Signature => "signature",
            Element::Date => "date",
            Element::Note => "note",
            Element::CopyNo => "copy_no",
            Element::Secrecy => "secrecy",
            Element::Urgency => "urgency",
            Element::Masthead => "masthead",
            Element::Signer => "signer",
            Element::Cc => "cc",
            Element::Printer => "printer",
            Element::AttachmentLabel => "attachment_label",
            Element::AttachmentTitle => "attachment_title",
            Element::Attendance => "attendance",
            Element::AttendanceLabel => "attendance_label",
            Element::Table => "table",
            Element::Subtitle => "subtitle",
            Element::Speaker => "speaker",
            Element::Salutation => "salutation",
            Element::EnclosedTitle => "enclosed_title",
            Element::SignerPost => "signer_post",
            Element::Chapter => "chapter",
            Element::Section => "section",
            Element::Article => "article",
            Element::ContentsTitle => "contents_title",
            Element::Contents => "contents",
        }
    }

    /// The element a layout-file key names.
    pub fn from_key(key: &str) -> Option<Element> {
        Element::ALL.into_iter().find(|e| e.key() == key)
    }

    /// The element whose layout entry a layout file without this one's lends it (the elements
    /// added after layout files were copied for house styles), if any.
    pub fn borrows(self) -> Option<Element> {
        match self {
            Element::Subtitle | Element::Speaker => Some(Element::Byline),
            Element::Salutation => Some(Element::Addressee),
            Element::EnclosedTitle => Some(Element::Title),
            Element::SignerPost => Some(Element::Signature),
            Element::Chapter | Element::ContentsTitle => Some(Element::Heading1),
            Element::Section => Some(Element::Heading2),
            Element::Article | Element::Contents => Some(Element::Body),
            _ => None,
        }
    }

    /// What the element is called in Chinese (`gongwen explain`).
    pub fn name(self) -> &'static str {
        match self {
            Element::Title => "标题",
            Element::Byline => "作者",
            Element::DocNumber => "发文字号",
            Element::Addressee => "主送",
            Element::Body => "正文",
            Element::Heading1 => "一级标题",
            Element::Heading2 => "二级标题",
            Element::Heading3 => "三级标题",
            Element::Heading4 => "四级标题",
            Element::Attachment => "附件说明",
            Element::Signature => "署名",
            Element::Date => "日期",
            Element::Note => "附注",
            Element::CopyNo => "份号",
            Element::Secrecy => "密级",
            Element::Urgency => "紧急程度",
            Element::Masthead => "发文机关标志",
            Element::Signer => "签发人",
            Element::Cc => "版记（抄送）",
            Element::Printer => "版记（印发）",
            Element::AttachmentLabel => "附件页",
            Element::AttachmentTitle => "附件标题",
            Element::Attendance => "出席人员",
            Element::AttendanceLabel => "出席标签",
            Element::Table => "表格",
            Element::Subtitle => "副标题",
            Element::Speaker => "讲话人",
            Element::Salutation => "称谓",
            Element::EnclosedTitle => "附文标题",
            Element::SignerPost => "签发人职务",
            Element::Chapter => "章标题",
            Element::Section => "节标题",
            Element::Article => "条",
            Element::ContentsTitle => "目录标题",
            Element::Contents => "目录",
        }
    }

    /// The heading element of a level (1–4).
    pub fn heading(level: u8) -> Element {
        match level {
            1 => Element::Heading1,
            2 => Element::Heading2,
            3 => Element::Heading3,
            _ => Element::Heading4,
        }
    }

    /// The heading level (1–4) of a heading element.
    pub fn level(self) -> Option<u8> {
        match self {
            Element::Heading1 => Some(1),
            Element::Heading2 => Some(2),
            Element::Heading3 => Some(3),
            Element::Heading4 => Some(4),
            _ => None,
        }
    }
}

/// A run of text in one element's face. A run-in heading (`（一）加强组织领导。各地要……`) is one
/// block whose first span is the heading and whose second span is body text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Whose face the text takes.
    pub element: Element,
    /// The text.
    pub text: String,
}

/// One block of the document, in reading order: a paragraph or a table (the plan's blocks are
/// the same two, with their geometry decided).
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph: a title, a heading, body text, a 署名 line …
    Para(Para),
    /// A ruled table.
    Table(Table),
}

/// One paragraph of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// What the paragraph is; decides spacing, indents and alignment.
    pub element: Element,
    /// The text, in one or more faces.
    pub spans: Vec<Span>,
    /// The source line it came from (1-based), for messages.
    pub line: usize,
    /// Line breaks the author asked for (`|` in a title, 7.3.1), as char offsets into the text.
    pub breaks: Vec<usize>,
    /// The source lines after `line` that the paragraph continues on: a title the draft split
    /// over several lines (`gongwen explain` names each).
    pub more_lines: Vec<usize>,
    /// The table after it that the paragraph labels: its caption or its `单位：` line.
    pub label: Option<TableLabel>,
}

/// A table in the body: cells row by row, the first row the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The cells, row by row. Every row has the header's number of cells; a cell that a merge
    /// covers (not its first) is empty.
    pub rows: Vec<Vec<String>>,
    /// Merged cells: each a rectangle whose text is in its top-left cell.
    pub merges: Vec<Merge>,
    /// The source line it starts on (its `@表格` line, or its first row), for messages.
    pub line: usize,
    /// The source line of each row (`gongwen explain`).
    pub row_lines: Vec<usize>,
    /// How many rows at the top are the header (repeated on every page the table goes on;
    /// 2 when a header cell spans a second header row). At least 1.
    pub header_rows: usize,
}

impl Block {
    /// A paragraph in a single face.
    pub fn para(element: Element, text: impl Into<String>, line: usize) -> Block {
        Block::spans(
            element,
            vec![Span {
                element,
                text: text.into(),
            }],
            line,
        )
    }

    /// A paragraph in several faces (a run-in heading: heading span, then body span).
    pub fn spans(element: Element, spans: Vec<Span>, line: usize) -> Block {
        Block::Para(Para {
            element,
            spans,
            line,
            breaks: vec![],
            more_lines: vec![],
            label: None,
        })
    }

    /// A table: rows (the first the header), merges, its source line and its rows' lines.
    pub fn table(
        rows: Vec<Vec<String>>,
        merges: Vec<Merge>,
        line: usize,
        row_lines: Vec<usize>,
    ) -> Block {
        Block::Table(Table {
            rows,
            merges,
            line,
            row_lines,
            header_rows: 1,
        })
    }

    /// The GB/T 9704 element the block is ([`Element::Table`] for a table).
    pub fn element(&self) -> Element {
        match self {
            Block::Para(p) => p.element,
            Block::Table(_) => Element::Table,
        }
    }

    /// The source line it came from (1-based), for messages.
    pub fn line(&self) -> usize {
        match self {
            Block::Para(p) => p.line,
            Block::Table(t) => t.line,
        }
    }

    /// A paragraph's text; a table has none outside its cells.
    pub fn text(&self) -> String {
        self.as_para().map(Para::text).unwrap_or_default()
    }

    /// The paragraph, if the block is one.
    pub fn as_para(&self) -> Option<&Para> {
        match self {
            Block::Para(p) => Some(p),
            Block::Table(_) => None,
        }
    }

    /// The paragraph, if the block is one, to change.
    pub fn as_para_mut(&mut self) -> Option<&mut Para> {
        match self {
            Block::Para(p) => Some(p),
            Block::Table(_) => None,
        }
    }
}

impl Para {
    /// All text of the paragraph.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Cells of a table merged into one: `rows` × `cols` cells from row `row`, column `col` (0-based,
/// the header is row 0). The text is in the top-left cell; the others are empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// First row.
    pub row: usize,
    /// First column.
    pub col: usize,
    /// Rows merged (1: none down).
    pub rows: usize,
    /// Columns merged (1: none across).
    pub cols: usize,
}

impl Merge {
    /// Whether the merge covers a cell.
    pub fn covers(&self, row: usize, col: usize) -> bool {
        (self.row..self.row + self.rows).contains(&row)
            && (self.col..self.col + self.cols).contains(&col)
    }
}

/// The merge covering a cell, if any.
pub fn merge_at(merges: &[Merge], row: usize, col: usize) -> Option<&Merge> {
    merges.iter().find(|m| m.covers(row, col))
}

/// What a paragraph next to a table is to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableLabel {
    /// The table's caption (表题), centred over it.
    Caption,
    /// Its `单位：` line, on the right over it.
    Unit,
}

/// 版头 (7.2): the part above the red rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Masthead {
    /// 份号 (7.2.1).
    pub copy_no: Option<String>,
    /// 密级和保密期限 (7.2.2).
    pub secrecy: Option<String>,
    /// 紧急程度 (7.2.3).
    pub urgency: Option<String>,
    /// 发文机关 names of the 标志 (7.2.5); several for a joint document.
    pub issuers: Vec<String>,
    /// What follows the names in the 标志: 文件, or nothing.
    pub suffix: String,
    /// 发文字号 (7.2.4).
    pub doc_number: Option<String>,
    /// 签发人 names (7.2.6).
    pub signers: Option<String>,
    /// The draft's lines typed as 版头 parts (no `@` markup) and what each became, for
    /// `gongwen explain` (`read::text::head`); empty when the markup said it all.
    pub typed: Vec<(usize, Element)>,
}

impl Masthead {
    /// A 命令(令)'s 标志 (10.2): the organ's full name with 令 or 命令 after it, its 令号 in
    /// `doc_number`.
    pub fn is_order(&self) -> bool {
        matches!(self.suffix.as_str(), "令" | "命令")
    }
}

/// 版记 (7.4): 抄送 and 印发 at the foot of the last page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Colophon {
    /// 抄送机关 (7.4.2).
    pub cc: Option<String>,
    /// 印发机关 (7.4.3).
    pub printer: Option<String>,
    /// 印发日期 (7.4.3).
    pub print_date: Option<String>,
    /// Source line of a plain `抄送：` line (`None`: from markup, or no 抄送).
    pub cc_line: Option<usize>,
    /// Source line of a plain `…印发` line (`None`: from markup, or no 印发 line).
    pub print_line: Option<usize>,
}

/// An attachment page (8): 附件N, its title, its body.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentPage {
    /// The number after 附件.
    pub number: String,
    /// The attachment's title.
    pub title: String,
    /// Line breaks the author asked for in the title, as char offsets.
    pub title_breaks: Vec<usize>,
    /// Source line of the `附件N` line (or of the `@附件 N: 标题` markup).
    pub line: usize,
    /// Source line of the title (the markup's own line for `@附件 N: 标题`).
    pub title_line: usize,
    /// Source lines the title continues on: its second line in brackets (`（共130项）`).
    pub title_more_lines: Vec<usize>,
    /// Its paragraphs.
    pub blocks: Vec<Block>,
}

/// A whole document: its blocks in reading order, with no geometry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The title as one string (for PDF metadata and file names).
    pub title: String,
    /// Every paragraph of the main part, title first.
    pub blocks: Vec<Block>,
    /// Where it came from, for messages.
    pub source: String,
    /// 版头, if the document has one.
    pub masthead: Option<Masthead>,
    /// Room for a seal over 署名 and 成文日期 (7.3.5.1).
    pub seal: bool,
    /// Attachment pages, after the main part.
    pub attachments: Vec<AttachmentPage>,
    /// 版记, if the document has one.
    pub colophon: Option<Colophon>,
    /// Plain lines the reader took into the 版头 (a 令's 标志 and 令号): the line, the element
    /// it became and the role `gongwen explain` names (`令标志`, `令号`).
    pub head_lines: Vec<(usize, Element, String)>,
    /// The bundled layout the draft names (`@版式`; our DOCX records the one it was made with).
    pub layout: Option<String>,
}

impl Document {
    /// The bundled layout the document asks for when neither the command line nor the data
    /// names one: the one it names (`@版式`), else its kind's: `ling` for a 命令(令) (10.2).
    pub fn layout_hint(&self) -> Option<&str> {
        self.layout.as_deref().or_else(|| {
            self.masthead
                .as_ref()
                .filter(|m| m.is_order())
                .map(|_| "ling")
        })
    }

    /// The blocks that are headings of level 1 or 2 (PDF bookmarks).
    pub fn outline(&self) -> impl Iterator<Item = (u8, &Block)> {
        self.blocks
            .iter()
            .filter_map(|b| b.element().level().filter(|l| *l <= 2).map(|l| (l, b)))
    }
}
