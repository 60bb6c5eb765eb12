//! DrawingML shapes anchored to the page, a paragraph or the margin (ECMA-376 Part 1, 20.4
//! wp:anchor; Word 2010 shapes, `wps:wsp`): the 版头's red rule under the 发文字号's paragraph,
//! the 信函's 标志 and rules above the body area, and the 版记's text box at the foot of the body
//! area.

use super::ooxml::{El, ns};

/// EMU per point (20.1.2.1: 12700 EMU = 1 pt).
pub fn emu(pt: f32) -> i64 {
    (pt * 12700.0).round() as i64
}

/// Where an anchored shape sits.
pub enum Pos {
    /// `posOffset` (points) relative to the page's top-left corner.
    Page {
        /// From the page's left edge, pt.
        x: f32,
        /// From the page's top edge, pt.
        y: f32,
    },
    /// `x` from the page's left edge, `y` under the top of the paragraph holding the anchor (its
    /// spacing before included, as LibreOffice and Word measure it): the shape moves with that
    /// paragraph when lines are typed or deleted above it.
    Para {
        /// From the page's left edge, pt.
        x: f32,
        /// From the top of the anchor's paragraph, pt.
        y: f32,
    },
    /// At the left edge of the margin (the body area), its bottom on the bottom margin.
    MarginBottom,
}

/// How body text flows round an anchored shape.
#[derive(Clone, Copy)]
pub enum Wrap {
    /// Text ignores it (rules, the 信函 标志: the flow is placed by spacing anyway).
    None,
    /// Text stays above and below it (the 版记: body text never overlaps it).
    TopAndBottom,
}

/// A run holding one anchored shape of `w` × `h` points. `id` must be unique in the document
/// (`wp:docPr`).
pub fn anchored(id: u32, name: &str, pos: Pos, w: f32, h: f32, wrap: Wrap, shape: El) -> El {
    let (ph, pv) = match pos {
        Pos::Page { x, y } => (
            El::new("wp:positionH")
                .attr("relativeFrom", "page")
                .child(El::new("wp:posOffset").text(&emu(x).to_string())),
            El::new("wp:positionV")
                .attr("relativeFrom", "page")
                .child(El::new("wp:posOffset").text(&emu(y).to_string())),
        ),
        Pos::Para { x, y } => (
            El::new("wp:positionH")
                .attr("relativeFrom", "page")
                .child(El::new("wp:posOffset").text(&emu(x).to_string())),
            El::new("wp:positionV")
                .attr("relativeFrom", "paragraph")
                .child(El::new("wp:posOffset").text(&emu(y).to_string())),
        ),
        Pos::MarginBottom => (
            El::new("wp:positionH")
                .attr("relativeFrom", "margin")
                .child(El::new("wp:posOffset").text("0")),
            El::new("wp:positionV")
                .attr("relativeFrom", "margin")
                .child(El::new("wp:align").text("bottom")),
        ),
    };
    let mut anchor = El::new("wp:anchor")
        .attr("distT", 0)
        .attr("distB", 0)
        .attr("distL", 0)
        .attr("distR", 0)
        .attr("simplePos", 0)
        .attr("relativeHeight", id + 1)
        .attr("behindDoc", 0)
        .attr("locked", 0)
        .attr("layoutInCell", 1)
        .attr("allowOverlap", i32::from(matches!(wrap, Wrap::None)))
        .child(El::new("wp:simplePos").attr("x", 0).attr("y", 0))
        .child(ph)
        .child(pv)
        .child(El::new("wp:extent").attr("cx", emu(w)).attr("cy", emu(h)))
        .child(
            El::new("wp:effectExtent")
                .attr("l", 0)
                .attr("t", 0)
                .attr("r", 0)
                .attr("b", 0),
        );
    anchor.push(match wrap {
        Wrap::None => El::new("wp:wrapNone"),
        Wrap::TopAndBottom => El::new("wp:wrapTopAndBottom"),
    });
    anchor.push(El::new("wp:docPr").attr("id", id).attr("name", name));
    anchor.push(El::new("wp:cNvGraphicFramePr"));
    anchor.push(
        El::new("a:graphic")
            .attr("xmlns:a", ns::A)
            .child(El::new("a:graphicData").attr("uri", ns::WPS).child(shape)),
    );
    El::new("w:r").child(El::new("w:drawing").child(anchor))
}

/// Shape properties: a rectangle of `w` × `h` points, filled with `fill` (RGB hex) or not, no
/// outline.
fn sp_pr(w: f32, h: f32, fill: Option<&str>) -> El {
    let fill = match fill {
        Some(c) => El::new("a:solidFill").child(El::new("a:srgbClr").attr("val", c)),
        None => El::new("a:noFill"),
    };
    El::new("wps:spPr")
        .child(
            El::new("a:xfrm")
                .child(El::new("a:off").attr("x", 0).attr("y", 0))
                .child(El::new("a:ext").attr("cx", emu(w)).attr("cy", emu(h))),
        )
        .child(
            El::new("a:prstGeom")
                .attr("prst", "rect")
                .child(El::new("a:avLst")),
        )
        .child(fill)
        .child(El::new("a:ln").child(El::new("a:noFill")))
}

/// A filled rectangle: a rule `h` points thick (7.2.7 red rule; 10.1 double rules).
pub fn rule(w: f32, h: f32, colour: &str) -> El {
    El::new("wps:wsp")
        .child(El::new("wps:cNvSpPr"))
        .child(sp_pr(w, h, Some(colour)))
        .child(El::new("wps:bodyPr"))
}

/// A text box without fill or outline, no insets, its content anchored to its bottom (`bottom`)
/// or top edge. `noAutofit`: LibreOffice sizes an autofit box 2 mm above the margin (FINDINGS
/// Q1), so the height is computed instead.
pub fn text_box(w: f32, h: f32, paragraphs: Vec<El>, bottom: bool) -> El {
    boxed(w, h, paragraphs, if bottom { "b" } else { "t" }, None)
}

/// A text box as [`text_box`] whose lines are turned a quarter clockwise (`vert`: they run down
/// the box), centred across it: a landscape page's page number, which reads upright on the
/// portrait paper ([`super::landscape`]).
pub fn turned_text_box(w: f32, h: f32, paragraphs: Vec<El>) -> El {
    boxed(w, h, paragraphs, "ctr", Some("vert"))
}

fn boxed(w: f32, h: f32, paragraphs: Vec<El>, anchor: &str, vert: Option<&str>) -> El {
    let mut content = El::new("w:txbxContent");
    for p in paragraphs {
        content.push(p);
    }
    let mut body = El::new("wps:bodyPr");
    if let Some(v) = vert {
        body = body.attr("vert", v);
    }
    let body = body
        .attr("lIns", 0)
        .attr("tIns", 0)
        .attr("rIns", 0)
        .attr("bIns", 0)
        .attr("anchor", anchor)
        .child(El::new("a:noAutofit"));
    El::new("wps:wsp")
        .child(El::new("wps:cNvSpPr").attr("txBox", 1))
        .child(sp_pr(w, h, None))
        .child(El::new("wps:txbx").child(content))
        .child(body)
}
