//! The organ and the year from the report's title, and the report format.

use super::normalize::{fold, is_cjk, match_chars};
use crate::model::ReportFormat;
use gongkai_docs::Document;
use std::sync::LazyLock;

/// What the title of an annual report ends with.
const TITLE_WORDS: [&str; 4] = [
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "政务公开工作年度报告",
    "信息公开工作年报",
];

/// A title longer than this before its title words is a sentence quoting a title.
const MAX_TITLE_PREFIX: usize = 60;
const MAX_ORGAN: usize = 40;

/// The organ and year read from the title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Title {
    pub organ: Option<String>,
    pub year: Option<i32>,
}

/// Where the first of the title words begins in `text`.
fn title_words_at(text: &str) -> Option<usize> {
    TITLE_WORDS.iter().filter_map(|w| text.find(w)).min()
}

/// Reads the title: the first line (or line pair) "〈organ〉〈year〉年（度）〈title words〉" or
/// "〈year〉年（度）〈organ〉〈title words〉", the organ possibly on the line before ("洪泽区人民政府" /
/// "2023 年政府信息公开工作年度报告"), the title words possibly broken over two lines (a PDF's
/// centred title: "新华区西市场街道办事处 2025 年政府信息公开" / "工作年度报告").
pub(crate) fn title(doc: &Document) -> Title {
    let lines: Vec<&str> = doc
        .lines()
        .map(|l| l.text.as_str())
        .filter(|t| !t.trim().is_empty())
        .collect();
    let mut found = Title::default();
    for (i, line) in lines.iter().enumerate() {
        // Every title form ends with "报告" or "年报"; most lines need no closer look.
        if !line.contains("报告") && !line.contains("年报") {
            continue;
        }
        let mut folded: String = line.chars().map(fold).collect();
        // The first line of the title.
        let mut first = i;
        let mut pos = title_words_at(&folded);
        if pos.is_none()
            && let Some(prev) = i.checked_sub(1).and_then(|p| lines.get(p))
        {
            let joined = format!(
                "{}{}",
                prev.trim_end().chars().map(fold).collect::<String>(),
                folded.trim_start()
            );
            if let Some(at) = title_words_at(&joined) {
                folded = joined;
                pos = Some(at);
                first = i - 1;
            }
        }
        let Some(pos) = pos else {
            continue;
        };
        let mut prefix = ascii_years(folded.get(..pos).unwrap_or_default());
        let previous = first
            .checked_sub(1)
            .and_then(|p| lines.get(p))
            .map(|l| ascii_years(&l.chars().map(fold).collect::<String>()));
        if find_year(&prefix).is_none()
            && let Some(prev) = &previous
            && prev.chars().count() <= MAX_TITLE_PREFIX
        {
            // "平潭综合实验区2019年" / "政府信息公开工作年度报告"
            prefix = format!("{prev}{prefix}");
        }
        if prefix.chars().count() > MAX_TITLE_PREFIX || quotes_a_title(&prefix) {
            continue;
        }
        let Some((year, year_start, year_end)) = find_year(&prefix) else {
            continue;
        };
        let before = prefix.get(..year_start).unwrap_or_default();
        let after = prefix.get(year_end..).unwrap_or_default();
        let organ = clean_organ(before)
            .or_else(|| clean_organ(after))
            .or_else(|| {
                let prev = previous.as_deref()?;
                (prev.chars().count() <= MAX_ORGAN && !prev.chars().any(|c| c.is_ascii_digit()))
                    .then(|| clean_organ(prev))
                    .flatten()
            });
        found = Title {
            organ,
            year: Some(year),
        };
        break;
    }
    if found.organ.is_none() {
        found.organ = organ_from_metadata(&lines);
    }
    found
}

/// Whether the text before the title words belongs to a sentence citing another document
/// ("《…关于编制公布2021年政府信息公开工作年度报告有关事项的通知》"). A title itself may say "关于"
/// ("某某局关于2022年度政府信息公开工作年度报告").
fn quotes_a_title(prefix: &str) -> bool {
    prefix.contains(['《', '》', '，', ',', '。'])
        || ["编制", "通知", "印发", "要求"]
            .iter()
            .any(|w| prefix.contains(w))
}

/// The text with years written in Chinese numerals ("二〇二三年") in ASCII digits ("2023年").
fn ascii_years(text: &str) -> String {
    let digit = |c: char| match c {
        '〇' | '○' | '零' | 'O' => Some('0'),
        '一' => Some('1'),
        '二' => Some('2'),
        '三' => Some('3'),
        '四' => Some('4'),
        '五' => Some('5'),
        '六' => Some('6'),
        '七' => Some('7'),
        '八' => Some('8'),
        '九' => Some('9'),
        _ => None,
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0usize;
    while let Some(&c) = chars.get(i) {
        let run: Vec<char> = chars
            .iter()
            .skip(i)
            .take(4)
            .filter_map(|c| digit(*c))
            .collect();
        let after = chars.iter().skip(i + 4).find(|c| !c.is_whitespace());
        if run.len() == 4 && run.first() == Some(&'2') && after == Some(&'年') {
            out.extend(run);
            i += 4;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The last "YYYY年" or "YYYY年度" (spaces allowed) in `text`: the year and the byte range of
/// "YYYY … 年（度）".
fn find_year(text: &str) -> Option<(i32, usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut best = None;
    let mut i = 0usize;
    while let Some(&(start, c)) = chars.get(i) {
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while chars.get(j).is_some_and(|(_, c)| c.is_ascii_digit()) {
            j += 1;
        }
        let digits: String = chars
            .get(i..j)
            .unwrap_or_default()
            .iter()
            .map(|(_, c)| c)
            .collect();
        let mut k = j;
        while chars.get(k).is_some_and(|(_, c)| c.is_whitespace()) {
            k += 1;
        }
        if digits.len() == 4
            && chars.get(k).is_some_and(|(_, c)| *c == '年')
            && let Ok(year) = digits.parse::<i32>()
            && (1990..=2100).contains(&year)
        {
            let mut end = k + 1;
            if chars.get(end).is_some_and(|(_, c)| *c == '度') {
                end += 1;
            }
            let end_byte = chars.get(end).map_or(text.len(), |(b, _)| *b);
            best = Some((year, start, end_byte));
        }
        i = j.max(i + 1);
    }
    best
}

/// The organ name in `text` (what stands before the year in a title), or `None` if it does not
/// look like one: labels ("标题:") and breadcrumbs are cut off; letter-spaced names
/// ("洪 泽 区 人 民 政 府") are joined.
fn clean_organ(text: &str) -> Option<String> {
    let after_label = text
        .rsplit([':', '：', '>', '»', '|', '】', '〉'])
        .next()
        .unwrap_or_default()
        .trim();
    let chunks: Vec<&str> = after_label.split_whitespace().collect();
    let organ: String = if chunks.iter().all(|c| c.chars().count() <= 1) {
        chunks.concat()
    } else {
        chunks.last().copied().unwrap_or_default().to_string()
    };
    // "某某局关于2022年度…报告": the organ is what stands before "关于".
    let organ = organ.strip_suffix("关于").unwrap_or(&organ).to_string();
    // A quotation or a sentence ("《…关于…") is not an organ name.
    let bad = organ.contains("关于")
        || organ.chars().any(|c| {
            matches!(
                c,
                '《' | '》' | '，' | '。' | '；' | ',' | ';' | '“' | '”' | '"'
            )
        });
    let organ = organ
        .trim_matches(|c: char| !is_cjk(c) && !c.is_ascii_alphanumeric() && c != ')' && c != '）');
    let cjk = organ.chars().filter(|c| is_cjk(*c)).count();
    (cjk >= 2 && organ.chars().count() <= MAX_ORGAN && !bad).then(|| organ.to_string())
}

/// The organ from page metadata ("发布机构: …", "来源：…") when the title does not name it.
fn organ_from_metadata(lines: &[&str]) -> Option<String> {
    for line in lines {
        let folded: String = line.chars().map(fold).collect();
        let trimmed = folded.trim();
        for label in ["发布机构:", "发布机关:", "来源:"] {
            if let Some(rest) = trimmed.strip_prefix(label) {
                let value = rest.split_whitespace().next().unwrap_or_default();
                if let Some(organ) = clean_organ(value) {
                    return Some(organ);
                }
            }
        }
    }
    None
}

/// The year of the statistics when no title names it: "统计期限自2021年1月1日".
pub(crate) fn year_from_text(flat: &str) -> Option<i32> {
    let marker = "年1月1日";
    let pos = flat.find(marker)?;
    let digits = flat.get(pos.checked_sub(4)?..pos)?;
    let year: i32 = digits.parse().ok()?;
    (1990..=2100).contains(&year).then_some(year)
}

struct Markers {
    f2021: Vec<String>,
    f2019: Vec<String>,
    pre2019: Vec<String>,
}

static MARKERS: LazyLock<Markers> = LazyLock::new(|| {
    let chars = |words: &[&str]| {
        words
            .iter()
            .map(|w| match_chars(w).into_iter().collect())
            .collect()
    };
    Markers {
        // Table 二's columns in the 30号 format.
        f2021: chars(&["本年制发件数", "本年废止件数", "现行有效件数"]),
        // Table 二's columns in the 60号 format.
        f2019: chars(&[
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
            "上一年项目数量",
            "采购项目数量",
        ]),
        // The 2008 条例 era's free statistics table.
        pre2019: chars(&["政府信息公开情况统计表", "统计指标"]),
    }
});

/// What the text says about the format: the number of 2021 and of 2019 table-二 column names
/// found, and whether the old statistics table is named.
pub(crate) struct FormatMarkers {
    pub f2021: usize,
    pub f2019: usize,
    pub pre2019: bool,
}

pub(crate) fn markers(flat: &str) -> FormatMarkers {
    let count = |words: &[String]| words.iter().filter(|w| flat.contains(w.as_str())).count();
    FormatMarkers {
        f2021: count(&MARKERS.f2021),
        f2019: count(&MARKERS.f2019),
        pre2019: count(&MARKERS.pre2019) > 0,
    }
}

/// The format by the table-二 column names, else by the report year.
pub(crate) fn format_hint(markers: &FormatMarkers, year: Option<i32>) -> Option<ReportFormat> {
    if markers.f2021 > markers.f2019 {
        return Some(ReportFormat::F2021);
    }
    if markers.f2019 > markers.f2021 {
        return Some(ReportFormat::F2019);
    }
    match year {
        Some(y) if y >= 2021 => Some(ReportFormat::F2021),
        Some(2019 | 2020) => Some(ReportFormat::F2019),
        Some(_) => Some(ReportFormat::Pre2019),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_titles() {
        assert_eq!(ascii_years("二〇二三年度"), "2023年度");
        assert_eq!(ascii_years("第一二三四条"), "第一二三四条");
        assert_eq!(
            find_year("新华区西市场街道办事处 2023 年").map(|y| y.0),
            Some(2023)
        );
        assert_eq!(find_year("平潭综合实验区2021年度").map(|y| y.0), Some(2021));
        assert_eq!(find_year("共12345年"), None);
    }

    #[test]
    fn organs_from_title_prefixes() {
        assert_eq!(
            clean_organ("标题: 平潭综合实验区").as_deref(),
            Some("平潭综合实验区")
        );
        assert_eq!(
            clean_organ("洪 泽 区 人 民 政 府").as_deref(),
            Some("洪泽区人民政府")
        );
        assert_eq!(clean_organ("  "), None);
        assert_eq!(clean_organ("《福建省人民政府办公厅关于"), None);
        assert_eq!(
            clean_organ("某某县交通运输局关于").as_deref(),
            Some("某某县交通运输局")
        );
    }

    #[test]
    fn year_from_statistics_period() {
        assert_eq!(year_from_text("统计期限自2021年1月1日起"), Some(2021));
        assert_eq!(year_from_text("无"), None);
    }
}
