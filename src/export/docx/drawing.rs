//! Shapes anchored to the page, a paragraph or the margin: DrawingML (ECMA-376 Part 1, 20.4
//! wp:anchor; Word 2010 shapes, `wps:wsp`) for the 版头's red rule under the 发文字号's
//! paragraph and the 信函's 标志 and rules above the body area; a VML text box (ECMA-376 Part 4,
//! 14.1) for the 版记 at the foot of the body area, the one construction LibreOffice 7.4 both grows
//! with its text and wraps body text round at its grown height (README, "The DOCX's 版记").

use super::ooxml::{El, ns};

/// The namespaces of a VML shape (ECMA-376 Part 4, 14.1 `v`, 14.2 `o`, 14.3 `w10`), declared on
/// the document's root.
pub const VML_NS: [(&str, &str); 3] = [
    ("xmlns:v", "urn:schemas-microsoft-com:vml"),
    ("xmlns:o", "urn:schemas-microsoft-com:office:office"),
    ("xmlns:w10", "urn:schemas-microsoft-com:office:word"),
];

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
}

/// How body text flows round an anchored shape.
#[derive(Clone, Copy)]
pub enum Wrap {
    /// Text ignores it (rules, the 信函 标志: the flow is placed by spacing anyway).
    None,
    /// Text stays above and below it.
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

/// A text box without fill or outline, no insets, of fixed size (`noAutofit`), its content
/// anchored to its bottom (`bottom`) or top edge (the 信函's 标志).
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

/// A run holding a VML text box `w` points wide at the foot of the body area (`margin`, its
/// bottom on the bottom margin, its left on the left one), text wrapping above and below it
/// (`w10:wrap topAndBottom`, Part 4 14.3), no fill, no outline, no insets, its content at its
/// bottom (`v-text-anchor`). `mso-fit-shape-to-text` (the `v:textbox` style, Part 4 14.1.2.22;
/// Word's "resize shape to fit text") grows it upward from the margin as its text grows: `h`, the
/// height written, is only where layout starts. LibreOffice 7.4 imports such a box as a frame of
/// automatic height and wraps body text round its grown size; the DrawingML box with `spAutoFit`
/// grows too, but body text keeps wrapping round the height written and runs under it.
/// `id` numbers the shape (unique in the document, like `wp:docPr`'s).
pub fn fitted_box_at_foot(id: u32, name: &str, w: f32, h: f32, paragraphs: Vec<El>) -> El {
    let style = format!(
        "position:absolute;margin-left:0;margin-top:0;width:{w:.2}pt;height:{h:.2}pt;\
         z-index:{id};mso-position-horizontal:left;mso-position-horizontal-relative:margin;\
         mso-position-vertical:bottom;mso-position-vertical-relative:margin;\
         mso-wrap-style:square;v-text-anchor:bottom"
    );
    let mut content = El::new("w:txbxContent");
    for p in paragraphs {
        content.push(p);
    }
    // The text-box shape type (Part 4 14.1.2.20; 202 is the text box), which `type` refers to.
    let shapetype = El::new("v:shapetype")
        .attr("id", "_x0000_t202")
        .attr("coordsize", "21600,21600")
        .attr("o:spt", 202)
        .attr("path", "m,l,21600r21600,l21600,xe")
        .child(El::new("v:stroke").attr("joinstyle", "miter"))
        .child(
            El::new("v:path")
                .attr("gradientshapeok", "t")
                .attr("o:connecttype", "rect"),
        );
    let shape = El::new("v:shape")
        .attr("id", name)
        .attr("o:spid", format!("_x0000_s{}", 1024 + id))
        .attr("type", "#_x0000_t202")
        .attr("style", style)
        .attr("filled", "f")
        .attr("stroked", "f")
        .child(
            El::new("v:textbox")
                .attr("style", "mso-fit-shape-to-text:t")
                .attr("inset", "0,0,0,0")
                .child(content),
        )
        .child(El::new("w10:wrap").attr("type", "topAndBottom"));
    El::new("w:r").child(El::new("w:pict").child(shapetype).child(shape))
}
