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
