//! Text-versus-table checks (N-*): what the running text says about applications,
//! 行政复议 and 行政诉讼, against tables 三 and 四 (report-model.md §3).
//!
//! Precision over recall: a false finding costs a supervisor's time. So a statement is read
//! only in the narrow forms reports use ("收到政府信息公开申请75件", "共收到70件申请",
//! "1件结转下年度继续办理", "行政复议案件2件", "未收到依申请公开"), clauses that compare years
//! (较上年, 同比, another year named), break a total down (其中) or speak of part of the organs
//! (部分单位) are skipped, and a kind of figure is reported only when none of the figures the
//! text gives for it agrees with the table.

use super::cells;
use super::text::{Text, contains_any, years_mentioned};
use super::{ids, not_assessable};
use crate::finding::{Finding, Severity};
use crate::model::{CellRef, ReportTables, ReviewBlock, Table3Column, Table3Row};

/// What a figure in the text counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FigureKind {
    /// 收到/新收/受理 N 件申请.
    Received,
    /// 结转 N 件 (上年结转 or 结转下年度).
    CarriedOver,
    /// 行政复议 N 件.
    Reconsideration,
    /// 行政诉讼 N 件.
    Litigation,
}

impl FigureKind {
    fn label(self) -> &'static str {
        match self {
            FigureKind::Received => "收到的政府信息公开申请",
            FigureKind::CarriedOver => "结转的申请",
            FigureKind::Reconsideration => "政府信息公开行政复议案件",
            FigureKind::Litigation => "政府信息公开行政诉讼案件",
        }
    }
}

/// A figure stated in the text, with the clause that states it (normalised: no spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedFigure {
    pub kind: FigureKind,
    pub value: i64,
    pub clause: String,
}

/// Clauses that compare, break down, or speak of part of the organs: their figures are not the
/// report's own totals.
const SKIP_CLAUSE_WORDS: &[&str] = &[
    "较",
    "同比",
    "环比",
    "增长",
    "下降",
    "增加",
    "减少",
    "上升",
    "持平",
    "比上年",
    "比去年",
    "其中",
    "部分单位",
    "部分部门",
    "其余",
    "个单位",
    "个部门",
    "除",
];

/// Words that make a "收到…申请" figure about something else than disclosure applications.
const OTHER_MATTERS: &[&str] = &[
    "复议", "诉讼", "投诉", "举报", "信访", "补正", "建议", "提案", "来信", "咨询", "留言", "办结",
    "答复", "第", "近", "约", "超过", "逾",
];

/// Words that make a "收到…申请N件" figure a part of the total: one kind of applicant or one
/// channel ("收到自然人申请72件", "收到网上申请30件").
const SUBSET_WORDS: &[&str] = &[
    "自然人",
    "法人",
    "企业",
    "组织",
    "机构",
    "网上",
    "线上",
    "在线",
    "网络",
    "当面",
    "现场",
    "信函",
    "邮寄",
    "传真",
    "邮件",
    "电话",
];

/// Words allowed between 行政复议/行政诉讼 and its number ("行政复议案件2件", "行政诉讼共1起").
const CASE_GAP_TOKENS: &[&str] = &[
    "案件", "案", "申请", "共计", "合计", "总计", "共", "计", "的", "有", "为", "数量", "数", "是",
    ":", "：",
];

const UNITS: [char; 3] = ['件', '起', '宗'];

/// Whether what is said at `i` is a part of a total broken down earlier in the sentence
/// ("共收到75件，其中，区公安局收到申请2件").
fn is_breakdown(text: &Text, i: usize) -> bool {
    text.contains_within(text.sentence_start(i), i, "其中")
}

/// Whether the clause's figures may be read for `year`: no other year named in it.
fn clause_is_about_year(clause: &str, year: Option<i32>) -> bool {
    match year {
        Some(y) => years_mentioned(clause).iter().all(|&m| m == y),
        None => true,
    }
}

/// After `from`, within `[from, end)`: skips dates ("2023年"), then reads the first number and
/// its unit (件/起/宗). Returns (gap text before the number, the number, position after the
/// unit). Any other number first (a percentage, "3个工作日", "100余件") gives `None`.
fn number_with_unit(
    text: &Text,
    from: usize,
    end: usize,
    skip_dates: bool,
) -> Option<(String, i64, usize)> {
    let mut k = from;
    while k < end {
        if text.at(k).is_some_and(|c| c.is_ascii_digit()) {
            let (n, after) = text.number_at(k)?;
            match text.at(after) {
                Some('年' | '月' | '日' | '号') if skip_dates => {
                    k = after + 1;
                    continue;
                }
                Some(u) if UNITS.contains(&u) => return Some((text.slice(from, k), n, after + 1)),
                _ => return None,
            }
        }
        k += 1;
    }
    None
}

/// "申请" that is not "申请人".
fn mentions_application(s: &str) -> bool {
    s.match_indices("申请")
        .any(|(i, _)| s.get(i..).is_some_and(|rest| !rest.starts_with("申请人")))
}

fn negated_before(text: &Text, i: usize) -> bool {
    ["未", "没有", "无", "不"]
        .iter()
        .any(|n| text.ends_with_before(i, n))
}

/// Figures of applications received: "收到政府信息公开申请75件", "共收到70件申请",
/// "受理政府信息公开申请21件".
fn received_figures(text: &Text, year: Option<i32>, out: &mut Vec<StatedFigure>) {
    for trigger in ["收到", "新收", "接收", "受理"] {
        for i in text.find_all(trigger) {
            // The tests are pure, so they are taken cheapest first: most occurrences have no
            // figure after them, and are dropped before their clause is copied and searched.
            if negated_before(text, i) {
                continue;
            }
            let (cs, ce) = text.clause_bounds(i);
            let from = i + trigger.chars().count();
            let Some((gap, n, after)) = number_with_unit(text, from, ce, true) else {
                continue;
            };
            let tail = text.slice(after, (after + 8).min(ce));
            if gap.chars().count() > 16
                || contains_any(&gap, OTHER_MATTERS)
                || contains_any(&gap, SUBSET_WORDS)
                || contains_any(&tail, SUBSET_WORDS)
            {
                continue;
            }
            if !(mentions_application(&gap) || mentions_application(&tail)) {
                continue;
            }
            if is_breakdown(text, i) {
                continue;
            }
            let clause = text.slice(cs, ce);
            if contains_any(&clause, SKIP_CLAUSE_WORDS) || !clause_is_about_year(&clause, year) {
                continue;
            }
            out.push(StatedFigure {
                kind: FigureKind::Received,
                value: n,
                clause,
            });
        }
    }
}

/// Reads a number that ends right before `end` (digits immediately before it).
fn number_before(text: &Text, end: usize) -> Option<i64> {
    let mut start = end;
    while start > 0 && text.at(start - 1).is_some_and(|c| c.is_ascii_digit()) {
        start -= 1;
    }
    if start == end || end - start > 9 {
        return None;
    }
    if start > 0
        && text
            .at(start - 1)
            .is_some_and(|c| matches!(c, '第' | '近' | '约' | '.'))
    {
        return None;
    }
    text.slice(start, end).parse().ok()
}

/// "N件结转…" / "N件申请结转…": the number before a trigger.
fn number_before_trigger(text: &Text, i: usize) -> Option<i64> {
    let mut k = i;
    for filler in ["申请", "的"] {
        if text.ends_with_before(k, filler) {
            k -= filler.chars().count();
            break;
        }
    }
    if k > 0 && text.at(k - 1).is_some_and(|c| UNITS.contains(&c)) {
        number_before(text, k - 1)
    } else {
        None
    }
}

/// Figures of carried-over applications: "上年结转1件", "结转下年度继续办理1件",
/// "1件结转下年度继续办理".
fn carried_figures(text: &Text, year: Option<i32>, out: &mut Vec<StatedFigure>) {
    for i in text.find_all("结转") {
        // Cheapest tests first (all are pure): the figure, then the sentence and clause.
        if negated_before(text, i) {
            continue;
        }
        let (cs, ce) = text.clause_bounds(i);
        let forward = number_with_unit(text, i + 2, ce, true)
            .filter(|(gap, _, _)| gap.chars().count() <= 12 && !contains_any(gap, OTHER_MATTERS))
            .map(|(_, n, _)| n);
        let Some(n) = forward.or_else(|| number_before_trigger(text, i)) else {
            continue;
        };
        if is_breakdown(text, i) {
            continue;
        }
        let clause = text.slice(cs, ce);
        if contains_any(&clause, SKIP_CLAUSE_WORDS) || !clause_is_about_year(&clause, year) {
            continue;
        }
        out.push(StatedFigure {
            kind: FigureKind::CarriedOver,
            value: n,
            clause,
        });
    }
}

/// Whether `gap` is made only of the allowed words between a case keyword and its number.
fn is_case_gap(gap: &str) -> bool {
    let mut rest = gap;
    'outer: while !rest.is_empty() {
        for token in CASE_GAP_TOKENS {
            if let Some(r) = rest.strip_prefix(token) {
                rest = r;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// Figures of 行政复议 / 行政诉讼 cases: "行政复议案件2件", "行政诉讼共1起", "发生2起行政复议".
fn case_figures(text: &Text, year: Option<i32>, out: &mut Vec<StatedFigure>) {
    for (trigger, other, kind) in [
        ("行政复议", "诉讼", FigureKind::Reconsideration),
        ("行政诉讼", "复议", FigureKind::Litigation),
    ] {
        for i in text.find_all(trigger) {
            // "行政复议、行政诉讼共3件" counts both together: not this kind's figure.
            let joined = ["、", "和", "及", "与", "或", "以及"].iter().any(|c| {
                text.ends_with_before(i, c) && text.ends_with_before(i - c.chars().count(), other)
            });
            if joined || negated_before(text, i) {
                continue;
            }
            // Cheapest tests first (all are pure): the figure, then the sentence and clause.
            let (cs, ce) = text.clause_bounds(i);
            let from = i + trigger.chars().count();
            let forward = number_with_unit(text, from, ce, false)
                .filter(|(gap, _, _)| gap.chars().count() <= 8 && is_case_gap(gap))
                .map(|(_, n, _)| n);
            let backward = || {
                let k = if text.ends_with_before(i, "的") {
                    i - 1
                } else {
                    i
                };
                if k > 0 && text.at(k - 1).is_some_and(|c| UNITS.contains(&c)) {
                    number_before(text, k - 1)
                } else {
                    None
                }
            };
            let Some(n) = forward.or_else(backward) else {
                continue;
            };
            if is_breakdown(text, i) {
                continue;
            }
            let clause = text.slice(cs, ce);
            // "作为复议机关收到行政复议申请N件" counts reconsiderations the organ decides, not
            // those about its own disclosure decisions (table 四).
            if contains_any(&clause, SKIP_CLAUSE_WORDS)
                || contains_any(&clause, &["复议机关", "作为"])
                || !clause_is_about_year(&clause, year)
            {
                continue;
            }
            out.push(StatedFigure {
                kind,
                value: n,
                clause,
            });
        }
    }
}

/// Every figure the text states, in the forms this module reads.
pub fn stated_figures(text: &str, year: Option<i32>) -> Vec<StatedFigure> {
    stated_figures_in(&Text::new(text), year)
}

fn stated_figures_in(text: &Text, year: Option<i32>) -> Vec<StatedFigure> {
    let mut out = Vec::new();
    received_figures(text, year, &mut out);
    carried_figures(text, year, &mut out);
    case_figures(text, year, &mut out);
    out
}

/// Clauses that make "no application" a matter of something else, or of part of the organs.
const NO_APPLICATION_SKIP: &[&str] = &[
    "复议",
    "诉讼",
    "投诉",
    "举报",
    "信访",
    "补正",
    "缴费",
    "收费",
    "费用",
    "部分",
    "其余",
    "其他单位",
    "个单位",
    "个部门",
    "除",
    "咨询",
    "意见",
    "建议",
    "提案",
    "留言",
];

/// Words before a negation that make it conditional ("如未收到……").
const CONDITIONAL: &[&str] = &["如", "若", "如果", "倘若", "一旦"];

/// Statements that no application was received ("未收到依申请公开", "没有收到政府信息公开
/// 申请", "无依申请公开事项"), as their clauses.
pub fn no_application_statements(text: &str, year: Option<i32>) -> Vec<String> {
    no_application_statements_in(&Text::new(text), year)
}

fn no_application_statements_in(text: &Text, year: Option<i32>) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |start: usize| {
        if CONDITIONAL.iter().any(|c| text.ends_with_before(start, c)) || is_breakdown(text, start)
        {
            return;
        }
        let (cs, ce) = text.clause_bounds(start);
        let clause = text.slice(cs, ce);
        if !contains_any(&clause, NO_APPLICATION_SKIP)
            && clause_is_about_year(&clause, year)
            && !out.contains(&clause)
        {
            out.push(clause);
        }
    };
    // "未收到……申请": the word 申请 within a short stretch of the same clause.
    for trigger in [
        "未收到",
        "没有收到",
        "未接到",
        "没有接到",
        "未受理",
        "没有受理",
    ] {
        for i in text.find_all(trigger) {
            let (_, ce) = text.clause_bounds(i);
            let from = i + trigger.chars().count();
            let stretch = text.slice(from, (from + 22).min(ce));
            if mentions_application(&stretch) {
                push(i);
            }
        }
    }
    // "无依申请公开", "没有政府信息公开申请": the application words right after the negation
    // (so "无正当理由大量反复申请" — a table-三 row — is not read as one).
    for trigger in ["无", "没有", "未发生", "未产生"] {
        for i in text.find_all(trigger) {
            let mut k = i + trigger.chars().count();
            for filler in ["任何", "相关"] {
                if text.starts_with_at(k, filler) {
                    k += filler.chars().count();
                }
            }
            if [
                "依申请公开",
                "政府信息公开申请",
                "信息公开申请",
                "公开申请",
                "申请公开",
            ]
            .iter()
            .any(|p| text.starts_with_at(k, p))
            {
                push(i);
            }
        }
    }
    out
}

fn total(table: &ReportTables, row: Table3Row) -> Option<i64> {
    table
        .table3
        .as_ref()
        .and_then(|t| t.get(&row))
        .and_then(|cols| cells::count(&cols.total))
}

fn block_values(block: &ReviewBlock) -> Vec<i64> {
    let mut v = Vec::new();
    if let Some(t) = cells::count(&block.total) {
        v.push(t);
    }
    let parts: Option<Vec<i64>> = [
        &block.upheld,
        &block.corrected,
        &block.other,
        &block.pending,
    ]
    .iter()
    .map(|c| cells::count(c))
    .collect();
    if let Some(parts) = parts {
        v.push(parts.iter().fold(0i64, |a, b| a.saturating_add(*b)));
    }
    v
}

/// The table values a figure of `kind` may agree with, the cells they come from, and how to
/// say them; `None` if the cells are not numbers.
fn table_values(
    tables: &ReportTables,
    kind: FigureKind,
) -> Option<(Vec<i64>, Vec<CellRef>, String)> {
    match kind {
        FigureKind::Received => {
            let new = total(tables, Table3Row::NewReceived)?;
            let over = total(tables, Table3Row::CarriedOver);
            let mut cells_read = vec![cells::t3_ref(Table3Row::NewReceived, Table3Column::Total)];
            let mut values = vec![new];
            let mut said = format!("表三“一、本年新收政府信息公开申请数量”总计为{new}件");
            // Reports often count the carried-over cases as received ("收到申请75件" = 新收74 +
            // 结转1, pingtan-shiyanqu-2022): both readings are accepted.
            if let Some(over) = over {
                values.push(new.saturating_add(over));
                cells_read.push(cells::t3_ref(Table3Row::CarriedOver, Table3Column::Total));
                said.push_str(&format!(
                    "，加上年结转{over}件共{}件",
                    new.saturating_add(over)
                ));
            }
            Some((values, cells_read, said))
        }
        FigureKind::CarriedOver => {
            let over = total(tables, Table3Row::CarriedOver);
            let forward = total(tables, Table3Row::CarriedForward);
            if over.is_none() && forward.is_none() {
                return None;
            }
            let mut values = Vec::new();
            let mut cells_read = Vec::new();
            let mut said = Vec::new();
            if let Some(o) = over {
                values.push(o);
                cells_read.push(cells::t3_ref(Table3Row::CarriedOver, Table3Column::Total));
                said.push(format!("“二、上年结转”总计为{o}件"));
            }
            if let Some(f) = forward {
                values.push(f);
                cells_read.push(cells::t3_ref(
                    Table3Row::CarriedForward,
                    Table3Column::Total,
                ));
                said.push(format!("“四、结转下年度继续办理”总计为{f}件"));
            }
            Some((values, cells_read, format!("表三{}", said.join("，"))))
        }
        FigureKind::Reconsideration => {
            let t4 = tables.table4.as_ref()?;
            let values = block_values(&t4.reconsideration);
            let shown = values.first().copied()?;
            Some((
                values,
                vec![CellRef::new(&["table4", "reconsideration", "total"])],
                format!("表四“行政复议”总计为{shown}件"),
            ))
        }
        FigureKind::Litigation => {
            let t4 = tables.table4.as_ref()?;
            let direct = block_values(&t4.litigation_direct);
            let after = block_values(&t4.litigation_after_reconsideration);
            let (d, a) = (direct.first().copied()?, after.first().copied()?);
            let mut values = vec![d.saturating_add(a)];
            // Either block alone, and the sums of the outcome cells, are also accepted.
            values.extend(
                direct
                    .iter()
                    .flat_map(|x| after.iter().map(move |y| x.saturating_add(*y))),
            );
            values.extend(direct.iter().copied());
            values.extend(after.iter().copied());
            Some((
                values,
                vec![
                    CellRef::new(&["table4", "litigation_direct", "total"]),
                    CellRef::new(&["table4", "litigation_after_reconsideration", "total"]),
                ],
                format!(
                    "表四行政诉讼总计为{}件（未经复议直接起诉{d}件，复议后起诉{a}件）",
                    d.saturating_add(a)
                ),
            ))
        }
    }
}

/// The values as text, each once, in order.
fn distinct(values: &[i64]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let s = v.to_string();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn quote(clause: &str) -> String {
    let short: String = clause.chars().take(60).collect();
    if short.chars().count() < clause.chars().count() {
        format!("“{short}……”")
    } else {
        format!("“{short}”")
    }
}

/// N-NO-APPLICATIONS (error) and N-FIGURES (warning).
pub fn check(tables: &ReportTables, text: Option<&str>) -> Vec<Finding> {
    check_in(tables, text.map(Text::new).as_ref())
}

/// [`check`] on the text normalised once by [`super::run_checks`].
pub(crate) fn check_in(tables: &ReportTables, text: Option<&Text>) -> Vec<Finding> {
    let Some(text) = text else {
        return vec![
            not_assessable(
                ids::N_NO_APPLICATIONS,
                "未提供报告正文，无法核对正文关于是否收到申请的表述与表三是否一致。",
            ),
            not_assessable(
                ids::N_FIGURES,
                "未提供报告正文，无法核对正文所述申请、行政复议、行政诉讼件数与表格是否一致。",
            ),
        ];
    };
    let year = tables.year;
    let figures = stated_figures_in(text, year);
    let statements = no_application_statements_in(text, year);
    let mut out = Vec::new();
    let new_cell = cells::t3_ref(Table3Row::NewReceived, Table3Column::Total);
    let new_total = total(tables, Table3Row::NewReceived);
    let received: Vec<&StatedFigure> = figures
        .iter()
        .filter(|f| f.kind == FigureKind::Received)
        .collect();
    let received_values = table_values(tables, FigureKind::Received).map(|(v, _, _)| v);
    let received_agrees = |values: &[i64]| received.iter().any(|f| values.contains(&f.value));
    let mut received_reported = false;

    // Text: none received; table: some received this year.
    if let Some(statement) = statements.first() {
        match new_total {
            None => out.push(
                not_assessable(
                    ids::N_NO_APPLICATIONS,
                    format!(
                        "正文称{}，但表三“一、本年新收政府信息公开申请数量”总计未填写数字，无法核对。",
                        quote(statement)
                    ),
                )
                .with_cells([new_cell.clone()]),
            ),
            // A figure elsewhere in the text that agrees with the table means the statement is
            // about part of the organ's work, not the whole: no finding.
            Some(n) if n > 0 && !received_values.as_deref().is_some_and(received_agrees) => {
                received_reported = true;
                out.push(
                    Finding::new(
                        ids::N_NO_APPLICATIONS,
                        Severity::Error,
                        format!(
                            "正文称{}，但表三“一、本年新收政府信息公开申请数量”总计为{n}件。正文与表格矛盾，请核实本年度是否收到申请，并更正正文或表三。",
                            quote(statement)
                        ),
                    )
                    .with_cells([new_cell.clone()])
                    .with_values(0, n),
                );
            }
            Some(_) => {}
        }
    } else if let Some(stated) = received.iter().find(|f| f.value > 0) {
        // Text: N > 0 received; table: nothing received and nothing carried over.
        let over = total(tables, Table3Row::CarriedOver);
        if let (Some(0), Some(0)) = (new_total, over) {
            received_reported = true;
            out.push(
                Finding::new(
                    ids::N_NO_APPLICATIONS,
                    Severity::Error,
                    format!(
                        "正文称{}（{}件），但表三“一、本年新收政府信息公开申请数量”和“二、上年结转政府信息公开申请数量”总计均为0。正文与表格矛盾，请核实后更正正文或表三。",
                        quote(&stated.clause),
                        stated.value
                    ),
                )
                .with_cells([
                    new_cell.clone(),
                    cells::t3_ref(Table3Row::CarriedOver, Table3Column::Total),
                ])
                .with_values(stated.value, 0),
            );
        }
    }

    for kind in [
        FigureKind::Received,
        FigureKind::CarriedOver,
        FigureKind::Reconsideration,
        FigureKind::Litigation,
    ] {
        if kind == FigureKind::Received && received_reported {
            continue;
        }
        let of_kind: Vec<&StatedFigure> = figures.iter().filter(|f| f.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let Some((values, cells_read, said)) = table_values(tables, kind) else {
            out.push(not_assessable(
                ids::N_FIGURES,
                format!(
                    "正文{}提到{}件数，但表格中相应单元格缺失或未填写数字，无法核对。",
                    quote(
                        &of_kind
                            .iter()
                            .map(|f| f.clause.as_str())
                            .collect::<Vec<_>>()
                            .join("；")
                    ),
                    kind.label()
                ),
            ));
            continue;
        };
        if of_kind.iter().any(|f| values.contains(&f.value)) {
            continue;
        }
        let stated = distinct(&of_kind.iter().map(|f| f.value).collect::<Vec<_>>());
        let quotes: Vec<String> = of_kind.iter().map(|f| quote(&f.clause)).collect();
        out.push(
            Finding::new(
                ids::N_FIGURES,
                Severity::Warning,
                format!(
                    "正文{}所述{}为{}件，与表格不一致：{}。请核对正文或表格，使两者一致。",
                    quotes.join("、"),
                    kind.label(),
                    stated.join("、"),
                    said
                ),
            )
            .with_cells(cells_read)
            .with_values(distinct(&values).join("或"), stated.join("、")),
        );
    }
    out
}
