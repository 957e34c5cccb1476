//! Reading cells for the checks: what counts as a number, what as blank, and the Chinese
//! names of cells for messages.

use crate::model::{CellRef, CellValue, Table2, Table3, Table3Column, Table3Row, Table4};

/// What a cell is required to hold (legal-rules.md §B.2–B.4: counts are non-negative integers,
/// the fee is a decimal in 万元).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellKind {
    /// A count (件): a non-negative whole number.
    Count,
    /// The 2019 format's 本年增/减: a whole number that may be negative.
    SignedCount,
    /// 本年收费金额（单位：万元）: a non-negative decimal, kept as printed.
    Fee,
    /// The 2019 format's 采购总金额, kept as printed with its unit ("73802895.90元"): only
    /// checked for being filled in.
    Amount,
}

/// One cell of a table, with its address and its Chinese name.
#[derive(Debug, Clone)]
pub(crate) struct NamedCell<'a> {
    pub name: CellName,
    pub value: &'a CellValue,
    pub kind: CellKind,
}

/// What is needed to spell a cell's address and Chinese name. Kept as static parts, and
/// spelled out only for the few cells a finding names: building both strings for every cell of
/// every table cost more than all the checks on them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellName {
    /// The address's parts (`table2.regulations.issued`): the first `depth` are used.
    path: [&'static str; 3],
    depth: usize,
    label: Label,
}

#[derive(Debug, Clone, Copy)]
enum Label {
    Fixed(&'static str),
    /// 表二“{row}”行“{column}”列
    RowColumn(&'static str, &'static str),
    /// 表二“{row}”行“本年处理决定数量”
    Decisions(&'static str),
    T3(Table3Row, Table3Column),
    /// 表四“{block}”“{column}”, the column by its key.
    T4(&'static str, &'static str),
}

impl CellName {
    fn new(path: &[&'static str], label: Label) -> Self {
        let mut parts = [""; 3];
        for (slot, part) in parts.iter_mut().zip(path) {
            *slot = part;
        }
        CellName {
            path: parts,
            depth: path.len().min(3),
            label,
        }
    }

    pub fn cref(&self) -> CellRef {
        match self.label {
            Label::T3(row, col) => t3_ref(row, col),
            _ => CellRef::new(self.path.get(..self.depth).unwrap_or_default()),
        }
    }

    pub fn label(&self) -> String {
        match self.label {
            Label::Fixed(s) => s.to_string(),
            Label::RowColumn(row, col) => format!("表二“{row}”行“{col}”列"),
            Label::Decisions(row) => format!("表二“{row}”行“本年处理决定数量”"),
            Label::T3(row, col) => t3_cell_label(row, col),
            Label::T4(block, key) => t4_cell_label(block, key),
        }
    }
}

/// The address of a table-三 cell, as [`CellRef::table3`] spells it, joined without the
/// formatting machinery (a finding can name dozens of cells).
pub(crate) fn t3_ref(row: Table3Row, column: Table3Column) -> CellRef {
    let (r, c) = (row.key(), column.key());
    let mut s = String::with_capacity("table3..".len() + r.len() + c.len());
    s.push_str("table3.");
    s.push_str(r);
    s.push('.');
    s.push_str(c);
    CellRef(s)
}

/// Texts that stand for "nothing printed here": a dash, a slash, 无. They are blank, not 0.
pub(crate) fn is_blankish_text(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.is_empty()
        || t.chars().all(|c| {
            matches!(
                c,
                '/' | '／' | '\\' | '-' | '－' | '—' | '–' | '―' | '一' | '_'
            )
        })
        || matches!(
            t.as_str(),
            "无" | "空" | "暂无" | "null" | "NULL" | "N/A" | "n/a"
        )
}

/// Digits, with full-width digits mapped to ASCII.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    }
}

/// A decimal as printed, split into parts (no float rounding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal {
    pub negative: bool,
    pub int_part: String,
    pub frac_part: String,
}

impl Decimal {
    pub fn is_whole(&self) -> bool {
        self.frac_part.chars().all(|c| c == '0')
    }
    pub fn is_zero(&self) -> bool {
        self.int_part.chars().all(|c| c == '0') && self.is_whole()
    }
}

/// Parses a printed decimal: optional sign, digits with optional thousands separators
/// ("1,234.5"), optional fraction. Full-width digits and "．" are accepted. A trailing unit
/// (`suffixes`) is dropped. Anything else is not a decimal.
pub(crate) fn parse_decimal(text: &str, suffixes: &[&str]) -> Option<Decimal> {
    let mut t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for s in suffixes {
        if let Some(stripped) = t.strip_suffix(s) {
            t = stripped.to_string();
            break;
        }
    }
    let mut chars = t.chars().peekable();
    let mut negative = false;
    if let Some(&c) = chars.peek()
        && matches!(c, '-' | '－' | '−' | '+' | '＋')
    {
        negative = matches!(c, '-' | '－' | '−');
        chars.next();
    }
    let mut int_part = String::new();
    let mut groups: Vec<usize> = vec![0];
    let mut frac_part = String::new();
    let mut in_frac = false;
    for c in chars {
        if let Some(d) = ascii_digit(c) {
            if in_frac {
                frac_part.push(d);
            } else {
                int_part.push(d);
                if let Some(last) = groups.last_mut() {
                    *last += 1;
                }
            }
        } else if matches!(c, ',' | '，') && !in_frac {
            groups.push(0);
        } else if matches!(c, '.' | '．') && !in_frac {
            in_frac = true;
        } else {
            return None;
        }
    }
    if int_part.is_empty() || (in_frac && frac_part.is_empty()) {
        return None;
    }
    // Thousands separators must separate groups of exactly three digits.
    if groups.len() > 1 {
        let first_ok = groups.first().is_some_and(|&g| (1..=3).contains(&g));
        let rest_ok = groups.iter().skip(1).all(|&g| g == 3);
        if !(first_ok && rest_ok) {
            return None;
        }
    }
    Some(Decimal {
        negative,
        int_part,
        frac_part,
    })
}

/// The whole number a count cell holds: a JSON integer, or a text that is plainly a whole
/// number ("5"). Blank, "/", "—" and any other text give `None`: they are never 0.
pub(crate) fn count(cell: &CellValue) -> Option<i64> {
    match cell {
        CellValue::Number(n) => Some(*n),
        CellValue::Text(t) => {
            let d = parse_decimal(t, &[])?;
            if !d.is_whole() {
                return None;
            }
            let n: i64 = d.int_part.parse().ok()?;
            Some(if d.negative { -n } else { n })
        }
        CellValue::Blank => None,
    }
}

/// How a cell that is not a number reads in a message: （空白） or the printed text in quotes.
pub(crate) fn describe(cell: &CellValue) -> String {
    match cell {
        CellValue::Number(n) => n.to_string(),
        CellValue::Text(t) if t.trim().is_empty() => "（空白）".to_string(),
        CellValue::Text(t) => format!("“{}”", t.trim()),
        CellValue::Blank => "（空白）".to_string(),
    }
}

/// Table 三 row label as an officer finds it in the table: sub-rows carry their group
/// ("（三）不予公开 1.属于国家秘密"), since "1.属于国家秘密" alone is not unique in kind.
pub(crate) fn t3_row_label(row: Table3Row) -> String {
    match row.group() {
        Some(group) => format!("{} {}", group.label(), row.label()),
        None => row.label().to_string(),
    }
}

/// "表三“一、本年新收政府信息公开申请数量”行“自然人”列"
pub(crate) fn t3_cell_label(row: Table3Row, column: Table3Column) -> String {
    format!("表三“{}”行“{}”列", t3_row_label(row), column.label())
}

fn table2_cells(table2: &Table2) -> Vec<NamedCell<'_>> {
    let mut out = Vec::new();
    let mut push = |path: &[&'static str], label: Label, value, kind| {
        out.push(NamedCell {
            name: CellName::new(path, label),
            value,
            kind,
        });
    };
    match table2 {
        Table2::F2021(t) => {
            for (key, name, counts) in [
                ("regulations", "规章", &t.regulations),
                (
                    "normative_documents",
                    "行政规范性文件",
                    &t.normative_documents,
                ),
            ] {
                for (col, col_name, value) in [
                    ("issued", "本年制发件数", &counts.issued),
                    ("repealed", "本年废止件数", &counts.repealed),
                    ("in_force", "现行有效件数", &counts.in_force),
                ] {
                    push(
                        &["table2", key, col],
                        Label::RowColumn(name, col_name),
                        value,
                        CellKind::Count,
                    );
                }
            }
            for (key, name, value) in [
                ("licensing", "行政许可", &t.licensing),
                ("penalty", "行政处罚", &t.penalty),
                ("coercion", "行政强制", &t.coercion),
            ] {
                push(
                    &["table2", key],
                    Label::Decisions(name),
                    value,
                    CellKind::Count,
                );
            }
            push(
                &["table2", "fees_wan_yuan"],
                Label::Fixed("表二“行政事业性收费”行“本年收费金额（单位：万元）”"),
                &t.fees_wan_yuan,
                CellKind::Fee,
            );
        }
        Table2::F2019(t) => {
            for (key, name, counts) in [
                ("regulations", "规章", &t.regulations),
                ("normative_documents", "规范性文件", &t.normative_documents),
            ] {
                for (col, col_name, value) in [
                    ("made", "本年新制作数量", &counts.made),
                    ("published", "本年新公开数量", &counts.published),
                    ("total_public", "对外公开总数量", &counts.total_public),
                ] {
                    push(
                        &["table2", key, col],
                        Label::RowColumn(name, col_name),
                        value,
                        CellKind::Count,
                    );
                }
            }
            for (key, name, items) in [
                ("licensing", "行政许可", &t.licensing),
                (
                    "other_external_services",
                    "其他对外管理服务事项",
                    &t.other_external_services,
                ),
                ("penalty", "行政处罚", &t.penalty),
                ("coercion", "行政强制", &t.coercion),
            ] {
                for (col, col_name, value, kind) in [
                    (
                        "previous_items",
                        "上一年项目数量",
                        &items.previous_items,
                        CellKind::Count,
                    ),
                    ("change", "本年增/减", &items.change, CellKind::SignedCount),
                    (
                        "decisions",
                        "处理决定数量",
                        &items.decisions,
                        CellKind::Count,
                    ),
                ] {
                    push(
                        &["table2", key, col],
                        Label::RowColumn(name, col_name),
                        value,
                        kind,
                    );
                }
            }
            for (col, col_name, value, kind) in [
                (
                    "previous_items",
                    "上一年项目数量",
                    &t.fees.previous_items,
                    CellKind::Count,
                ),
                ("change", "本年增/减", &t.fees.change, CellKind::SignedCount),
            ] {
                push(
                    &["table2", "fees", col],
                    Label::RowColumn("行政事业性收费", col_name),
                    value,
                    kind,
                );
            }
            push(
                &["table2", "procurement", "projects"],
                Label::Fixed("表二“政府集中采购”行“采购项目数量”列"),
                &t.procurement.projects,
                CellKind::Count,
            );
            push(
                &["table2", "procurement", "amount"],
                Label::Fixed("表二“政府集中采购”行“采购总金额”列"),
                &t.procurement.amount,
                CellKind::Amount,
            );
        }
    }
    out
}

fn table3_cells(table3: &Table3) -> Vec<NamedCell<'_>> {
    table3
        .iter()
        .flat_map(|(row, cols)| {
            Table3Column::ALL.into_iter().map(move |col| NamedCell {
                name: CellName::new(&["table3"], Label::T3(*row, col)),
                value: cols.get(col),
                kind: CellKind::Count,
            })
        })
        .collect()
}

/// "表四“行政复议”“结果维持”"
pub(crate) fn t4_cell_label(block_label: &str, cell_key: &str) -> String {
    format!("表四“{block_label}”“{}”", t4_column_label(cell_key))
}

pub(crate) fn t4_column_label(cell_key: &str) -> &'static str {
    match cell_key {
        "upheld" => "结果维持",
        "corrected" => "结果纠正",
        "other" => "其他结果",
        "pending" => "尚未审结",
        "total" => "总计",
        _ => "（未知列）",
    }
}

fn table4_cells(table4: &Table4) -> Vec<NamedCell<'_>> {
    table4
        .blocks()
        .into_iter()
        .flat_map(|(key, label, block)| {
            block
                .cells()
                .into_iter()
                .map(move |(cell_key, value)| NamedCell {
                    name: CellName::new(&["table4", key, cell_key], Label::T4(label, cell_key)),
                    value,
                    kind: CellKind::Count,
                })
        })
        .collect()
}

/// The cells of each present table, grouped by table with its Chinese name.
pub(crate) fn all_tables(
    tables: &crate::model::ReportTables,
) -> Vec<(&'static str, Vec<NamedCell<'_>>)> {
    let mut out = Vec::new();
    if let Some(t2) = &tables.table2 {
        out.push(("表二", table2_cells(t2)));
    }
    if let Some(t3) = &tables.table3 {
        out.push(("表三", table3_cells(t3)));
    }
    if let Some(t4) = &tables.table4 {
        out.push(("表四", table4_cells(t4)));
    }
    out
}

/// Lists names for a message, at most `max` of them, then "等N处".
pub(crate) fn list_names(names: &[String], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
    let mut out = shown.join("；");
    if names.len() > max {
        out.push_str(&format!("……等共{}处", names.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t3_ref_spells_like_model() {
        for row in Table3Row::ALL {
            for col in Table3Column::ALL {
                assert_eq!(t3_ref(row, col), CellRef::table3(row, col));
            }
        }
    }

    #[test]
    fn decimals() {
        assert!(parse_decimal("7730.28", &[]).is_some());
        assert!(parse_decimal("0", &[]).is_some());
        assert!(parse_decimal("24252.311082", &[]).is_some());
        assert!(parse_decimal("1,234.5", &[]).is_some());
        assert!(parse_decimal("１２．５", &[]).is_some());
        assert!(parse_decimal("12,34", &[]).is_none());
        assert!(parse_decimal("7.", &[]).is_none());
        assert!(parse_decimal("abc", &[]).is_none());
        assert!(parse_decimal("", &[]).is_none());
        assert!(parse_decimal("5万元", &["万元"]).is_some());
        assert!(parse_decimal("-3", &[]).is_some_and(|d| d.negative));
    }

    #[test]
    fn counts_never_read_blank_as_zero() {
        assert_eq!(count(&CellValue::Blank), None);
        assert_eq!(count(&CellValue::Text("/".into())), None);
        assert_eq!(count(&CellValue::Text("—".into())), None);
        assert_eq!(count(&CellValue::Text("5".into())), Some(5));
        assert_eq!(count(&CellValue::Text("5.5".into())), None);
        assert_eq!(count(&CellValue::Text("5.0".into())), Some(5));
        assert_eq!(count(&CellValue::Number(-2)), Some(-2));
        assert!(is_blankish_text(" / "));
        assert!(is_blankish_text("——"));
        assert!(!is_blankish_text("7"));
    }
}
