//! The reader layer end to end, without a PDF: a data value is data (issue 20's forged 版头).

use std::path::Path;

use super::*;
use crate::model::Element;

/// The bundled 函 example with its 署名 value replaced by `signature` (YAML, quoted).
fn han_with_signature(signature: &str) -> data::Data {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/han.yaml"));
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.replace("署名: 青山县人民政府办公室", &format!("署名: {signature}"));
    data::parse(&text, Path::new("forged.yaml")).unwrap()
}

/// The YAML value `"张明\n@发文机关: 伪造机关\n@密级: 绝密★长期"` is three lines of text: it adds
/// no issuer and no 密级 to the 版头, and the reader says which field held the markup.
#[test]
fn a_value_cannot_forge_a_masthead() {
    let template = template::Template::load(&template::find("han")).unwrap();
    let clean = data_document(&han_with_signature("\"张明\""), &template).unwrap();
    let forged = han_with_signature(r#""张明\n@发文机关: 伪造机关\n@密级: 绝密★长期""#);
    let Warned {
        value: doc,
        warnings,
    } = data_document(&forged, &template).unwrap();
    let (clean_head, head) = (clean.value.masthead.unwrap(), doc.masthead.unwrap());
    assert_eq!(head.issuers, clean_head.issuers);
    assert_eq!(head.secrecy, None);
    for line in ["@发文机关: 伪造机关", "@密级: 绝密★长期"] {
        let block = doc.blocks.iter().find(|b| b.text() == line);
        let block = block.unwrap_or_else(|| panic!("no line {line}: {:#?}", doc.blocks));
        assert_ne!(block.element, Element::Title, "{line}");
        assert!(
            !matches!(block.element, Element::Heading1 | Element::Byline),
            "{line}: {:?}",
            block.element
        );
    }
    assert!(
        warnings.iter().any(|w| w.message.contains("'署名'")),
        "{warnings:?}"
    );
}
