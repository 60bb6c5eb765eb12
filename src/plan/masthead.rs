//! The 版头 (7.2) planned: which grid line each field takes, the 发文机关标志's size and place,
//! and where the red rules lie. Both writers place these numbers; neither computes them.

use super::metrics::{EM_DESCENT, baseline_offset, cells};
use crate::model::{Element, Masthead};
use crate::spec::{Align, LayoutSpec, PT_PER_MM};

/// The 版头, every position decided.
#[derive(Debug, Clone, PartialEq)]
pub struct MastheadPlan {
    /// 份号, 密级和保密期限, 紧急程度 (7.2.1–7.2.3), flush left, one grid line each.
    pub fields: Vec<MastheadField>,
    /// The red 发文机关标志 (7.2.5).
    pub issuer_mark: Option<IssuerMark>,
    /// The 发文字号 (7.2.4), with the 签发人 (7.2.6) when there is one.
    pub doc_number: Option<DocNumber>,
    /// The red rule(s) (7.2.7; 信函 10.1: double rules, a second pair near the foot of page 1).
    pub rules: Vec<MastheadRule>,
    /// The grid line (0-based) the title starts on (7.3.1: two blank lines under the rule).
    pub title_line: usize,
    /// 信函 (10.1): the 标志 lies above the body area.
    pub letter: bool,
}

/// One of 份号, 密级, 紧急程度.
#[derive(Debug, Clone, PartialEq)]
pub struct MastheadField {
    /// Which.
    pub role: Element,
    /// Its text.
    pub text: String,
    /// Grid line, 0-based.
    pub line: usize,
}

/// The 发文机关标志: organ names (one per line when joint) with the suffix (`文件`).
#[derive(Debug, Clone, PartialEq)]
pub struct IssuerMark {
    /// The issuing organs.
    pub issuers: Vec<String>,
    /// What follows the names: `文件`, or nothing.
    pub suffix: String,
    /// Size, points: the layout's, shrunk so the widest line fits the body width.
    pub size: f32,
    /// Top edge of the first line, points from the paper's top edge (7.2.5).
    pub top: f32,
    /// Distance between the tops of stacked names, points.
    pub step: f32,
    /// Bottom edge of the last line, points from the paper's top edge.
    pub bottom: f32,
}

/// The 发文字号 line.
#[derive(Debug, Clone, PartialEq)]
pub struct DocNumber {
    /// `青政发〔2023〕12号`.
    pub text: String,
    /// Grid line, 0-based.
    pub line: usize,
    /// Centred (7.2.4), flush left one character in (with a 签发人), or flush right (信函).
    pub align: Align,
    /// Indent from the body's left edge, points (one character with a 签发人).
    pub left: f32,
    /// `签发人：` and the names (楷体), flush right one character in (7.2.6).
    pub signer: Option<(String, String)>,
    /// Indent of the 签发人 from the body's right edge, points.
    pub right: f32,
}

/// A horizontal rule of the 版头.
#[derive(Debug, Clone, PartialEq)]
pub struct MastheadRule {
    /// Left end, points from the paper's left edge.
    pub x: f32,
    /// Centre line, points from the paper's top edge.
    pub y: f32,
    /// Length, points.
    pub width: f32,
    /// Thickness, points.
    pub thickness: f32,
    /// RGB hex.
    pub colour: String,
}

/// Size of the 发文机关标志: the layout's, shrunk so the widest line fits the body width, in
/// whole half-points (what the DOCX can say).
pub fn mark_size(mh: &Masthead, layout: &LayoutSpec) -> f32 {
    let spec = layout.element(Element::Masthead);
    let widest = mh.issuers.iter().map(|n| cells(n)).fold(0.0, f32::max);
    let suffix = cells(&mh.suffix);
    let total = if mh.issuers.len() > 1 {
        widest + if suffix > 0.0 { 0.5 + suffix } else { 0.0 }
    } else {
        widest + suffix
    };
    let fit = layout.body_width() / total.max(1.0);
    (spec.size_pt.min(fit) * 2.0).floor() / 2.0
}

/// Plan the 版头.
pub fn masthead(mh: &Masthead, layout: &LayoutSpec) -> MastheadPlan {
    if layout.masthead.letter {
        return letterhead(mh, layout);
    }
    let m = &layout.masthead;
    let pitch = layout.grid.line_pitch_pt;
    let fields = fields(mh, 0);
    let fields_end = fields.last().map_or(0, |f| f.line + 1);
    let size = mark_size(mh, layout);
    let top = m.top_mm * PT_PER_MM;
    let step = size * m.line_spacing;
    let mark = (!mh.issuers.is_empty()).then(|| IssuerMark {
        issuers: mh.issuers.clone(),
        suffix: mh.suffix.clone(),
        size,
        top,
        step,
        bottom: top + (mh.issuers.len() - 1) as f32 * step + size,
    });
    let bottom = mark.as_ref().map_or(top, |k| k.bottom) - layout.body_top();
    // 发文字号 two blank lines under the 标志 (7.2.4), on the grid.
    let first_free = ((bottom / pitch).ceil().max(0.0) as usize).max(fields_end);
    let one = layout.cell();
    let number = mh.doc_number.as_ref().map(|text| DocNumber {
        text: text.clone(),
        line: first_free + m.lines_before_number as usize,
        align: if mh.signers.is_some() {
            Align::Left
        } else {
            Align::Center
        },
        left: if mh.signers.is_some() { one } else { 0.0 },
        signer: mh
            .signers
            .as_ref()
            .map(|s| ("签发人：".to_string(), s.clone())),
        right: one,
    });
    // The red rule `rule_gap_mm` under the 发文字号's lower edge (7.2.7), or under the 标志.
    let rule_y = match &number {
        Some(n) => {
            let size = layout.element(Element::DocNumber).size_pt;
            layout.body_top()
                + n.line as f32 * pitch
                + baseline_offset(pitch, size)
                + EM_DESCENT * size
        }
        None => layout.body_top() + bottom,
    } + m.rule_gap_mm * PT_PER_MM;
    let width = m
        .rule_width_mm
        .map_or(layout.body_width(), |w| w * PT_PER_MM);
    let x = layout.body_left() + (layout.body_width() - width) / 2.0;
    let rule = |y: f32, t: f32| MastheadRule {
        x,
        y,
        width,
        thickness: t * PT_PER_MM,
        colour: m.rule_colour.clone(),
    };
    let mut rules = vec![rule(rule_y, m.rule_mm)];
    if let Some(thin) = m.second_rule_mm {
        rules.push(rule(rule_y + (m.rule_mm + thin) * PT_PER_MM, thin));
    }
    // The title two blank lines under the rule (7.3.1).
    let mut rule_line = ((rule_y - layout.body_top()) / pitch).floor().max(0.0) as usize;
    if !m.rule {
        // A 命令(令) (10.2): no rule; the body two blank lines under the 令号 (or the 标志).
        rules.clear();
        rule_line = number
            .as_ref()
            .map_or(first_free.saturating_sub(1), |n| n.line);
    }
    MastheadPlan {
        fields,
        issuer_mark: mark,
        doc_number: number,
        rules,
        title_line: rule_line + 1 + m.lines_after_rule as usize,
        letter: false,
    }
}

/// 份号, 密级, 紧急程度 from grid line `from`.
fn fields(mh: &Masthead, from: usize) -> Vec<MastheadField> {
    [
        (&mh.copy_no, Element::CopyNo),
        (&mh.secrecy, Element::Secrecy),
        (&mh.urgency, Element::Urgency),
    ]
    .into_iter()
    .filter_map(|(t, role)| t.clone().map(|text| (role, text)))
    .enumerate()
    .map(|(k, (role, text))| MastheadField {
        role,
        text,
        line: from + k,
    })
    .collect()
}

/// The grid line (0-based) of the first element under a 信函's double rule: its text top at
/// least 7/8 of a 3号 character's height under the rule (10.1).
pub fn letter_first_line(layout: &LayoutSpec, mark_size: f32) -> usize {
    let m = &layout.masthead;
    let pitch = layout.grid.line_pitch_pt;
    let rules = m.rule_mm + m.second_rule_mm.map_or(0.0, |t| t + m.rule_mm.min(t));
    let rule_bottom = m.top_mm * PT_PER_MM + mark_size + (m.rule_gap_mm + rules) * PT_PER_MM;
    let size = layout.element(Element::DocNumber).size_pt;
    let need = rule_bottom + 7.0 / 8.0 * size; // text top
    let offset = baseline_offset(pitch, size) - super::metrics::EM_ASCENT * size;
    (((need - offset - layout.body_top()) / pitch)
        .ceil()
        .max(0.0)) as usize
}

/// The 信函 head (10.1): the 标志 `top_mm` from the paper's top (the first issuer's), a red
/// double rule (thick over thin) `rule_gap_mm` under it, 份号/密级/紧急程度 flush left and the
/// 发文字号 flush right under the rule, the title two lines under them; and a second double rule
/// (thin over thick) `bottom_rule_mm` above the paper's bottom edge of page 1.
fn letterhead(mh: &Masthead, layout: &LayoutSpec) -> MastheadPlan {
    let m = &layout.masthead;
    let size = mark_size(mh, layout);
    let top = m.top_mm * PT_PER_MM;
    let mark = mh.issuers.first().map(|first| IssuerMark {
        issuers: vec![first.clone()],
        suffix: mh.suffix.clone(),
        size,
        top,
        step: size,
        bottom: top + size,
    });
    let width = m
        .rule_width_mm
        .map_or(layout.body_width(), |w| w * PT_PER_MM);
    let x = (layout.page_width() - width) / 2.0;
    let thin = m.second_rule_mm.unwrap_or(0.0);
    let gap = m.rule_mm.min(thin.max(0.0));
    let rule = |y: f32, t: f32| MastheadRule {
        x,
        y,
        width,
        thickness: t * PT_PER_MM,
        colour: m.rule_colour.clone(),
    };
    let y = top + size + m.rule_gap_mm * PT_PER_MM + m.rule_mm * PT_PER_MM / 2.0;
    let mut rules = vec![rule(y, m.rule_mm)];
    if thin > 0.0 {
        rules.push(rule(
            y + (m.rule_mm / 2.0 + gap + thin / 2.0) * PT_PER_MM,
            thin,
        ));
    }
    if let Some(bottom) = m.bottom_rule_mm {
        let yb = layout.page_height() - bottom * PT_PER_MM - m.rule_mm * PT_PER_MM / 2.0;
        if thin > 0.0 {
            rules.push(rule(
                yb - (m.rule_mm / 2.0 + gap + thin / 2.0) * PT_PER_MM,
                thin,
            ));
        }
        rules.push(rule(yb, m.rule_mm));
    }
    let first = letter_first_line(layout, size);
    let fields = fields(mh, first);
    let mut line = fields.last().map_or(first, |f| f.line + 1);
    let number = mh.doc_number.as_ref().map(|text| DocNumber {
        text: text.clone(),
        line: first,
        align: Align::Right,
        left: 0.0,
        signer: None,
        right: 0.0,
    });
    if number.is_some() {
        line = line.max(first + 1);
    }
    MastheadPlan {
        fields,
        issuer_mark: mark,
        doc_number: number,
        rules,
        title_line: line + m.lines_after_rule as usize,
        letter: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 10.2: a 令's 标志 20 mm under the body area's top, the 令号 two blank lines under it, no
    /// rule, the body two blank lines under the 令号.
    #[test]
    fn a_ling_has_its_mark_20_mm_down_its_number_and_no_rule() {
        let layout = LayoutSpec::load("ling").unwrap();
        let mh = Masthead {
            issuers: vec!["青山县人民政府".into()],
            suffix: "令".into(),
            doc_number: Some("第18号".into()),
            ..Masthead::default()
        };
        let plan = masthead(&mh, &layout);
        let mark = plan.issuer_mark.as_ref().unwrap();
        assert!((mark.top - layout.body_top() - 20.0 * PT_PER_MM).abs() < 0.01);
        assert_eq!(mark.size, 36.0);
        let number = plan.doc_number.as_ref().unwrap();
        let pitch = layout.grid.line_pitch_pt;
        let first_free = ((mark.bottom - layout.body_top()) / pitch).ceil() as usize;
        assert_eq!(number.line, first_free + 2);
        assert_eq!(number.align, Align::Center);
        assert!(plan.rules.is_empty());
        assert_eq!(plan.title_line, number.line + 3);
        // The 文件 format keeps its rule.
        let gb = LayoutSpec::load("gbt9704").unwrap();
        assert_eq!(masthead(&mh, &gb).rules.len(), 1);
    }
}
