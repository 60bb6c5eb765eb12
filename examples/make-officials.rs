//! Writes the bundled sheet `data/officials.xlsx` and the same rows as `data/officials-gbk.csv`
//! (GBK, CRLF, every cell quoted: what Excel's 另存为 CSV writes on Chinese Windows).
//!
//! `cargo run --release --example make-officials` (from the project folder). The columns are the
//! `shuzhi` template's fields, as an 组织部 keeps them: 序号, 姓名, 单位, 职务, 年度, then the
//! report's parts; the header is on row 1. A cell's line breaks are paragraphs.

use rust_xlsxwriter::{Format, Workbook};

const HEADER: [&str; 10] = [
    "序号",
    "姓名",
    "单位",
    "职务",
    "年度",
    "引言",
    "履职情况",
    "廉洁自律",
    "存在问题",
    "今后打算",
];

struct Official {
    name: &'static str,
    unit: &'static str,
    post: &'static str,
    work: &'static str,
    integrity: &'static str,
    problems: &'static str,
}

const OFFICIALS: [Official; 6] = [
    Official {
        name: "张明",
        unit: "青山县柳河镇",
        post: "党委委员、副镇长",
        work: "分管农业农村工作，全年粮食播种面积稳定在4.2万亩，收获秋粮3.2万吨，保障粮食连年丰收。\n推进高标准农田建设1.5万亩，完成地下水压采12万立方米，新建节水灌溉设施36处。\n严格落实农产品质量安全监管职责，全年抽检农产品样品420批次，合格率99.5%。",
        integrity: "严格执行中央八项规定精神，签订党风廉政建设责任书，管好亲属和身边工作人员，没有在任何单位报销应由个人负担的费用。",
        problems: "学习系统性不够，理论联系实际不紧密；推动农业产业化的办法不多，带动农民增收的效果还不明显。",
    },
    Official {
        name: "李红梅",
        unit: "青山县河西乡",
        post: "党委副书记、乡长",
        work: "主持乡政府全面工作，全年完成一般公共预算收入2860万元，同比增长6.8%。\n推进乡村振兴，新培育蔬菜、食用菌合作社8家，带动农户1200户增收。\n完成河西至石门公路改造12公里，解决3个村的饮水安全问题。",
        integrity: "落实“一岗双责”，带头执行民主集中制，“三重一大”事项全部经集体研究决定，个人有关事项如实报告。",
        problems: "抓经济发展的思路还不够宽，招商引资成效不明显；深入群众调查研究的时间偏少。",
    },
    Official {
        name: "王建军",
        unit: "青山县石门镇",
        post: "党委委员、副镇长",
        work: "分管安全生产和应急管理，组织开展安全生产大检查46次，排查整改隐患213处，全年未发生较大以上安全事故。\n修订镇级应急预案8个，组织防汛应急演练3场，汛期转移群众560人，无一伤亡。",
        integrity: "严守廉洁纪律，不收受礼品礼金，不接受可能影响公正执行公务的宴请，自觉接受组织和群众监督。",
        problems: "安全监管专业知识不足，对企业隐患整改的跟踪问效还不够到位。",
    },
    Official {
        name: "陈晓燕",
        unit: "青山县白塔镇",
        post: "党委委员、纪委书记",
        work: "履行监督执纪问责职责，全年受理信访举报27件，办结率100%，立案6件，给予党纪政务处分5人。\n开展惠民惠农财政补贴资金“一卡通”专项治理，追回违规资金18.6万元。\n组织廉政教育12场，覆盖党员干部860人次。",
        integrity: "带头遵守党章党规党纪，严格执行回避制度，没有利用职权为本人和他人谋取私利。",
        problems: "监督的精准性还需提高，对村级小微权力的日常监督还有薄弱环节。",
    },
    Official {
        name: "刘志强",
        unit: "青山县农业农村局",
        post: "党组成员、副局长",
        work: "分管畜牧兽医和农田建设，全县生猪出栏18.5万头，重大动物疫病免疫密度保持在95%以上。\n完成高标准农田建设3.8万亩，项目验收合格率100%。",
        integrity: "严格执行项目资金管理制度，不插手工程招投标，不干预项目验收，没有违规收受礼品礼金。",
        problems: "对基层畜牧兽医队伍建设重视不够，项目建设后期管护机制还不健全。",
    },
    Official {
        name: "赵丽",
        unit: "青山县应急管理局",
        post: "党组书记、局长",
        work: "主持局全面工作，推动全县安全生产责任体系建设，与22个乡镇和部门签订安全生产目标责任书。\n全县生产安全事故起数和死亡人数同比分别下降18.2%和25%。\n新建乡镇应急物资储备点8个，组建基层应急救援队伍23支。",
        integrity: "履行全面从严治党主体责任，带头廉洁自律，严格执行公务接待和公车使用规定。",
        problems: "应急管理体系和能力现代化水平不高，基层应急队伍专业化程度不够。",
    },
];

fn cells(i: usize, o: &Official) -> Vec<String> {
    vec![
        (i + 1).to_string(),
        o.name.into(),
        o.unit.into(),
        o.post.into(),
        "2023".into(),
        "一年来，在县委、县政府的正确领导下，认真贯彻落实党的二十大精神，履职尽责，较好地完成了组织交付的各项工作任务。现将一年来履职尽责及廉洁自律情况报告如下：".into(),
        o.work.into(),
        o.integrity.into(),
        o.problems.into(),
        "今后，我将进一步加强学习，改进作风，认真整改存在的问题和不足，努力提高履职能力，为全县经济社会发展作出新的贡献。".into(),
    ]
}

fn main() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("述职人员").unwrap();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .unwrap();
    }
    let mut csv = String::new();
    let quote = |c: &str| format!("\"{}\"", c.replace('"', "\"\""));
    csv.push_str(&HEADER.map(quote).join(","));
    csv.push_str("\r\n");
    for (i, o) in OFFICIALS.iter().enumerate() {
        let row = cells(i, o);
        let r = i as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            // 序号 and 年度 as numbers, as a sheet keeps them.
            if c == 0 || c == 4 {
                sheet
                    .write_number(r, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                sheet
                    .write_string_with_format(r, c as u16, v, &wrap)
                    .unwrap();
            }
        }
        let line: Vec<String> = row.iter().map(|c| quote(c)).collect();
        csv.push_str(&line.join(","));
        csv.push_str("\r\n");
    }
    sheet.set_column_width(5, 30).unwrap();
    book.save("data/officials.xlsx").unwrap();
    let (bytes, _, bad) = encoding_rs::GBK.encode(&csv);
    assert!(!bad, "every character of the rows is in GBK");
    std::fs::write("data/officials-gbk.csv", &bytes).unwrap();
    println!(
        "wrote data/officials.xlsx and data/officials-gbk.csv ({} rows)",
        OFFICIALS.len()
    );
}
