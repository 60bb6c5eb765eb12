//! The keep rules on laid-out pages, through the library (no external tools): whatever the
//! length of the body, 署名 and 日期 never open a page without body text (7.3.5), a heading
//! never ends a page, and counting grid cells (the DOCX's basis) agrees with the fonts on where
//! the 版记 goes.

use gongwen::fonts::{FontBook, FontOptions};
use gongwen::page::{Item, Paged};
use gongwen::spec::LayoutSpec;

use crate::harness::ROOT;

const LINE: &str =
    "各乡镇、各部门要结合本地区本行业实际，进一步细化检查范围和检查内容，做到全覆盖。";

fn fonts(layout: &LayoutSpec) -> FontBook {
    FontBook::load(
        layout,
        &FontOptions {
            dirs: vec![],
            system: false,
        },
    )
    .unwrap()
}

fn lay(text: &str, layout: &LayoutSpec, fonts: &FontBook) -> (gongwen::plan::Plan, Paged) {
    let mut w = Vec::new();
    let doc = gongwen::plaintext::parse(text, "t.txt", &mut w).unwrap();
    let plan = gongwen::plan::plan(&doc, layout).unwrap();
    let paged = gongwen::layout::layout(&plan, layout, fonts, false, &mut w).unwrap();
    (plan, paged)
}

/// (page, baseline, text) of every text line in the body area, in order.
fn lines(paged: &Paged, layout: &LayoutSpec) -> Vec<(usize, f32, String)> {
    let bottom = layout.body_top() + layout.body_height();
    let mut out: Vec<(usize, f32, String)> = Vec::new();
    for (i, page) in paged.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Text(r) = item {
                if r.y > bottom {
                    continue; // the page number
                }
                match out
                    .iter_mut()
                    .find(|(p, y, _)| *p == i && (*y - r.y).abs() < 0.1)
                {
                    Some(l) => l.2.push_str(&r.text),
                    None => out.push((i, r.y, r.text.clone())),
                }
            }
        }
    }
    out
}

#[test]
fn signature_and_date_always_have_two_body_lines_with_them() {
    let layout = LayoutSpec::load("gbt9704").unwrap();
    let fonts = fonts(&layout);
    let mut moved = 0;
    for n in 10..60 {
        // A three-line last paragraph after n one-line-and-a-bit paragraphs.
        let body = vec!["这是一行正文。"; n].join("\n");
        let text = format!(
            "关于开展检查的通知\n各单位：\n{body}\n{LINE}{LINE}\n青山县人民政府\n2023年7月1日\n"
        );
        let (_, paged) = lay(&text, &layout, &fonts);
        let ls = lines(&paged, &layout);
        let sig = ls.iter().position(|l| l.2 == "青山县人民政府").unwrap();
        let page = ls[sig].0;
        let before: Vec<_> = ls[..sig].iter().filter(|l| l.0 == page).collect();
        assert!(
            before.len() >= 2,
            "n = {n}: 署名 on page {} with {} body lines before it",
            page + 1,
            before.len()
        );
        if before.len() < 3 && ls[sig - 3].0 != page {
            moved += 1;
        }
        // The date is on the 署名's page.
        let date = ls.iter().find(|l| l.2 == "2023年7月1日").unwrap();
        assert_eq!(date.0, page, "n = {n}");
    }
    assert!(
        moved > 0,
        "no length made the 署名 start a page: the test proves nothing"
    );
}

#[test]
fn a_heading_never_ends_a_page() {
    let layout = LayoutSpec::load("gbt9704").unwrap();
    let fonts = fonts(&layout);
    let mut pushed = 0;
    for n in 14..40 {
        let body = vec!["这是一行正文。"; n].join("\n");
        let text = format!("关于开展检查的通知\n各单位：\n{body}\n二、工作要求\n{LINE}\n{LINE}\n");
        let (_, paged) = lay(&text, &layout, &fonts);
        let ls = lines(&paged, &layout);
        let h = ls.iter().position(|l| l.2 == "二、工作要求").unwrap();
        assert_eq!(
            ls[h].0,
            ls[h + 1].0,
            "n = {n}: the heading ends page {}",
            ls[h].0 + 1
        );
        let top = layout.body_top();
        if ls[h].1 < top + layout.grid.line_pitch_pt {
            pushed += 1;
        }
    }
    assert!(pushed > 0, "no length put the heading at a page top");
}

#[test]
fn counting_cells_puts_the_colophon_where_the_fonts_do() {
    let layout = LayoutSpec::load("gbt9704").unwrap();
    let fonts = fonts(&layout);
    let mut own = 0;
    for n in 0..50 {
        let body = vec![LINE; n].join("\n");
        let text = format!(
            "@印发机关: 青山县人民政府办公室\n@印发日期: 2023年7月1日\n@抄送: 县委办公室。\n关于开展检查的通知\n各单位：\n{body}\n青山县人民政府\n2023年7月1日\n"
        );
        let (plan, paged) = lay(&text, &layout, &fonts);
        let c = plan.colophon.as_ref().unwrap();
        // The fonts' pagination: the 版记's page holds no body text exactly when the cell count
        // gave it a page of its own.
        let last = paged.pages.last().unwrap();
        let body_on_last = last.items.iter().any(|i| {
            matches!(i, Item::Text(r) if r.size == 16.0 && r.y < layout.body_top() + layout.body_height())
        });
        assert_eq!(c.own_page, !body_on_last, "n = {n}");
        assert_eq!(
            gongwen::plan::count(&plan, &layout).unwrap().pages,
            paged.pages.len(),
            "n = {n}"
        );
        assert_eq!(paged.pages.len() % 2, 0, "n = {n}: the 版记 page is even");
        own += usize::from(c.own_page);
    }
    assert!(own > 0 && own < 50);
}

/// Issue 21: numbered items read as a list (body text with their number), not as headings each
/// kept with the next; a heading over them is still kept with its first line.
#[test]
fn list_items_are_body_paragraphs_and_siblings_never_chain() {
    let layout = LayoutSpec::load("gbt9704").unwrap();
    let mut text = String::from("关于开展检查的通知\n各乡镇：\n（一）重点检查事项\n");
    for k in 1..=9 {
        text.push_str(&format!(
            "{k}.对第{k}项{}情况。\n",
            "重点行业领域安全".repeat(k % 3)
        ));
    }
    text.push_str("二、工作要求\n一、会议时间\n请认真落实。\n青山县人民政府\n2025年3月6日\n");
    let fonts = fonts(&layout);
    let (plan, _) = lay(&text, &layout, &fonts);
    let paras: Vec<&gongwen::plan::Para> = plan
        .blocks
        .iter()
        .filter_map(|b| match b {
            gongwen::plan::Block::Para(p) => Some(p),
            _ => None,
        })
        .collect();
    let heading = paras
        .iter()
        .find(|p| p.text() == "（一）重点检查事项")
        .unwrap();
    assert!(heading.keep_with_next && heading.keep_lines);
    let items: Vec<_> = paras
        .iter()
        .filter(|p| p.text().ends_with("情况。"))
        .collect();
    assert_eq!(items.len(), 9);
    for p in items {
        assert_eq!(p.role, gongwen::model::Element::Body, "{}", p.text());
        assert!(!p.keep_with_next && !p.keep_lines, "{}", p.text());
        // the number keeps the level's face
        assert_eq!(p.spans[0].element, gongwen::model::Element::Heading3);
    }
    // Two level-1 siblings in a row are items too: neither is kept with the other.
    for t in ["二、工作要求", "一、会议时间"] {
        let p = paras.iter().find(|p| p.text() == t).unwrap();
        assert!(!p.keep_with_next, "{t}");
    }
}

/// GB/T 9704 7.3.5.5 as a layout choice: a 署名 block that overruns page 1 by one line goes
/// over with two body lines when it is off, and stays on a tightened page 1 when it is on; the
/// DOCX's paragraphs on that page carry the same pitch.
#[test]
fn closing_fit_keeps_an_overrun_of_one_line_on_the_page() {
    let text =
        std::fs::read_to_string(format!("{}/tests/fixtures/pages/closing-overrun.txt", ROOT))
            .unwrap();
    let off = LayoutSpec::load("gbt9704").unwrap();
    let fonts = fonts(&off);
    let (plan, paged) = lay(&text, &off, &fonts);
    assert_eq!(paged.pages.len(), 2);
    assert!(plan.blocks.iter().all(|b| match b {
        gongwen::plan::Block::Para(p) => p.pitch.is_none(),
        _ => true,
    }));
    let on = LayoutSpec::load(&format!("{ROOT}/tests/fixtures/pages/closing-fit.toml")).unwrap();
    assert_eq!(on.keeps.closing_fit_lines, 1);
    let (plan, paged) = lay(&text, &on, &fonts);
    assert_eq!(paged.pages.len(), 1);
    let date = lines(&paged, &on).last().cloned().unwrap();
    assert!(date.2.contains("2025年5月12日"), "{date:?}");
    // 23 lines in the room of 22: the pitch is the grid's × 22/23, in whole twips.
    let pitch = (on.grid.line_pitch_pt * 22.0 / 23.0 * 20.0).floor() / 20.0;
    for b in &plan.blocks {
        if let gongwen::plan::Block::Para(p) = b {
            assert_eq!(p.pitch, Some(pitch), "{}", p.text());
        }
    }
    let bottom = on.body_top() + on.body_height();
    assert!(
        date.1 < bottom,
        "the date's baseline {} under the body area {bottom}",
        date.1
    );
}
