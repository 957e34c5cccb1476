//! Structure checks (S-*): the six sections, the three tables, and cells that hold no usable
//! number (report-model.md §3; legal-rules.md §B.1–B.5).

use super::cells::{self, CellKind, NamedCell};
use super::ids;
use super::text::{Text, lcs_len};
use crate::finding::{Finding, Severity};
use crate::model::{CellRef, CellValue, ReportFormat, ReportTables};

/// The six sections and their titles as prescribed by 国办公开办函〔2021〕30号
/// (legal-rules.md §B.1).
pub const SECTION_TITLES: [(char, &str); 6] = [
    ('一', "总体情况"),
    ('二', "主动公开政府信息情况"),
    ('三', "收到和处理政府信息公开申请情况"),
    ('四', "政府信息公开行政复议、行政诉讼情况"),
    ('五', "存在的主要问题及改进情况"),
    ('六', "其他需要报告的事项"),
];

/// Share of the prescribed title's characters that must reappear, in order, right after the
/// numeral. Tolerates the variants real reports print ("政府信息公开工作存在的主要问题及改进
/// 情况", "因政府信息公开申请行政复议、提起行政诉讼的情况", "行政法复议" typos), while table rows
/// that also start with 一、二、三、四 ("二、上年结转政府信息公开申请数量" ≈ 0.4) stay out.
const TITLE_MATCH: f64 = 0.7;

/// How many characters past the title's length a heading may run (inserted words, a year).
const TITLE_SLACK: usize = 12;

/// A heading found in the normalised text: which section, where the numeral is, and where the
/// heading ends (the body starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Heading {
    pub section: usize,
    pub start: usize,
    pub body_start: usize,
}

/// Every place that reads as the heading of section `section` (0-based).
fn heading_candidates(text: &Text, section: usize) -> Vec<Heading> {
    let Some(&(numeral, title)) = SECTION_TITLES.get(section) else {
        return Vec::new();
    };
    let title: Vec<char> = title.chars().collect();
    let mut out = Vec::new();
    // Only where the numeral is: the fuzzy match is tried at a few dozen places, not at every
    // character.
    for &i in text.positions_of(numeral).iter() {
        // "（一）主动公开" is a sub-heading; "第一", "十一", "统一" are not numbering.
        if i > 0
            && text
                .at(i - 1)
                .is_some_and(|c| matches!(c, '(' | '第') || "一二三四五六七八九十".contains(c))
        {
            continue;
        }
        let mut j = i + 1;
        let separated = text
            .at(j)
            .is_some_and(|c| matches!(c, '、' | '.' | '．' | ',' | '，' | ':' | '：'));
        if separated {
            j += 1;
        } else if text
            .at(j)
            .is_some_and(|c| matches!(c, ')' | '是' | '要' | '次'))
        {
            continue;
        }
        let window = text.window(j, j + title.len() + TITLE_SLACK);
        let lcs = lcs_len(&title, window);
        // Without a separator ("一总体情况", spaces removed), demand the title itself.
        let ok = if separated {
            (lcs as f64) >= TITLE_MATCH * (title.len() as f64)
        } else {
            title.iter().zip(window.iter()).take(2).all(|(a, b)| a == b)
                && lcs * 10 >= title.len() * 9
        };
        if ok && !title.is_empty() {
            out.push(Heading {
                section,
                start: i,
                body_start: j + heading_len(&title, window),
            });
        }
    }
    out
}

/// How long the heading is: up to the last window character matched (greedily, in order) to
/// the title, so the body starts right after "……情况".
fn heading_len(title: &[char], window: &[char]) -> usize {
    let mut t = 0;
    let mut last = 0;
    for (k, c) in window.iter().enumerate() {
        if t < title.len() && title.get(t) == Some(c) {
            t += 1;
            last = k + 1;
        } else if let Some(pos) = title.iter().skip(t).position(|x| x == c) {
            t += pos + 1;
            last = k + 1;
        }
    }
    last
}

/// The headings of sections 一–六 found in order. Each section takes the first candidate after
/// the previous section's heading; a section with no candidate there is missing (or out of
/// order, if it occurs earlier).
pub(crate) fn find_sections(text: &Text) -> [Option<Heading>; 6] {
    find_sections_and_candidates(text).0
}

/// [`find_sections`], with whether each section has any candidate at all (so a section not
/// found in order can be told missing from misplaced without searching again).
fn find_sections_and_candidates(text: &Text) -> ([Option<Heading>; 6], [bool; 6]) {
    let mut found: [Option<Heading>; 6] = [None; 6];
    let mut any = [false; 6];
    let mut after = 0usize;
    for (k, (slot, any)) in found.iter_mut().zip(any.iter_mut()).enumerate() {
        let candidates = heading_candidates(text, k);
        *any = !candidates.is_empty();
        if let Some(h) = candidates.into_iter().find(|h| h.start >= after) {
            after = h.body_start;
            *slot = Some(h);
        }
    }
    (found, any)
}

/// The body text of section `section` (0-based) given the headings `found` in `text`: from
/// its heading to the next heading found.
pub(crate) fn body_of(text: &Text, found: &[Option<Heading>; 6], section: usize) -> Option<String> {
    let h = (*found.get(section)?)?;
    let end = found
        .iter()
        .skip(section + 1)
        .flatten()
        .map(|n| n.start)
        .next()
        .unwrap_or(text.len());
    Some(text.slice(h.body_start, end))
}

/// The body texts of sections 一–六 as found (normalised: whitespace removed), `None` for a
/// section not found in order.
pub fn section_bodies(text: &str) -> [Option<String>; 6] {
    let text = Text::new(text);
    let found = find_sections(&text);
    std::array::from_fn(|k| body_of(&text, &found, k))
}

fn section_name(k: usize) -> String {
    SECTION_TITLES
        .get(k)
        .map(|(n, t)| format!("“{n}、{t}”"))
        .unwrap_or_default()
}

/// S-SECTIONS (warning): sections 一 to 六 present, in order, with the prescribed titles
/// (条例 Art 50; 30号, legal-rules.md §B.1). Titles are matched tolerantly; what is reported
/// is a section that cannot be found at all, or that comes out of order.
pub fn check_sections(text: Option<&str>) -> Vec<Finding> {
    let Some(raw) = text else {
        return vec![super::not_assessable(
            ids::S_SECTIONS,
            "未提供报告正文，无法核对是否包含“一、总体情况”至“六、其他需要报告的事项”六个部分。",
        )];
    };
    check_sections_in(Some(&Text::new(raw)))
}

/// [`check_sections`] on the text normalised once by [`super::run_checks`].
pub(crate) fn check_sections_in(text: Option<&Text>) -> Vec<Finding> {
    let Some(text) = text else {
        return check_sections(None);
    };
    let (found, any_candidate) = find_sections_and_candidates(text);
    let mut missing = Vec::new();
    let mut misplaced = Vec::new();
    for (k, slot) in found.iter().enumerate() {
        if slot.is_none() {
            if !any_candidate.get(k).copied().unwrap_or(false) {
                missing.push(k);
            } else {
                misplaced.push(k);
            }
        }
    }
    if missing.is_empty() && misplaced.is_empty() {
        return Vec::new();
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|&k| section_name(k)).collect();
        parts.push(format!("未找到{}", names.join("、")));
    }
    if !misplaced.is_empty() {
        let names: Vec<String> = misplaced.iter().map(|&k| section_name(k)).collect();
        parts.push(format!("{}的位置与规定顺序不符", names.join("、")));
    }
    let present: Vec<String> = found
        .iter()
        .flatten()
        .map(|h| {
            SECTION_TITLES
                .get(h.section)
                .map(|(n, _)| n.to_string())
                .unwrap_or_default()
        })
        .collect();
    let expected: Vec<String> = SECTION_TITLES
        .iter()
        .map(|(n, t)| format!("{n}、{t}"))
        .collect();
    let message = format!(
        "报告正文{}。按照国办公开办函〔2021〕30号，年度报告应依次包括六个部分：{}。请补齐或调整相应部分及标题。",
        parts.join("；"),
        expected.join("；")
    );
    vec![
        Finding::new(ids::S_SECTIONS, Severity::Warning, message).with_values(
            expected.join(" "),
            format!("按顺序找到：{}", present.join("、")),
        ),
    ]
}

/// S-TABLE-MISSING (error): table 二, 三 or 四 not found. For a pre-2019 report the 2021 tables
/// do not apply (report-model.md §1): that is said as not assessable, not as an error.
pub fn check_tables_present(tables: &ReportTables) -> Vec<Finding> {
    let mut out = Vec::new();
    for (present, key, name) in [
        (
            tables.table2.is_some(),
            "table2",
            "表二（主动公开政府信息情况）",
        ),
        (
            tables.table3.is_some(),
            "table3",
            "表三（收到和处理政府信息公开申请情况）",
        ),
        (
            tables.table4.is_some(),
            "table4",
            "表四（政府信息公开行政复议、行政诉讼情况）",
        ),
    ] {
        if present {
            continue;
        }
        if tables.format == ReportFormat::Pre2019 {
            out.push(
                super::not_assessable(
                    ids::S_TABLE_MISSING,
                    format!(
                        "本报告为{}，没有{}这一统一表格，不按现行格式核对。",
                        tables.format.label(),
                        name
                    ),
                )
                .with_cells([CellRef(key.to_string())]),
            );
        } else {
            out.push(
                Finding::new(
                    ids::S_TABLE_MISSING,
                    Severity::Error,
                    format!(
                        "报告中未找到{name}。按照{}，年度报告必须以统一表格列出该部分数据，请补充该表。",
                        tables.format.label()
                    ),
                )
                .with_cells([CellRef(key.to_string())]),
            );
        }
    }
    out
}

/// Why a cell breaks S-CELL-NUMBER, if it does.
fn number_problem(cell: &NamedCell) -> Option<String> {
    match (cell.kind, cell.value) {
        (CellKind::Count, CellValue::Number(n)) if *n < 0 => Some(format!("{n}（不能为负数）")),
        (CellKind::Count | CellKind::SignedCount, CellValue::Text(t)) => {
            // Dashes, slashes and words do not parse: they are S-CELL-BLANK's.
            let d = cells::parse_decimal(t, &[])?;
            if !d.is_whole() {
                Some(format!("“{}”（应为整数）", t.trim()))
            } else if d.negative && !d.is_zero() && cell.kind == CellKind::Count {
                Some(format!("“{}”（不能为负数）", t.trim()))
            } else {
                None
            }
        }
        (CellKind::Fee, CellValue::Number(n)) if *n < 0 => Some(format!("{n}（不能为负数）")),
        (CellKind::Fee, CellValue::Text(t)) => {
            if cells::is_blankish_text(t) {
                return None;
            }
            match cells::parse_decimal(t, &["万元", "万"]) {
                None => Some(format!(
                    "“{}”（应为以万元为单位的数字，如“0”或“7730.28”）",
                    t.trim()
                )),
                Some(d) if d.negative && !d.is_zero() => {
                    Some(format!("“{}”（不能为负数）", t.trim()))
                }
                Some(_) => None,
            }
        }
        _ => None,
    }
}

/// Whether a cell breaks S-CELL-BLANK: empty, a dash or slash, or text where a number belongs.
fn is_blank_problem(cell: &NamedCell) -> bool {
    match cell.value {
        CellValue::Number(_) => false,
        CellValue::Blank => true,
        CellValue::Text(t) => {
            if cells::is_blankish_text(t) {
                return true;
            }
            match cell.kind {
                // Numeric text with a problem is S-CELL-NUMBER's business.
                CellKind::Count | CellKind::SignedCount => cells::parse_decimal(t, &[]).is_none(),
                CellKind::Fee | CellKind::Amount => false,
            }
        }
    }
}

/// S-CELL-BLANK (warning) and S-CELL-NUMBER (error), one finding per table listing its cells
/// (legal-rules.md §B.3 item 5: all cells are non-negative integers; §B.2: the fee is a
/// decimal in 万元; the 2019 format's 本年增/减 may be negative).
///
/// Cells in `unreadable` (those the table reader could not pin down, reported as `S-AMBIGUOUS`)
/// are not reported again as blank: the reader left them blank, the report did not.
pub fn check_cells(tables: &ReportTables, unreadable: &[CellRef]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (table_name, table_cells) in cells::all_tables(tables) {
        let blanks: Vec<&NamedCell> = table_cells
            .iter()
            .filter(|c| {
                is_blank_problem(c)
                    && (unreadable.is_empty() || !unreadable.contains(&c.name.cref()))
            })
            .collect();
        if !blanks.is_empty() {
            let names: Vec<String> = blanks
                .iter()
                .map(|c| format!("{}为{}", c.name.label(), cells::describe(c.value)))
                .collect();
            out.push(
                Finding::new(
                    ids::S_CELL_BLANK,
                    Severity::Warning,
                    format!(
                        "{table_name}有{}个单元格未填写数字：{}。统一格式要求每个单元格都填写数字，没有发生的填“0”；空白、“/”或“—”不等于0，会使相关勾稽关系无法核对。",
                        blanks.len(),
                        cells::list_names(&names, 8)
                    ),
                )
                .with_cells(blanks.iter().map(|c| c.name.cref()))
                .with_values("数字", format!("{}个单元格为空白或非数字", blanks.len())),
            );
        }
        let bad: Vec<(&NamedCell, String)> = table_cells
            .iter()
            .filter_map(|c| number_problem(c).map(|why| (c, why)))
            .collect();
        if !bad.is_empty() {
            let names: Vec<String> = bad
                .iter()
                .map(|(c, why)| format!("{}为{why}", c.name.label()))
                .collect();
            out.push(
                Finding::new(
                    ids::S_CELL_NUMBER,
                    Severity::Error,
                    format!(
                        "{table_name}有{}个单元格的数字不合规：{}。件数应为非负整数，收费金额应为非负的万元数，请更正。",
                        bad.len(),
                        cells::list_names(&names, 8)
                    ),
                )
                .with_cells(bad.iter().map(|(c, _)| c.name.cref()))
                .with_values(
                    "非负整数（收费金额为非负小数）",
                    bad.iter().map(|(c, _)| c.value.to_string()).collect::<Vec<_>>().join("、"),
                ),
            );
        }
    }
    out
}
