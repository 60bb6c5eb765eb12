//! Reading a Word file for `check`: the package's parts, and each body paragraph with its
//! formatting resolved as Word resolves it.
//!
//! Owns: docDefaults → the paragraph style chain (`w:basedOn`, root first) → direct paragraph
//! properties; for runs, the same chain's run properties, then the run's character style chain,
//! then direct run properties. Each resolved value remembers where it came from ([`Origin`]), so
//! a fault in a style is reported once, not on every paragraph. Theme fonts
//! (`w:eastAsiaTheme="minorEastAsia"`) are looked up in the theme part (`a:ea`, else the
//! `Hans` script font). Paragraphs are numbered as Word numbers them: every `w:p` of the body in
//! document order, table cells included, text boxes not (their paragraphs are another story and
//! are kept with the paragraph that anchors them). Sections, footers and `settings.xml` are
//! read for the page rules.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::{Document as Xml, Node};

use crate::error::Error;
use crate::read::docx::{
    Hidden, MAX_PARAGRAPHS, MAX_TABLE_DEPTH, Numbering, Zip, child, is_w, parse_xml, run_text,
    w_attr,
};

pub(super) use super::props::on;
pub use super::props::{FontRef, Origin, PPr, RPr, Set};

/// One style of `styles.xml`.
#[derive(Debug, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    ppr: PPr,
    rpr: RPr,
}

/// The styles part, the theme's East Asian fonts and the defaults.
#[derive(Debug, Default)]
pub struct Styles {
    defaults_p: PPr,
    defaults_r: RPr,
    styles: HashMap<String, Style>,
    default_para: Option<String>,
    default_char: Option<String>,
    /// `minorEastAsia` / `majorEastAsia` → typeface.
    theme: HashMap<String, String>,
}

impl Styles {
    fn read(xml: Option<&Xml>, theme: Option<&Xml>) -> Styles {
        let mut s = Styles::default();
        if let Some(theme) = theme {
            for (slot, el) in [
                ("minorEastAsia", "minorFont"),
                ("majorEastAsia", "majorFont"),
            ] {
                let Some(f) = theme.descendants().find(|n| n.tag_name().name() == el) else {
                    continue;
                };
                let ea = f
                    .children()
                    .find(|c| c.tag_name().name() == "ea")
                    .and_then(|c| c.attribute("typeface"))
                    .filter(|t| !t.is_empty());
                let hans = f
                    .children()
                    .find(|c| {
                        c.tag_name().name() == "font" && c.attribute("script") == Some("Hans")
                    })
                    .and_then(|c| c.attribute("typeface"));
                if let Some(t) = ea.or(hans) {
                    s.theme.insert(slot.to_string(), t.to_string());
                }
            }
        }
        let Some(xml) = xml else { return s };
        let root = xml.root_element();
        if let Some(d) = child(&root, "docDefaults") {
            let from = Origin::Defaults;
            s.defaults_p = PPr::read(
                child(&d, "pPrDefault").and_then(|p| child(&p, "pPr")),
                &from,
            );
            s.defaults_r = RPr::read(
                child(&d, "rPrDefault").and_then(|p| child(&p, "rPr")),
                &from,
            );
        }
        for st in root.children().filter(|c| is_w(c, "style")) {
            let Some(id) = w_attr(&st, "styleId") else {
                continue;
            };
            let kind = w_attr(&st, "type").unwrap_or("paragraph");
            let name = child(&st, "name")
                .and_then(|n| w_attr(&n, "val"))
                .unwrap_or(id)
                .to_string();
            if w_attr(&st, "default").is_some_and(|v| matches!(v, "1" | "true" | "on")) {
                match kind {
                    "paragraph" => s.default_para = Some(id.to_string()),
                    "character" => s.default_char = Some(id.to_string()),
                    _ => {}
                }
            }
            let from = Origin::Style(name.clone());
            s.styles.insert(
                id.to_string(),
                Style {
                    based_on: child(&st, "basedOn")
                        .and_then(|b| w_attr(&b, "val"))
                        .map(str::to_string),
                    ppr: PPr::read(child(&st, "pPr"), &from),
                    rpr: RPr::read(child(&st, "rPr"), &from),
                    name,
                },
            );
        }
        s
    }

    /// A style and its ancestors, root first (cycles and runaway chains cut).
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out: Vec<&Style> = Vec::new();
        let mut cur = id.map(str::to_string);
        while let Some(id) = cur {
            let Some(st) = self.styles.get(&id) else {
                break;
            };
            if out.len() > 20 || out.iter().any(|s| std::ptr::eq(*s, st)) {
                break;
            }
            out.push(st);
            cur = st.based_on.clone();
        }
        out.reverse();
        out
    }

    /// The paragraph style's display name, its resolved paragraph and run properties.
    pub(super) fn paragraph(&self, id: Option<&str>) -> (String, PPr, RPr) {
        let id = id.or(self.default_para.as_deref());
        let mut p = self.defaults_p.clone();
        let mut r = self.defaults_r.clone();
        for st in self.chain(id) {
            p.apply(&st.ppr);
            r.apply(&st.rpr);
        }
        let name = id
            .and_then(|i| self.styles.get(i))
            .map_or_else(|| "Normal".to_string(), |s| s.name.clone());
        (name, p, r)
    }

    /// A character style's run properties (chain applied).
    fn character(&self, id: Option<&str>) -> RPr {
        let mut r = RPr::default();
        for st in self.chain(id.or(self.default_char.as_deref())) {
            r.apply(&st.rpr);
        }
        r
    }

    /// A font reference as a name (theme slots through the theme).
    pub fn font_name(&self, f: &FontRef) -> Option<String> {
        match f {
            FontRef::Name(n) => Some(n.clone()),
            FontRef::Theme(slot) => self.theme.get(slot).cloned(),
        }
    }
}

/// One run of text with its resolved properties.
#[derive(Debug, Clone)]
pub struct Run {
    /// The run's text.
    pub text: String,
    /// Resolved run properties.
    pub rpr: RPr,
}

/// One body paragraph.
#[derive(Debug, Clone)]
pub struct Para {
    /// 1-based, as Word numbers the body's paragraphs.
    pub index: usize,
    /// Whether the paragraph sits in a table cell.
    pub in_table: bool,
    /// The paragraph style's display name.
    pub style: String,
    /// The numbering prefix (`一、`) automatic numbering shows; empty when none.
    pub number: String,
    /// Resolved paragraph properties.
    pub ppr: PPr,
    /// The paragraph style's resolved run properties (what an empty run would have).
    pub style_rpr: RPr,
    /// The paragraph's runs, in order.
    pub runs: Vec<Run>,
    /// Text of the text boxes anchored in this paragraph, one entry a paragraph.
    pub textbox: Vec<String>,
}

impl Para {
    /// The paragraph's text (numbering prefix first).
    pub fn text(&self) -> String {
        let mut t = self.number.clone();
        for r in &self.runs {
            t.push_str(&r.text);
        }
        t
    }
}

/// A section's page setup.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Index of the section's first paragraph (1-based).
    pub first_para: usize,
    /// Paper width in twips (`w:pgSz/@w:w`).
    pub width: i32,
    /// Paper height in twips (`w:pgSz/@w:h`).
    pub height: i32,
    /// Top margin in twips (`w:pgMar/@w:top`).
    pub top: i32,
    /// Bottom margin in twips.
    pub bottom: i32,
    /// Left margin in twips.
    pub left: i32,
    /// Right margin in twips.
    pub right: i32,
    /// Gutter in twips (`w:pgMar/@w:gutter`).
    pub gutter: i32,
    /// `w:docGrid/@w:type`: `default` (none), `lines`, `linesAndChars`, `snapToChars`.
    pub grid_type: String,
    /// `w:docGrid/@w:linePitch`: line pitch in twips.
    pub line_pitch: Option<i32>,
    /// `w:docGrid/@w:charSpace`: extra character pitch over the Normal style's size.
    pub char_space: Option<i32>,
    /// Footer reference type (`default`, `even`, `first`) → the footer part's page number.
    pub footers: HashMap<String, Footer>,
    /// `w:titlePg`: page 1 has its own (`first`) footer.
    pub title_page: bool,
}

/// A footer's page number, if it shows one.
#[derive(Debug, Clone, Default)]
pub struct Footer {
    /// The PAGE field, if the footer has one.
    pub page: Option<PageNumber>,
}

/// A PAGE field in a footer and what surrounds it.
#[derive(Debug, Clone, Default)]
pub struct PageNumber {
    /// Text of the paragraph before the field (tabs kept).
    pub before: String,
    /// Text after it.
    pub after: String,
    /// `left`, `center`, `right`, `inside`, `outside`: where the paragraph puts it.
    pub align: String,
    /// Sizes (pt) of the paragraph's runs that show something.
    pub sizes: Vec<f32>,
}

/// The whole package as the rules see it.
#[derive(Debug, Default)]
pub struct Package {
    /// Styles, theme fonts and defaults.
    pub styles: Styles,
    /// The body's paragraphs, table cells included, in order.
    pub paras: Vec<Para>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// `w:evenAndOddHeaders` in settings: even pages have their own footers.
    pub even_and_odd: bool,
    /// The file is one we wrote: its styles carry our names ([`crate::read::docx`]'s test), so
    /// each paragraph's style says its part.
    pub ours: bool,
}

impl Package {
    /// The size the default paragraph style (Normal) resolves to: a character grid's
    /// `charSpace` counts from it.
    pub fn styles_normal_size(&self) -> Set<u32> {
        self.styles.paragraph(None).2.size
    }
}

/// Read a Word file. `path` is for messages.
pub fn read(bytes: &[u8], path: &Path) -> Result<Package, Error> {
    let (mut pkg, document) = Zip::open(bytes, path)?;
    let rels_text = pkg.part("word/_rels/document.xml.rels")?;
    let rels = match &rels_text {
        Some(t) => relationships(&parse_xml(t, path, "word/_rels/document.xml.rels")?),
        None => HashMap::new(),
    };
    let theme_name = rels
        .values()
        .find(|(kind, _)| kind.ends_with("/theme"))
        .map_or("word/theme/theme1.xml".to_string(), |(_, t)| t.clone());
    let texts: Vec<Option<String>> = [
        "word/styles.xml".to_string(),
        theme_name,
        "word/numbering.xml".to_string(),
        "word/settings.xml".to_string(),
    ]
    .iter()
    .map(|n| pkg.part(n))
    .collect::<Result<_, _>>()?;
    let xml = |i: usize, name: &str| -> Result<Option<Xml>, Error> {
        texts[i]
            .as_deref()
            .map(|t| parse_xml(t, path, name))
            .transpose()
    };
    let styles_xml = xml(0, "word/styles.xml")?;
    let theme_xml = xml(1, "the theme part")?;
    let numbering_xml = xml(2, "word/numbering.xml")?;
    let settings_xml = xml(3, "word/settings.xml")?;
    let styles = Styles::read(styles_xml.as_ref(), theme_xml.as_ref());
    let numbering = numbering_xml
        .as_ref()
        .map(Numbering::read)
        .unwrap_or_default();
    let even_and_odd = settings_xml
        .as_ref()
        .is_some_and(|s| child(&s.root_element(), "evenAndOddHeaders").is_some_and(|n| on(&n)));
    let doc = parse_xml(&document, path, "word/document.xml")?;
    let body = child(&doc.root_element(), "body").ok_or_else(|| {
        Error::io(path, "not a Word document: word/document.xml has no w:body")
            .hint("open it in Word or WPS and save it as Word 文档 (*.docx)")
    })?;
    let mut walker = Walker {
        path,
        doc: &doc,
        tables: 0,
        styles: &styles,
        numbering: &numbering,
        level_ppr: numbering_xml
            .as_ref()
            .map(super::lists::LevelPprs::read)
            .unwrap_or_default(),
        paras: Vec::new(),
        section_ends: Vec::new(),
    };
    walker.blocks(body, false)?;
    let Walker {
        paras,
        section_ends,
        ..
    } = walker;
    // Sections: each `w:sectPr` in a paragraph ends one; the body's own ends the last.
    let mut sections = Vec::new();
    let mut first = 1;
    let ends = section_ends
        .iter()
        .map(|(i, s)| (*i, *s))
        .chain(child(&body, "sectPr").map(|s| (paras.len(), s)));
    let mut previous: HashMap<String, Footer> = HashMap::new();
    // Each footer part read and parsed once, however many sections refer to it: 6,000
    // references to one large part would otherwise parse it 6,000 times.
    let mut footers: HashMap<String, Footer> = HashMap::new();
    for (last, node) in ends {
        let mut s = super::footer::section(node);
        s.first_para = first;
        first = last + 1;
        for r in node.children().filter(|c| is_w(c, "footerReference")) {
            let kind = w_attr(&r, "type").unwrap_or("default").to_string();
            let id = r
                .attributes()
                .find(|a| a.name() == "id")
                .map(|a| a.value().to_string());
            let target = id.and_then(|id| rels.get(&id)).map(|(_, t)| t.clone());
            let footer = match target {
                Some(t) => match footers.get(&t) {
                    Some(f) => f.clone(),
                    None => {
                        let f = match pkg.part(&t)? {
                            Some(text) => {
                                super::footer::footer(&parse_xml(&text, path, &t)?, &styles)
                            }
                            None => Footer::default(),
                        };
                        footers.insert(t, f.clone());
                        f
                    }
                },
                None => Footer::default(),
            };
            s.footers.insert(kind, footer);
        }
        // A section without its own footer reference of a kind inherits the previous one's.
        for (k, f) in &previous {
            s.footers.entry(k.clone()).or_insert_with(|| f.clone());
        }
        previous = s.footers.clone();
        sections.push(s);
    }
    let ours = crate::read::docx::is_ours(styles.styles.values().map(|s| s.name.as_str()));
    Ok(Package {
        styles,
        paras,
        sections,
        even_and_odd,
        ours,
    })
}

/// `Id` → (relationship type, part name inside the package).
fn relationships(xml: &Xml) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for r in xml.root_element().children().filter(|n| n.is_element()) {
        let (Some(id), Some(kind), Some(target)) = (
            r.attribute("Id"),
            r.attribute("Type"),
            r.attribute("Target"),
        ) else {
            continue;
        };
        if r.attribute("TargetMode") == Some("External") {
            continue;
        }
        let name = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("word/{target}"),
        };
        out.insert(id.to_string(), (kind.to_string(), name));
    }
    out
}

/// Walks the body: paragraphs (numbered), tables' cells, content controls.
struct Walker<'s, 'a, 'i> {
    path: &'s Path,
    doc: &'s Xml<'i>,
    /// Tables the walk is inside.
    tables: usize,
    styles: &'s Styles,
    numbering: &'s Numbering,
    /// (numId, ilvl) → the level's paragraph properties (its indents).
    level_ppr: super::lists::LevelPprs,
    paras: Vec<Para>,
    /// (index of the paragraph that ends a section, its `w:sectPr`).
    section_ends: Vec<(usize, Node<'a, 'i>)>,
}

impl<'a, 'i> Walker<'_, 'a, 'i> {
    fn blocks(&mut self, parent: Node<'a, 'i>, in_table: bool) -> Result<(), Error> {
        for n in parent.children().filter(Node::is_element) {
            let local = n.tag_name().name();
            if !is_w(&n, local) {
                continue;
            }
            match local {
                "p" => self.paragraph(n, in_table)?,
                "tbl" => {
                    if self.tables >= MAX_TABLE_DEPTH {
                        return Err(self
                            .beyond(
                                &n,
                                format!("tables nested more than {MAX_TABLE_DEPTH} deep"),
                            )
                            .hint(crate::read::docx::MADE_NOT_SAVED));
                    }
                    // This table's own cells, each walked once (nested tables from their
                    // cell), in one pass over rows and cells.
                    self.tables += 1;
                    for tr in crate::read::docx::rows(n) {
                        for tc in crate::read::docx::cells_of(tr) {
                            self.blocks(tc, true)?;
                        }
                    }
                    self.tables -= 1;
                }
                "sdt" => {
                    if let Some(c) = child(&n, "sdtContent") {
                        self.blocks(c, in_table)?;
                    }
                }
                "customXml" | "ins" | "moveTo" => self.blocks(n, in_table)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A bound a made file broke, located in `word/document.xml`.
    fn beyond(&self, n: &Node, what: String) -> Error {
        let pos = self.doc.text_pos_at(n.range().start);
        Error::io(
            self.path,
            format!(
                "word/document.xml, line {}, column {}: {what}",
                pos.row, pos.col
            ),
        )
    }

    fn paragraph(&mut self, p: Node<'a, 'i>, in_table: bool) -> Result<(), Error> {
        if self.paras.len() >= MAX_PARAGRAPHS {
            return Err(self
                .beyond(
                    &p,
                    format!("the document has more than {MAX_PARAGRAPHS} paragraphs"),
                )
                .hint("split the document into parts and check each"));
        }
        let p_pr = child(&p, "pPr");
        let style_id = p_pr
            .and_then(|pr| child(&pr, "pStyle"))
            .and_then(|s| w_attr(&s, "val"));
        let (style, mut ppr, style_rpr) = self.styles.paragraph(style_id);
        let direct = PPr::read(p_pr, &Origin::Direct);
        // A numbering level's own indents sit between the style and the paragraph (Word).
        let num = direct.num.clone().or(ppr.num.clone());
        if let Some(lvl) = num.and_then(|(id, l)| self.level_ppr.get(&id, l)) {
            ppr.apply(lvl);
        }
        ppr.apply(&direct);
        let mut runs = Vec::new();
        let mut textbox = Vec::new();
        collect_runs(p, self.styles, &style_rpr, &mut runs, &mut textbox);
        let number = match &ppr.num {
            Some((id, lvl)) => super::lists::prefix(self.numbering, id, *lvl),
            None => String::new(),
        };
        let index = self.paras.len() + 1;
        if let Some(s) = p_pr.and_then(|pr| child(&pr, "sectPr")) {
            self.section_ends.push((index, s));
        }
        self.paras.push(Para {
            index,
            in_table,
            style,
            number,
            ppr,
            style_rpr,
            runs,
            textbox,
        });
        Ok(())
    }
}

/// The runs of a paragraph (through hyperlinks, insertions, content controls, simple fields),
/// and the text of the text boxes drawn in them.
fn collect_runs(
    parent: Node,
    styles: &Styles,
    base: &RPr,
    runs: &mut Vec<Run>,
    textbox: &mut Vec<String>,
) {
    for n in parent.children().filter(Node::is_element) {
        let local = n.tag_name().name();
        if !is_w(&n, local) {
            continue;
        }
        match local {
            "r" => {
                let r_pr = child(&n, "rPr");
                let mut rpr = base.clone();
                let char_style = r_pr
                    .and_then(|pr| child(&pr, "rStyle"))
                    .and_then(|s| w_attr(&s, "val"));
                if char_style.is_some() {
                    rpr.apply(&styles.character(char_style));
                }
                rpr.apply(&RPr::read(r_pr, &Origin::Direct));
                // The draft reader's text (rubies, symbols; hidden text out), breaks left out.
                let mut text = String::new();
                run_text(n, &mut text, &mut Hidden::default(), false);
                // Text boxes: every w:txbxContent below the run (DrawingML or VML).
                for tb in n.descendants().filter(|d| is_w(d, "txbxContent")) {
                    for tp in tb.children().filter(|c| is_w(c, "p")) {
                        let t: String = tp
                            .descendants()
                            .filter(|d| is_w(d, "t"))
                            .filter_map(|d| d.text())
                            .collect();
                        textbox.push(t);
                    }
                }
                runs.push(Run { text, rpr });
            }
            "ins" | "moveTo" | "hyperlink" | "smartTag" | "fldSimple" | "customXml" | "dir"
            | "bdo" => collect_runs(n, styles, base, runs, textbox),
            "sdt" => {
                if let Some(c) = child(&n, "sdtContent") {
                    collect_runs(c, styles, base, runs, textbox);
                }
            }
            _ => {}
        }
    }
}
