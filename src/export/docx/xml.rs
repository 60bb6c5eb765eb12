//! A minimal XML tree for editing docx-rs output: elements keep their attributes as written and
//! text keeps its escaping, so a part that is parsed and written back is byte-identical.
//!
//! It reads only what docx-rs writes (elements, attributes, text, one XML declaration); it is not
//! a general XML parser.

/// A child of an element.
#[derive(Debug, Clone, PartialEq)]
pub enum Child {
    /// An element.
    Elem(Elem),
    /// Text, still escaped.
    Text(String),
}

/// An element: qualified name, attributes (name, escaped value) and children.
#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    /// Qualified name, e.g. `w:pPr`.
    pub name: String,
    /// Attributes in document order.
    pub attrs: Vec<(String, String)>,
    /// Children in document order.
    pub children: Vec<Child>,
}

impl Elem {
    /// A new empty element with attributes.
    pub fn new(name: &str, attrs: &[(&str, &str)]) -> Elem {
        Elem {
            name: name.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            children: vec![],
        }
    }

    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Set (or add) an attribute.
    pub fn set_attr(&mut self, name: &str, value: &str) {
        match self.attrs.iter_mut().find(|(k, _)| k == name) {
            Some(a) => a.1 = value.into(),
            None => self.attrs.push((name.into(), value.into())),
        }
    }

    /// Child elements.
    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.children.iter().filter_map(|c| {
            if let Child::Elem(e) = c {
                Some(e)
            } else {
                None
            }
        })
    }

    /// Child elements, mutable.
    pub fn elems_mut(&mut self) -> impl Iterator<Item = &mut Elem> {
        self.children.iter_mut().filter_map(|c| {
            if let Child::Elem(e) = c {
                Some(e)
            } else {
                None
            }
        })
    }

    /// The first child element of that name.
    pub fn child_mut(&mut self, name: &str) -> Option<&mut Elem> {
        self.elems_mut().find(|e| e.name == name)
    }

    /// The first child element of that name, created (appended) if missing.
    pub fn ensure(&mut self, name: &str) -> &mut Elem {
        if self.child_mut(name).is_none() {
            self.children.push(Child::Elem(Elem::new(name, &[])));
        }
        self.child_mut(name).expect("just ensured")
    }

    /// Replace the child of that name (or add it).
    pub fn put(&mut self, child: Elem) {
        self.children
            .retain(|c| !matches!(c, Child::Elem(e) if e.name == child.name));
        self.children.push(Child::Elem(child));
    }

    /// Remove every child element of that name.
    pub fn remove(&mut self, name: &str) {
        self.children
            .retain(|c| !matches!(c, Child::Elem(e) if e.name == name));
    }

    /// Visit this element and every descendant, with the name of its parent.
    pub fn walk_mut(&mut self, parent: &str, f: &mut dyn FnMut(&str, &mut Elem)) {
        f(parent, self);
        let name = self.name.clone();
        for c in self.elems_mut() {
            c.walk_mut(&name, f);
        }
    }

    /// Order the children by the schema's sequence: names in `order` by their position there,
    /// others after them in their original order (a stable sort).
    pub fn order_children(&mut self, order: &[&str]) {
        let rank = |c: &Child| match c {
            Child::Elem(e) => order
                .iter()
                .position(|n| *n == e.name)
                .unwrap_or(order.len()),
            Child::Text(_) => order.len(),
        };
        self.children.sort_by_key(rank);
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push_str(&format!(" {k}=\"{v}\""));
        }
        if self.children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Child::Elem(e) => e.write(out),
                Child::Text(t) => out.push_str(t),
            }
        }
        out.push_str(&format!("</{}>", self.name));
    }
}

/// A parsed part: the XML declaration (if any) and the root element.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Everything before the root element.
    pub prolog: String,
    /// The root element.
    pub root: Elem,
}

impl Part {
    /// Parse a part written by docx-rs.
    pub fn parse(bytes: &[u8]) -> Option<Part> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut pos = 0;
        let mut prolog = String::new();
        while text[pos..].starts_with("<?") {
            let end = text[pos..].find("?>")? + pos + 2;
            prolog.push_str(&text[pos..end]);
            pos = end;
        }
        let mut stack: Vec<Elem> = vec![Elem::new("#root", &[])];
        while pos < text.len() {
            if text.as_bytes()[pos] == b'<' {
                let end = text[pos..].find('>')? + pos;
                let tag = &text[pos + 1..end];
                pos = end + 1;
                if let Some(name) = tag.strip_prefix('/') {
                    let done = stack.pop()?;
                    if done.name != name.trim() {
                        return None;
                    }
                    stack.last_mut()?.children.push(Child::Elem(done));
                } else {
                    let self_closing = tag.ends_with('/');
                    let tag = tag.trim_end_matches('/').trim();
                    let elem = parse_tag(tag)?;
                    if self_closing {
                        stack.last_mut()?.children.push(Child::Elem(elem));
                    } else {
                        stack.push(elem);
                    }
                }
            } else {
                let end = text[pos..].find('<').map_or(text.len(), |p| p + pos);
                stack
                    .last_mut()?
                    .children
                    .push(Child::Text(text[pos..end].to_string()));
                pos = end;
            }
        }
        let mut top = stack.pop()?;
        if !stack.is_empty() {
            return None;
        }
        top.children.retain(|c| matches!(c, Child::Elem(_)));
        match top.children.pop()? {
            Child::Elem(root) => Some(Part { prolog, root }),
            Child::Text(_) => None,
        }
    }

    /// Write the part back as bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.prolog.clone();
        self.root.write(&mut out);
        out.into_bytes()
    }
}

fn parse_tag(tag: &str) -> Option<Elem> {
    let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    let mut elem = Elem::new(&tag[..name_end], &[]);
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        let close = after[1..].find(quote)? + 1;
        elem.attrs.push((key, after[1..close].to_string()));
        rest = after[close + 1..].trim_start();
    }
    Some(elem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_orders() {
        let src = r#"<?xml version="1.0"?><w:p a="1"><w:pPr><w:rPr /><w:pStyle w:val="X" /></w:pPr><w:r><w:t xml:space="preserve">a &amp; b</w:t></w:r></w:p>"#;
        let mut part = Part::parse(src.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(part.to_bytes()).unwrap(), src);
        let ppr = part.root.child_mut("w:pPr").unwrap();
        ppr.order_children(&["w:pStyle", "w:rPr"]);
        let out = String::from_utf8(part.to_bytes()).unwrap();
        assert!(
            out.contains(r#"<w:pPr><w:pStyle w:val="X" /><w:rPr /></w:pPr>"#),
            "{out}"
        );
    }

    #[test]
    fn rejects_unbalanced_input() {
        assert!(Part::parse(b"<a><b></a>").is_none());
    }
}
