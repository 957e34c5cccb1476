//! The narrative sections 一–六 pre-filled with the facts the records give, so the officer starts
//! from a correct text and only writes what no record holds (management, platform, supervision,
//! problems). What the officer must still write is marked [`TO_WRITE`]; a report with a mark
//! left cannot be submitted.

use gongkai_law::Money;
use gongkai_store::Narrative;

use crate::BuiltReport;

/// The mark of a passage the officer has to write.
pub const TO_WRITE: &str = "【待填写";

fn to_write(what: &str) -> String {
    format!("{TO_WRITE}：{what}】")
}

/// The passages still marked [`TO_WRITE`], by section title.
pub fn unwritten(narrative: &Narrative) -> Vec<&'static str> {
    narrative
        .sections()
        .into_iter()
        .filter(|(_, text)| text.contains(TO_WRITE))
        .map(|(title, _)| title)
        .collect()
}

/// The sentence on proactive disclosure: the count, then the organ's own site and the other
/// channels as reports word it ("主动公开政府信息348条，其中依托政府信息公开专栏公开20条，通过官媒
/// 客户端、报纸等媒介公开328条").
fn proactive_sentence(built: &BuiltReport, organ: &str, year: i32) -> String {
    let facts = &built.facts;
    let media: Vec<&str> = facts
        .channels
        .iter()
        .filter(|(key, _, n)| *n > 0 && key != "column" && key != "portal")
        .map(|(_, label, _)| label.as_str())
        .collect();
    let mut parts = Vec::new();
    if facts.on_site_items > 0 {
        parts.push(format!("依托政府信息公开专栏公开{}条", facts.on_site_items));
    }
    if facts.off_site_items > 0 {
        let names = match media.len() {
            0 => "其他渠道".to_owned(),
            1 => media.join(""),
            _ => format!("{}等媒介", media.join("、")),
        };
        parts.push(format!("通过{names}公开{}条", facts.off_site_items));
    }
    format!(
        "（一）主动公开：{year}年度，{organ}依照《中华人民共和国政府信息公开条例》主动公开政府信息{}条{}。",
        facts.published_items,
        if parts.is_empty() {
            String::new()
        } else {
            format!("，其中{}", parts.join("，"))
        }
    )
}

fn applications_sentence(built: &BuiltReport, year: i32) -> String {
    let t3 = built.tables.table3.as_ref();
    let cell = |row| {
        t3.and_then(|t| t.get(&row))
            .and_then(|c| c.total.number())
            .unwrap_or(0)
    };
    use gongkai_report::Table3Row as R;
    let received = cell(R::NewReceived);
    let carried_in = cell(R::CarriedOver);
    let carried_out = cell(R::CarriedForward);
    if received == 0 && carried_in == 0 {
        return format!("（二）依申请公开：{year}年度未收到政府信息公开申请。");
    }
    let mut s = format!("（二）依申请公开：{year}年度收到政府信息公开申请{received}件");
    if carried_in > 0 {
        s.push_str(&format!("，上年结转{carried_in}件"));
    }
    s.push_str(&format!(
        "；本年度办理完毕{}件，结转下年度继续办理{carried_out}件。",
        cell(R::TotalProcessed)
    ));
    s
}

/// Section 六's sentence on processing fees (国办函〔2020〕109号).
pub fn fees_sentence(built: &BuiltReport) -> String {
    let basis = "按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定的按件、按量收费标准，";
    if built.facts.fees_collected_fen == 0 {
        format!("{basis}本年度没有产生政府信息公开信息处理费。")
    } else {
        format!(
            "{basis}本年度对{}件政府信息公开申请收取信息处理费共{}。",
            built.facts.fee_cases.len(),
            Money::from_fen(built.facts.fees_collected_fen)
        )
    }
}

/// The narrative as the records give it; the passages no record holds are marked to write.
pub fn prefill(built: &BuiltReport) -> Narrative {
    let organ = built.tables.organ.clone().unwrap_or_default();
    let year = built.tables.year.unwrap_or_default();
    let overview = [
        proactive_sentence(built, &organ, year),
        applications_sentence(built, year),
        format!(
            "（三）政府信息管理：{}",
            to_write("制度建设、信息发布审核（保密审查）、政策解读、政府信息管理动态调整等情况")
        ),
        format!(
            "（四）政府信息公开平台建设：{}",
            to_write("政府网站政府信息公开专栏、政务新媒体、公开栏等平台的建设和运行情况")
        ),
        format!(
            "（五）监督保障：{}",
            to_write("组织领导、培训、考核、社会评议和责任追究情况")
        ),
    ]
    .join("\n");
    Narrative {
        overview,
        proactive: String::new(),
        applications: String::new(),
        challenges: String::new(),
        problems: [
            format!(
                "（一）{year}年度存在的主要问题：{}",
                to_write("对照本年度工作写明存在的主要问题")
            ),
            format!(
                "（二）{}年度改进情况：{}",
                year - 1,
                to_write("上一年度报告所列问题的改进情况")
            ),
        ]
        .join("\n"),
        other: fees_sentence(built),
    }
}

/// The narrative the report uses: what the officer saved, or the pre-filled text when nothing
/// has been saved yet.
pub fn effective(saved: &Narrative, built: &BuiltReport) -> Narrative {
    if saved.is_empty() {
        prefill(built)
    } else {
        saved.clone()
    }
}

/// The narrative as one text, headings included, for the auditor's text checks.
pub fn full_text(title: &str, narrative: &Narrative) -> String {
    let mut out = format!("{title}\n");
    for (heading, text) in narrative.sections() {
        out.push_str(heading);
        out.push('\n');
        if !text.is_empty() {
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}
