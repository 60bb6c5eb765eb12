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
        assert_ne!(block.element(), Element::Title, "{line}");
        assert!(
            !matches!(block.element(), Element::Heading1 | Element::Byline),
            "{line}: {:?}",
            block.element()
        );
    }
    assert!(
        warnings.iter().any(|w| w.message.contains("'署名'")),
        "{warnings:?}"
    );
}

/// A value's control character is removed once, with one warning naming the field, whether the
/// data comes as a file ([`text_source`], as `render` reads it) or as a batch's row
/// ([`data_document`]).
#[test]
fn a_control_character_in_a_value_is_removed_once_either_way() {
    let data = han_with_signature(r#""张明\u0007""#);
    let template = template::Template::load(&template::find("han")).unwrap();
    let one = |warnings: &[Warning]| {
        let bell: Vec<&Warning> = warnings
            .iter()
            .filter(|w| w.message.contains("U+0007"))
            .collect();
        assert_eq!(bell.len(), 1, "{warnings:?}");
        assert!(bell[0].message.contains("field '署名'"), "{bell:?}");
    };
    let row = data_document(&data, &template).unwrap();
    one(&row.warnings);
    assert!(row.value.blocks.iter().any(|b| b.text() == "张明"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bell.yaml");
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/han.yaml"))
        .unwrap()
        .replace("署名: 青山县人民政府办公室", r#"署名: "张明\u0007""#);
    std::fs::write(&path, yaml).unwrap();
    let opts = Options {
        template: Some("han".into()),
        ..Options::default()
    };
    let source = source_text(&path, &opts).unwrap();
    one(&source.warnings);
    assert_eq!(source.value.kind, "data");
    assert!(
        source.value.text.lines().any(|l| l == "张明"),
        "{}",
        source.value.text
    );
    let doc = document(&source.value.text, &source.value.label).unwrap();
    assert!(doc.warnings.iter().all(|w| !w.message.contains("U+0007")));
}
