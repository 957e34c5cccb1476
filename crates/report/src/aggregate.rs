//! The aggregate (汇总, issue 7): a government's tables as the sum of its own and its subordinate
//! organs' tables, cell by cell, so that a supervisor sees each organ side by side with the total.
//!
//! Rules for one cell (tables 二/三/四 of the 2021 format, report-model.md §2):
//!
//! - numbers add; a blank cell adds nothing (blank + n = n), and a cell blank in every part stays
//!   blank (a blank is never turned into 0);
//! - a cell kept as text that is a decimal number (行政事业性收费 in 万元, "7730.28") adds as an
//!   exact decimal, never through floating point, with as many decimals as the most precise part;
//! - a cell that cannot be added — text that is not a number ("/", "—", "无"), a cell a part does
//!   not print at all (a table missing, table 二 in the 2019 layout, or a family of table 三
//!   printed as one row by one part and as sub-rows by another), a sum past the range of a cell —
//!   is blank in the sum and listed in [`Aggregate::unsummed`], so the total never silently leaves
//!   a part out.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    CellRef, CellValue, DocumentCounts, ReportFormat, ReportTables, ReviewBlock, Table2,
    Table2v2021, Table3, Table3Column, Table3Columns, Table3Row, Table4,
};

/// The sum of several reports' tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// The summed tables in the 2021 layout. `organ` is left empty for the caller to name the
    /// aggregate; `year` is the parts' year when they all agree. A table no part prints is absent.
    pub tables: ReportTables,
    /// The cells that could not be summed (blank in `tables`), in address order.
    pub unsummed: Vec<CellRef>,
}

/// Sums `parts` cell by cell (rules in the module documentation).
pub fn sum(parts: &[&ReportTables]) -> Aggregate {
    let mut unsummed = BTreeSet::new();
    let years: BTreeSet<Option<i32>> = parts.iter().map(|p| p.year).collect();
    let year = match years.into_iter().collect::<Vec<_>>().as_slice() {
        [Some(y)] => Some(*y),
        _ => None,
    };
    let tables = ReportTables {
        organ: None,
        year,
        format: ReportFormat::F2021,
        table2: sum_table2(parts, &mut unsummed).map(Table2::F2021),
        table3: sum_table3(parts, &mut unsummed),
        table4: sum_table4(parts, &mut unsummed),
    };
    Aggregate {
        tables,
        unsummed: unsummed.into_iter().collect(),
    }
}

/// The address below `table2` of the ten cells of table 二 (2021 layout), in printed order.
const TABLE2_CELLS: [&[&str]; 10] = [
    &["regulations", "issued"],
    &["regulations", "repealed"],
    &["regulations", "in_force"],
    &["normative_documents", "issued"],
    &["normative_documents", "repealed"],
    &["normative_documents", "in_force"],
    &["licensing"],
    &["penalty"],
    &["coercion"],
    &["fees_wan_yuan"],
];

fn table2_values(t: &Table2v2021) -> [&CellValue; 10] {
    [
        &t.regulations.issued,
        &t.regulations.repealed,
        &t.regulations.in_force,
        &t.normative_documents.issued,
        &t.normative_documents.repealed,
        &t.normative_documents.in_force,
        &t.licensing,
        &t.penalty,
        &t.coercion,
        &t.fees_wan_yuan,
    ]
}

fn table2_from(values: [CellValue; 10]) -> Table2v2021 {
    let [
        r1,
        r2,
        r3,
        n1,
        n2,
        n3,
        licensing,
        penalty,
        coercion,
        fees_wan_yuan,
    ] = values;
    Table2v2021 {
        regulations: DocumentCounts {
            issued: r1,
            repealed: r2,
            in_force: r3,
        },
        normative_documents: DocumentCounts {
            issued: n1,
            repealed: n2,
            in_force: n3,
        },
        licensing,
        penalty,
        coercion,
        fees_wan_yuan,
    }
}

fn sum_table2(parts: &[&ReportTables], unsummed: &mut BTreeSet<CellRef>) -> Option<Table2v2021> {
    if parts.iter().all(|p| p.table2.is_none()) {
        return None;
    }
    // A 2019-layout table 二 counts other things (made/published, item counts): it has no cell
    // that matches a 2021 cell, so each 2021 cell misses that part.
    let tables: Vec<Option<&Table2v2021>> = parts
        .iter()
        .map(|p| match &p.table2 {
            Some(Table2::F2021(t)) => Some(t),
            _ => None,
        })
        .collect();
    let mut out: [CellValue; 10] = Default::default();
    for (i, path) in TABLE2_CELLS.iter().enumerate() {
        let at = CellRef::new(&[&["table2"][..], path].concat());
        let cells = tables.iter().map(|t| t.map(|t| table2_values(t)[i]));
        out[i] = sum_cell(at, cells, unsummed);
    }
    Some(table2_from(out))
}

fn sum_table3(parts: &[&ReportTables], unsummed: &mut BTreeSet<CellRef>) -> Option<Table3> {
    if parts.iter().all(|p| p.table3.is_none()) {
        return None;
    }
    // Every row any part prints; a row another part does not print is a cell it misses.
    let rows: BTreeSet<Table3Row> = parts
        .iter()
        .filter_map(|p| p.table3.as_ref())
        .flat_map(|t| t.keys().copied())
        .collect();
    let mut out = BTreeMap::new();
    for row in rows {
        let mut columns = Table3Columns::default();
        for column in Table3Column::ALL {
            let cells = parts
                .iter()
                .map(|p| p.table3.as_ref()?.get(&row).map(|c| c.get(column)));
            *columns.get_mut(column) = sum_cell(CellRef::table3(row, column), cells, unsummed);
        }
        out.insert(row, columns);
    }
    Some(out)
}

fn review_values(b: &ReviewBlock) -> [&CellValue; 5] {
    b.cells().map(|(_, c)| c)
}

fn sum_table4(parts: &[&ReportTables], unsummed: &mut BTreeSet<CellRef>) -> Option<Table4> {
    if parts.iter().all(|p| p.table4.is_none()) {
        return None;
    }
    let mut blocks: [ReviewBlock; 3] = Default::default();
    let keys = Table4::default().blocks().map(|(key, _, _)| key);
    let columns = ReviewBlock::default().cells().map(|(key, _)| key);
    for (b, block_key) in keys.iter().enumerate() {
        let mut values: [CellValue; 5] = Default::default();
        for (c, column_key) in columns.iter().enumerate() {
            let cells = parts
                .iter()
                .map(|p| p.table4.as_ref().map(|t| review_values(t.blocks()[b].2)[c]));
            values[c] = sum_cell(
                CellRef::new(&["table4", block_key, column_key]),
                cells,
                unsummed,
            );
        }
        blocks[b] = ReviewBlock::from_values(values);
    }
    let [
        reconsideration,
        litigation_direct,
        litigation_after_reconsideration,
    ] = blocks;
    Some(Table4 {
        reconsideration,
        litigation_direct,
        litigation_after_reconsideration,
    })
}

/// One cell of the sum from the parts' cells (`None`: the part does not print the cell).
fn sum_cell<'a>(
    at: CellRef,
    cells: impl Iterator<Item = Option<&'a CellValue>>,
    unsummed: &mut BTreeSet<CellRef>,
) -> CellValue {
    let mut total: Option<Decimal> = None;
    let mut as_text = false;
    for cell in cells {
        let value = match cell {
            None => None,
            Some(CellValue::Blank) => continue,
            Some(CellValue::Number(n)) => Some(Decimal::whole(*n)),
            Some(CellValue::Text(t)) => {
                as_text = true;
                Decimal::parse(t)
            }
        };
        let added = match (value, total) {
            (Some(v), None) => Some(v),
            (Some(v), Some(t)) => t.checked_add(v),
            (None, _) => None,
        };
        let Some(added) = added else {
            unsummed.insert(at);
            return CellValue::Blank;
        };
        total = Some(added);
    }
    match total {
        None => CellValue::Blank,
        // Kept as text when a part printed it so (the fee in 万元), like every printed fee.
        Some(t) if as_text => CellValue::Text(t.to_string()),
        Some(t) => match t.whole_number() {
            Some(n) => CellValue::Number(n),
            None => {
                unsummed.insert(at);
                CellValue::Blank
            }
        },
    }
}

/// An exact decimal: `units` × 10^−`scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    units: i128,
    scale: u32,
}

/// More decimals than any printed amount has; beyond it a cell is not read as a number.
const MAX_SCALE: u32 = 18;

impl Decimal {
    fn whole(n: i64) -> Decimal {
        Decimal {
            units: i128::from(n),
            scale: 0,
        }
    }

    /// A plain decimal as printed: optional sign, digits, optionally `.` and digits ("12",
    /// "7730.28", "-3"). Anything else (units, separators, "/") is not a number here.
    fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || (digits.contains('.') && fraction.is_empty())
        {
            return None;
        }
        let scale = u32::try_from(fraction.len())
            .ok()
            .filter(|s| *s <= MAX_SCALE)?;
        let mut units: i128 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            units = units.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        Some(Decimal {
            units: if negative { -units } else { units },
            scale,
        })
    }

    fn rescaled(self, scale: u32) -> Option<i128> {
        self.units
            .checked_mul(10i128.checked_pow(scale.checked_sub(self.scale)?)?)
    }

    fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        Some(Decimal {
            units: self.rescaled(scale)?.checked_add(other.rescaled(scale)?)?,
            scale,
        })
    }

    fn whole_number(self) -> Option<i64> {
        if self.scale == 0 {
            i64::try_from(self.units).ok()
        } else {
            None
        }
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let magnitude = self.units.unsigned_abs();
        if self.scale == 0 {
            return write!(f, "{sign}{magnitude}");
        }
        let unit = 10u128.pow(self.scale);
        let width = usize::try_from(self.scale).unwrap_or(0);
        write!(
            f,
            "{sign}{}.{:0width$}",
            magnitude / unit,
            magnitude % unit,
            width = width
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::build::{CaseFacts, OtherFigures, table2, table3};
    use chrono::NaiveDate;
    use gongkai_law::{ApplicantType, CaseDates, ResultRow};

    fn report(t2: Option<Table2v2021>, t3: Option<Table3>, t4: Option<Table4>) -> ReportTables {
        ReportTables {
            organ: Some("某局".to_owned()),
            year: Some(2023),
            format: ReportFormat::F2021,
            table2: t2.map(Table2::F2021),
            table3: t3,
            table4: t4,
        }
    }

    fn t2(licensing: CellValue, fees: CellValue) -> Table2v2021 {
        Table2v2021 {
            licensing,
            fees_wan_yuan: fees,
            ..Table2v2021::default()
        }
    }

    fn text(s: &str) -> CellValue {
        CellValue::Text(s.to_owned())
    }

    fn sum_of(parts: &[ReportTables]) -> Aggregate {
        sum(&parts.iter().collect::<Vec<_>>())
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Cases of one organ: `n` of each applicant type, received in 2022 and 2023, some open.
    fn cases(first_id: u32, n: u32) -> Vec<CaseFacts<u32>> {
        let mut out = Vec::new();
        for i in 0..n {
            for (k, applicant) in ApplicantType::ALL.into_iter().enumerate() {
                let id = first_id + i * 10 + u32::try_from(k).unwrap();
                let received = if i % 3 == 0 {
                    "2022-12-20"
                } else {
                    "2023-05-04"
                };
                let closed = (i % 4 != 1).then(|| d("2023-06-01"));
                out.push(CaseFacts {
                    id,
                    applicant,
                    dates: CaseDates::new(d(received), closed).unwrap(),
                    result: closed.map(|_| ResultRow::ALL[usize::try_from(i).unwrap() % 21]),
                });
            }
        }
        out
    }

    #[test]
    fn the_sum_of_organs_table3_is_the_table3_of_all_their_cases() {
        let a = cases(1_000, 7);
        let b = cases(2_000, 11);
        let parts = [
            report(None, Some(table3(&a, 2023).unwrap().table), None),
            report(None, Some(table3(&b, 2023).unwrap().table), None),
        ];
        let all: Vec<_> = a.into_iter().chain(b).collect();
        let aggregate = sum_of(&parts);
        assert_eq!(
            aggregate.tables.table3,
            Some(table3(&all, 2023).unwrap().table)
        );
        assert!(aggregate.unsummed.is_empty());
        assert_eq!(aggregate.tables.year, Some(2023));
    }

    #[test]
    fn counts_of_tables_2_and_4_add_and_blank_adds_nothing() {
        let other = |licensing| OtherFigures {
            licensing,
            penalty: 2,
            coercion: 0,
            fees_wan_yuan: "0".to_owned(),
        };
        let mut first = table2::<u32>(&[], &other(5), 2023).table;
        first.regulations.in_force = CellValue::Number(3);
        first.regulations.issued = CellValue::Blank;
        let mut second = table2::<u32>(&[], &other(7), 2023).table;
        second.regulations.in_force = CellValue::Blank;
        second.regulations.issued = CellValue::Blank;
        let mut review = Table4::default();
        review.reconsideration.upheld = CellValue::Number(2);
        review.reconsideration.total = CellValue::Number(2);
        let mut review2 = Table4::default();
        review2.reconsideration.upheld = CellValue::Number(1);
        review2.reconsideration.total = CellValue::Number(1);
        let aggregate = sum_of(&[
            report(Some(first), None, Some(review)),
            report(Some(second), None, Some(review2)),
        ]);
        let Some(Table2::F2021(t)) = &aggregate.tables.table2 else {
            panic!("table 二 summed")
        };
        assert_eq!(t.licensing, CellValue::Number(12));
        assert_eq!(t.penalty, CellValue::Number(4));
        assert_eq!(t.regulations.in_force, CellValue::Number(3), "blank + 3");
        // Blank in both parts stays blank: never turned into 0.
        assert_eq!(t.regulations.issued, CellValue::Blank);
        let t4 = aggregate.tables.table4.unwrap();
        assert_eq!(t4.reconsideration.upheld, CellValue::Number(3));
        assert_eq!(t4.reconsideration.total, CellValue::Number(3));
        assert_eq!(t4.litigation_direct.total, CellValue::Blank);
        assert!(aggregate.unsummed.is_empty());
        assert!(
            aggregate.tables.table3.is_none(),
            "no part printed table 三"
        );
    }

    #[test]
    fn fees_add_as_exact_decimals_with_the_most_decimals_of_any_part() {
        let fees = |cells: &[CellValue]| {
            let parts: Vec<_> = cells
                .iter()
                .map(|c| report(Some(t2(CellValue::Blank, c.clone())), None, None))
                .collect();
            let aggregate = sum_of(&parts);
            assert!(aggregate.unsummed.is_empty(), "{:?}", aggregate.unsummed);
            let Some(Table2::F2021(t)) = aggregate.tables.table2 else {
                panic!("table 二 summed")
            };
            t.fees_wan_yuan
        };
        // 0.1 + 0.2 is 0.30000000000000004 in floating point.
        assert_eq!(fees(&[text("0.1"), text("0.2")]), text("0.3"));
        assert_eq!(fees(&[text("12"), text("3.50")]), text("15.50"));
        assert_eq!(
            fees(&[text("7730.28"), CellValue::Number(1), CellValue::Blank]),
            text("7731.28")
        );
        assert_eq!(fees(&[text("0"), text(" 0.005 ")]), text("0.005"));
        assert_eq!(fees(&[text("-1.5"), text("0.25")]), text("-1.25"));
        assert_eq!(fees(&[text("0")]), text("0"));
    }

    #[test]
    fn a_cell_that_is_not_a_number_makes_that_cell_blank_and_is_reported() {
        let aggregate = sum_of(&[
            report(Some(t2(CellValue::Number(1), text("/"))), None, None),
            report(Some(t2(text("—"), text("2.5"))), None, None),
            report(Some(t2(CellValue::Number(4), text("1"))), None, None),
        ]);
        let Some(Table2::F2021(t)) = &aggregate.tables.table2 else {
            panic!("table 二 summed")
        };
        assert_eq!(t.fees_wan_yuan, CellValue::Blank);
        assert_eq!(t.licensing, CellValue::Blank);
        assert_eq!(
            aggregate.unsummed,
            vec![
                CellRef::new(&["table2", "fees_wan_yuan"]),
                CellRef::new(&["table2", "licensing"]),
            ]
        );
        // The other cells still add.
        assert_eq!(t.regulations.issued, CellValue::Blank);
        for bad in ["1,000", "12万元", "1.", ".5", "", "1e3", "１２"] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_cell_a_part_does_not_print_is_reported_not_left_out() {
        let mut grouped = Table3::new();
        grouped.insert(
            Table3Row::Denied,
            Table3Columns::from_values(std::array::from_fn(|_| CellValue::Number(1))),
        );
        grouped.insert(
            Table3Row::Granted,
            Table3Columns::from_values(std::array::from_fn(|_| CellValue::Number(2))),
        );
        let mut detailed = Table3::new();
        detailed.insert(
            Table3Row::DeniedStateSecret,
            Table3Columns::from_values(std::array::from_fn(|_| CellValue::Number(1))),
        );
        detailed.insert(
            Table3Row::Granted,
            Table3Columns::from_values(std::array::from_fn(|_| CellValue::Number(5))),
        );
        let aggregate = sum_of(&[
            report(None, Some(grouped), Some(Table4::default())),
            report(None, Some(detailed), None),
        ]);
        let t3 = aggregate.tables.table3.unwrap();
        assert_eq!(t3[&Table3Row::Granted].total, CellValue::Number(7));
        assert_eq!(t3[&Table3Row::Denied].total, CellValue::Blank);
        assert_eq!(t3[&Table3Row::DeniedStateSecret].total, CellValue::Blank);
        for column in Table3Column::ALL {
            for row in [Table3Row::Denied, Table3Row::DeniedStateSecret] {
                assert!(
                    aggregate.unsummed.contains(&CellRef::table3(row, column)),
                    "{row:?} {column:?}"
                );
            }
        }
        // Table 四 missing from the second part: every one of its 15 cells is reported.
        let t4_missing = aggregate
            .unsummed
            .iter()
            .filter(|c| c.0.starts_with("table4."))
            .count();
        assert_eq!(t4_missing, 15);
    }

    #[test]
    fn a_count_past_the_range_of_a_cell_is_reported() {
        let big = |n| report(Some(t2(CellValue::Number(n), text("0"))), None, None);
        let aggregate = sum_of(&[big(i64::MAX), big(1)]);
        assert_eq!(
            aggregate.unsummed,
            vec![CellRef::new(&["table2", "licensing"])]
        );
    }

    #[test]
    fn parts_of_different_years_give_a_sum_without_a_year() {
        let mut other = report(None, None, None);
        other.year = Some(2022);
        assert_eq!(sum_of(&[report(None, None, None), other]).tables.year, None);
        assert_eq!(sum(&[]).tables.table3, None);
    }
}
