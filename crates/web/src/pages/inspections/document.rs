//! The 通报 as a typeset document: title, 文号, addressees, the supervisor's text, the problems
//! per organ, the rectification requirement with its deadline, the signature. Built once, when
//! the 通报 is issued, and stored with it (the downloads render the stored document).

use gongkai_store::inspections::NoticeFacts;
use gongkai_typeset::{Block, Document, Paragraph};

use super::chinese_date;

/// Chinese ordinal of a section (一, 二, …) for the organ headings （一）（二）….
fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: usize| DIGITS.get(d).copied().unwrap_or("");
    match n {
        0..=9 => digit(n).to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { digit(n - 10) }),
        20..=99 => format!(
            "{}十{}",
            digit(n / 10),
            if n.is_multiple_of(10) {
                ""
            } else {
                digit(n % 10)
            }
        ),
        _ => n.to_string(),
    }
}

/// The 通报 document of `facts`.
pub(crate) fn notice_document(facts: &NoticeFacts) -> Document {
    let title = format!("关于{}发现问题的通报", facts.inspection.title);
    let mut doc = Document::new(title.clone());
    doc.push(Block::Title { text: title });
    doc.push(Block::DocNumber {
        text: facts.doc_no.clone(),
    });
    let addressee = match facts.organs.as_slice() {
        [only] => format!("{}：", only.name),
        _ => "各有关单位：".to_owned(),
    };
    doc.push(Block::Paragraph(Paragraph::flush(addressee)));
    for line in facts.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        doc.push(Block::Paragraph(Paragraph::body(line)));
    }
    doc.push(Block::Heading {
        level: 1,
        text: "一、检查发现的问题".to_owned(),
    });
    for (i, organ) in facts.organs.iter().enumerate() {
        doc.push(Block::Heading {
            level: 2,
            text: format!("（{}）{}", ordinal(i + 1), organ.name),
        });
        for (n, p) in organ.problems.iter().enumerate() {
            let mut text = format!("{}. {}", n + 1, p.problem.description.replace('\n', " "));
            if let Some(link) = &p.link_text {
                text.push_str(&format!("（涉及：{link}）"));
            }
            doc.push(Block::Paragraph(Paragraph::body(text)));
        }
    }
    doc.push(Block::Heading {
        level: 1,
        text: "二、整改要求".to_owned(),
    });
    doc.push(Block::Paragraph(Paragraph::body(format!(
        "请{}对照上述问题逐项整改，于{}前（自本通报印发之日起{}个工作日内）完成，并通过政府信息公开工作平台的“整改反馈”逐项报送整改情况。逾期未整改或整改不到位的，将依照《中华人民共和国政府信息公开条例》第五十二条、第五十三条的规定处理。",
        if facts.organs.len() == 1 {
            "你单位"
        } else {
            "各有关单位"
        },
        chinese_date(facts.deadline_on),
        facts.deadline_days
    ))));
    doc.push(Block::Signature {
        lines: vec![
            facts.supervising_organ.clone(),
            chinese_date(facts.issued_on),
        ],
    });
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organ_headings_count_in_chinese() {
        assert_eq!(ordinal(1), "一");
        assert_eq!(ordinal(10), "十");
        assert_eq!(ordinal(12), "十二");
        assert_eq!(ordinal(20), "二十");
        assert_eq!(ordinal(35), "三十五");
    }
}
