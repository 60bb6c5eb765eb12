//! Landscape sections: a 横排表格 (GB/T 9704 8) and its caption in a section of its own, the
//! paper turned, the body area the same rectangle of paper as on a portrait page, and the page
//! number printed where the portrait pages have it.
//!
//! The plan says which blocks go on landscape pages ([`crate::plan::paginate::landscape_blocks`]);
//! here the section before them ends in a paragraph carrying the portrait `w:sectPr`, and a
//! paragraph one point high after them carries the landscape one (`w:orient="landscape"`, the
//! `w:pgSz` swapped). The PDF turns the same pages ([`crate::plan::paginate::turn`]): the table's
//! head faces the paper's left edge, so the landscape page's top margin is the portrait left
//! one, its left margin the portrait foot, its bottom the portrait right and its right the
//! portrait top. Its footers hold the page number in a text box anchored to the page, its lines
//! turned a quarter clockwise (`vert`), placed where the portrait footer puts `— N —`: the
//! number reads upright on the paper as on every other page, 7 mm under the body area, odd
//! right and even left (7.5).

use super::drawing::{Pos, Wrap, anchored, turned_text_box};
use super::ooxml::{El, ns};
use super::{styles, twips};
use crate::spec::{LayoutSpec, PT_PER_MM};

/// The landscape footers' relationship ids in `document.xml.rels` (odd, even).
pub const FOOTERS: (&str, &str) = ("rId7", "rId8");

/// The landscape footers' part names (odd, even).
pub const FOOTER_PARTS: (&str, &str) = ("footer4.xml", "footer5.xml");

/// A section of landscape pages: A4 turned, margins that keep the body area where the portrait
/// pages have it on the paper, the footers with the turned page number, the same line grid.
pub fn sect_pr(layout: &LayoutSpec) -> El {
    let p = &layout.page;
    let mm = |v: f32| twips(v * PT_PER_MM);
    let footer = |kind: &str, id: &str| {
        El::new("w:footerReference")
            .attr("w:type", kind)
            .attr("r:id", id)
    };
    let bottom = p.height_mm - p.top_mm - p.body_height_mm; // the portrait foot (35 mm)
    let right = p.width_mm - p.left_mm - p.body_width_mm; // the portrait right margin (26 mm)
    El::new("w:sectPr")
        .child(footer("default", FOOTERS.0))
        .child(footer("even", FOOTERS.1))
        .child(
            El::new("w:pgSz")
                .attr("w:w", mm(p.height_mm))
                .attr("w:h", mm(p.width_mm))
                .attr("w:orient", "landscape"),
        )
        .child(
            El::new("w:pgMar")
                .attr("w:top", mm(p.left_mm))
                .attr("w:right", mm(p.top_mm))
                .attr("w:bottom", mm(right))
                .attr("w:left", mm(bottom))
                .attr("w:header", mm(10.0))
                .attr("w:footer", mm(10.0))
                .attr("w:gutter", 0),
        )
        .child(El::new("w:cols").attr("w:space", 425))
        .child(
            El::new("w:docGrid")
                .attr("w:type", "lines")
                .attr("w:linePitch", twips(layout.grid.line_pitch_pt)),
        )
}

/// A paragraph one point high, off the grid, that ends a section: it carries the section's
/// `w:sectPr` and takes no line of the page.
pub fn section_end(sect: El) -> El {
    El::new("w:p").child(
        El::new("w:pPr")
            .child(El::val("w:snapToGrid", 0))
            .child(
                El::new("w:spacing")
                    .attr("w:before", 0)
                    .attr("w:after", 0)
                    .attr("w:line", 20)
                    .attr("w:lineRule", "exact"),
            )
            .child(El::new("w:rPr").child(El::val("w:sz", 2)))
            .child(sect),
    )
}

/// A landscape page's footer: the page number's paragraph in a text box turned a quarter
/// clockwise, anchored to the page. In the landscape page's coordinates the portrait paper's
/// foot is its left edge: the box is centred `below_body_mm` left of the body area (where the
/// portrait number's middle is under it) and runs down the landscape page along the portrait
/// body width, so the paragraph's indent and alignment put the number where the portrait
/// footer does. `id`: the shape's `wp:docPr` id.
pub fn footer(layout: &LayoutSpec, odd: bool, id: u32) -> El {
    let pn = &layout.page_number;
    // The portrait number's middle, measured up from the paper's foot: the landscape page's x.
    let mid = layout.page_height()
        - (layout.body_top() + layout.body_height() + pn.below_body_mm * PT_PER_MM);
    let across = 2.0 * pn.size_pt;
    let along = layout.body_width();
    let shape = turned_text_box(across, along, vec![styles::page_number(layout, odd)]);
    let drawing = anchored(
        id,
        "页码",
        Pos::Page {
            x: mid - across / 2.0,
            y: layout.body_left(),
        },
        across,
        along,
        Wrap::None,
        shape,
    );
    let p = El::new("w:p")
        .child(
            El::new("w:pPr")
                .child(El::val("w:pStyle", "Footer"))
                .child(El::val("w:snapToGrid", 0))
                .child(
                    El::new("w:spacing")
                        .attr("w:before", 0)
                        .attr("w:after", 0)
                        .attr("w:line", 20)
                        .attr("w:lineRule", "exact"),
                ),
        )
        .child(drawing);
    El::new("w:ftr")
        .attr("xmlns:w", ns::W)
        .attr("xmlns:r", ns::R)
        .attr("xmlns:wp", ns::WP)
        .attr("xmlns:a", ns::A)
        .attr("xmlns:wps", ns::WPS)
        .child(p)
}

#[cfg(test)]
mod tests {
    use crate::plan::Block;
    use crate::spec::LayoutSpec;

    fn part(parts: &[(String, Vec<u8>)], name: &str) -> String {
        let (_, bytes) = parts.iter().find(|(n, _)| n == name).expect(name);
        String::from_utf8(bytes.clone()).unwrap()
    }

    /// A 横排表格 and its caption are a landscape section between two portrait ones: the portrait
    /// section ends in the paragraph before the caption, the landscape one after the table; its
    /// page is A4 turned with margins that keep the body area on the same paper (top = the
    /// portrait left margin, left = the portrait foot), and its footers turn the page number.
    #[test]
    fn a_wide_table_is_a_landscape_section_with_turned_page_numbers() {
        let layout = LayoutSpec::load("gbt9704").unwrap();
        let header = "序号\t地区\t2021年\t2022年\t2023年\t增减\t增幅\t排名\t备注";
        let row = "1\t城关镇\t103929.4\t112306.3\t120280.1\t+7973.7\t7.1%\t5\t含开发区";
        let text = format!(
            "关于经济运行情况的报告\n县人民政府：\n现将情况报告如下。\n表1  各乡镇完成情况\n单位：万元\n{header}\n{row}\n以上情况，特此报告。\n青山县统计局\n2024年3月15日\n"
        );
        let doc = crate::plaintext::parse(&text, "t.txt", &mut vec![]).unwrap();
        let plan = crate::plan::plan(&doc, &layout).unwrap();
        assert!(
            plan.blocks
                .iter()
                .any(|b| matches!(b, Block::Table(t) if t.landscape))
        );
        let parts = super::super::parts(&plan, &layout, &[]);
        let doc = part(&parts, "word/document.xml");
        let sections: Vec<usize> = doc.match_indices("<w:sectPr>").map(|(i, _)| i).collect();
        assert_eq!(sections.len(), 3, "{doc}");
        let at = |t: &str| doc.find(t).unwrap_or_else(|| panic!("{t}"));
        // The portrait section ends in the paragraph before the caption (its `w:pPr` holds the
        // `w:sectPr`, before its text); the landscape one after the table.
        assert!(sections[0] < at("现将情况报告如下") && at("现将情况报告如下") < at("表1"));
        assert!(!doc[sections[0]..at("现将情况报告如下")].contains("<w:p>"));
        assert!(at("含开发区") < sections[1] && sections[1] < at("以上情况"));
        let landscape = &doc[sections[1]..];
        let mm = |v: f32| super::twips(v * crate::spec::PT_PER_MM);
        let p = &layout.page;
        for want in [
            format!(
                r#"<w:pgSz w:w="{}" w:h="{}" w:orient="landscape" />"#,
                mm(p.height_mm),
                mm(p.width_mm)
            ),
            format!(
                r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}""#,
                mm(p.left_mm),
                mm(p.top_mm),
                mm(p.width_mm - p.left_mm - p.body_width_mm),
                mm(p.height_mm - p.top_mm - p.body_height_mm)
            ),
            format!(r#"w:type="default" r:id="{}""#, super::FOOTERS.0),
        ] {
            assert!(landscape.contains(&want), "{want} in {landscape}");
        }
        // The first and last sections are portrait, with the portrait footers.
        assert!(!doc[sections[2]..].contains("landscape"));
        assert!(doc[sections[2]..].contains(r#"r:id="rId4""#));
        for (name, odd) in [
            (super::FOOTER_PARTS.0, true),
            (super::FOOTER_PARTS.1, false),
        ] {
            let f = part(&parts, &format!("word/{name}"));
            assert!(f.contains(r#"vert="vert""#) && f.contains("PAGE"), "{f}");
            let jc = if odd { "right" } else { "left" };
            assert!(f.contains(&format!(r#"<w:jc w:val="{jc}" />"#)), "{f}");
        }
        let rels = part(&parts, "word/_rels/document.xml.rels");
        assert!(rels.contains(super::FOOTER_PARTS.0) && rels.contains(super::FOOTER_PARTS.1));
    }
}
