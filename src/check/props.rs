//! Paragraph and run properties as `check` resolves them ([`PPr`], [`RPr`]): each value with
//! where it was set ([`Origin`]: the defaults, a style, a list level, the paragraph itself), so
//! a fault set in a style is one finding. Read from a `w:pPr`/`w:rPr` and laid over one another
//! along Word's chain by [`super::docx`].

use roxmltree::Node;

use crate::read::docx::{child, is_w, w_attr};

/// Where a resolved value was set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `w:docDefaults`.
    Defaults,
    /// A style, by its display name.
    Style(String),
    /// A list level of `numbering.xml` (its indents).
    Numbering,
    /// The paragraph's or run's own properties.
    Direct,
}

/// A value and where it came from.
pub type Set<T> = Option<(T, Origin)>;

/// An East Asian font: a name, or a theme slot (`minorEastAsia`).
#[derive(Debug, Clone, PartialEq)]
pub enum FontRef {
    /// A font name (`w:eastAsia`).
    Name(String),
    /// A theme slot (`w:eastAsiaTheme`: `minorEastAsia`, `majorEastAsia`).
    Theme(String),
}

/// Paragraph properties, as far as the rules need them.
#[derive(Debug, Clone, Default)]
pub struct PPr {
    /// Alignment (`w:jc/@w:val`: `left`, `center`, `both` …).
    pub jc: Set<String>,
    /// Left indent in twips (`w:ind/@w:left`).
    pub left: Set<i32>,
    /// Left indent in hundredths of a character (`w:ind/@w:leftChars`).
    pub left_chars: Set<i32>,
    /// Right indent in twips (`w:ind/@w:right`).
    pub right: Set<i32>,
    /// Right indent in hundredths of a character (`w:ind/@w:rightChars`).
    pub right_chars: Set<i32>,
    /// First-line indent in twips; negative for a hanging indent.
    pub first: Set<i32>,
    /// First-line indent in hundredths of a character; negative for hanging.
    pub first_chars: Set<i32>,
    /// Line spacing (`w:spacing/@w:line`): twips, or 240ths of a line when `auto`.
    pub line: Set<i32>,
    /// `w:spacing/@w:lineRule`: `auto`, `exact`, `atLeast`.
    pub line_rule: Set<String>,
    /// `w:snapToGrid`: whether the lines snap to the document grid.
    pub snap_to_grid: Set<bool>,
    /// `w:numPr`: (numId, ilvl).
    pub num: Option<(String, usize)>,
    /// Tab stops: (kind, position in twips).
    pub tabs: Vec<(String, i32)>,
    /// `w:framePr/@w:xAlign`.
    pub frame_x: Option<String>,
    /// The East Asian typography switches that keep punctuation in the line, on unless
    /// switched off: `w:overflowPunct`, `w:kinsoku`, `w:autoSpaceDE`, `w:autoSpaceDN`
    /// ([`PUNCTUATION`]).
    pub typography: [Set<bool>; 4],
}

/// The `w:pPr` switches of [`PPr::typography`], in its order.
pub const PUNCTUATION: [&str; 4] = ["overflowPunct", "kinsoku", "autoSpaceDE", "autoSpaceDN"];

/// Run properties, as far as the rules need them.
#[derive(Debug, Clone, Default)]
pub struct RPr {
    /// The East Asian font (`w:rFonts/@w:eastAsia` or its theme slot).
    pub east_asia: Set<FontRef>,
    /// Size in half-points.
    pub size: Set<u32>,
    /// Extra character spacing in twips (`w:spacing`).
    pub spacing: Set<i32>,
    /// Horizontal scale in percent (`w:w`).
    pub scale: Set<u32>,
    /// Text colour, RGB hex (`w:color/@w:val`).
    pub colour: Set<String>,
}

fn over<T: Clone>(a: &mut Set<T>, b: &Set<T>) {
    if b.is_some() {
        *a = b.clone();
    }
}

impl PPr {
    pub(crate) fn apply(&mut self, o: &PPr) {
        over(&mut self.jc, &o.jc);
        over(&mut self.left, &o.left);
        over(&mut self.left_chars, &o.left_chars);
        over(&mut self.right, &o.right);
        over(&mut self.right_chars, &o.right_chars);
        over(&mut self.first, &o.first);
        over(&mut self.first_chars, &o.first_chars);
        over(&mut self.line, &o.line);
        over(&mut self.line_rule, &o.line_rule);
        over(&mut self.snap_to_grid, &o.snap_to_grid);
        if o.num.is_some() {
            self.num = o.num.clone();
        }
        // Tab stops add up along the chain (a `clear` removes one).
        for (kind, pos) in &o.tabs {
            self.tabs.retain(|(_, p)| p != pos);
            if kind != "clear" {
                self.tabs.push((kind.clone(), *pos));
            }
        }
        if o.frame_x.is_some() {
            self.frame_x = o.frame_x.clone();
        }
        for (a, b) in self.typography.iter_mut().zip(&o.typography) {
            over(a, b);
        }
    }

    /// Read a `w:pPr`.
    pub(crate) fn read(n: Option<Node>, from: &Origin) -> PPr {
        let mut p = PPr::default();
        let Some(n) = n else { return p };
        let num = |s: &str| s.parse::<f64>().ok().map(|v| v.round() as i32);
        let at = |v: Option<i32>| v.map(|v| (v, from.clone()));
        if let Some(jc) = child(&n, "jc").and_then(|j| w_attr(&j, "val")) {
            p.jc = Some((jc.to_string(), from.clone()));
        }
        if let Some(ind) = child(&n, "ind") {
            let a = |names: &[&str]| names.iter().find_map(|k| w_attr(&ind, k)).and_then(num);
            p.left = at(a(&["left", "start"]));
            p.left_chars = at(a(&["leftChars", "startChars"]));
            p.right = at(a(&["right", "end"]));
            p.right_chars = at(a(&["rightChars", "endChars"]));
            // A hanging indent wins over a first-line indent at the same level.
            p.first = at(a(&["hanging"]).map(|v| -v).or(a(&["firstLine"])));
            p.first_chars = at(a(&["hangingChars"]).map(|v| -v).or(a(&["firstLineChars"])));
        }
        if let Some(sp) = child(&n, "spacing") {
            p.line = at(w_attr(&sp, "line").and_then(num));
            p.line_rule = w_attr(&sp, "lineRule").map(|v| (v.to_string(), from.clone()));
        }
        if let Some(s) = child(&n, "snapToGrid") {
            p.snap_to_grid = Some((on(&s), from.clone()));
        }
        if let Some(np) = child(&n, "numPr") {
            let id = child(&np, "numId").and_then(|i| w_attr(&i, "val"));
            let lvl = child(&np, "ilvl")
                .and_then(|i| w_attr(&i, "val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if let Some(id) = id {
                p.num = Some((id.to_string(), lvl));
            }
        }
        if let Some(tabs) = child(&n, "tabs") {
            for t in tabs.children().filter(|c| is_w(c, "tab")) {
                if let (Some(k), Some(pos)) = (w_attr(&t, "val"), w_attr(&t, "pos").and_then(num)) {
                    p.tabs.push((k.to_string(), pos));
                }
            }
        }
        p.frame_x = child(&n, "framePr")
            .and_then(|f| w_attr(&f, "xAlign"))
            .map(str::to_string);
        for (set, name) in p.typography.iter_mut().zip(PUNCTUATION) {
            *set = child(&n, name).map(|s| (on(&s), from.clone()));
        }
        p
    }
}

/// A toggle element (`<w:snapToGrid/>`, `w:val="0"`/`false`/`off`).
pub(crate) fn on(n: &Node) -> bool {
    w_attr(n, "val").is_none_or(|v| !matches!(v, "0" | "false" | "off"))
}

impl RPr {
    pub(crate) fn apply(&mut self, o: &RPr) {
        over(&mut self.east_asia, &o.east_asia);
        over(&mut self.size, &o.size);
        over(&mut self.spacing, &o.spacing);
        over(&mut self.scale, &o.scale);
        over(&mut self.colour, &o.colour);
    }

    /// Read a `w:rPr`.
    pub(crate) fn read(n: Option<Node>, from: &Origin) -> RPr {
        let mut r = RPr::default();
        let Some(n) = n else { return r };
        let val = |name: &str| child(&n, name).and_then(|c| w_attr(&c, "val"));
        if let Some(f) = child(&n, "rFonts") {
            // A theme slot wins over a name at the same level, as in Word.
            let font = w_attr(&f, "eastAsiaTheme")
                .map(|t| FontRef::Theme(t.to_string()))
                .or_else(|| w_attr(&f, "eastAsia").map(|t| FontRef::Name(t.to_string())));
            r.east_asia = font.map(|f| (f, from.clone()));
        }
        r.size = val("sz")
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| (v.round() as u32, from.clone()));
        r.spacing = val("spacing")
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| (v.round() as i32, from.clone()));
        r.scale = val("w")
            .and_then(|v| v.trim_end_matches('%').parse::<f64>().ok())
            .map(|v| (v.round() as u32, from.clone()));
        r.colour = val("color").map(|v| (v.to_string(), from.clone()));
        r
    }
}
