//! Tables computed from records (issue 7): the report builder's pure part. The store collects the
//! facts of each case; this module counts them into the canonical model with, for every cell, the
//! ids of the records it counts (the drill-down a reviewer opens), so the same check catalogue as
//! the auditor's runs on the result.
//!
//! Table 三 (国办公开办函〔2021〕30号): the column is the applicant type; the header and footer rows
//! come from the case's dates by the law crate's year rules (`CaseDates`: 本年新收 by receipt date,
//! 上年结转, 本年办结 by closing date, 结转下年度 — never typed); a case closed in the year counts in
//! the result row of its outcome and in 总计.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use gongkai_law::{ApplicantType, CaseDates, ResultRow};

use crate::model::{
    CellRef, CellValue, DocumentCounts, Table2v2021, Table3, Table3Column, Table3Columns, Table3Row,
};

impl From<ResultRow> for Table3Row {
    /// The result rows of the law crate are the detailed rows of the 2021 layout, one for one.
    fn from(row: ResultRow) -> Self {
        match row {
            ResultRow::Granted => Table3Row::Granted,
            ResultRow::PartiallyGranted => Table3Row::PartiallyGranted,
            ResultRow::DeniedStateSecret => Table3Row::DeniedStateSecret,
            ResultRow::DeniedProhibitedByLaw => Table3Row::DeniedProhibitedByLaw,
            ResultRow::DeniedEndangersSecurityStability => {
                Table3Row::DeniedEndangersSecurityStability
            }
            ResultRow::DeniedThirdPartyRights => Table3Row::DeniedThirdPartyRights,
            ResultRow::DeniedInternalAffairs => Table3Row::DeniedInternalAffairs,
            ResultRow::DeniedProcessInformation => Table3Row::DeniedProcessInformation,
            ResultRow::DeniedEnforcementFile => Table3Row::DeniedEnforcementFile,
            ResultRow::DeniedAdministrativeQuery => Table3Row::DeniedAdministrativeQuery,
            ResultRow::UnableNotHeld => Table3Row::UnableNotHeld,
            ResultRow::UnableNeedsCreation => Table3Row::UnableNeedsCreation,
            ResultRow::UnableUnclearAfterCorrection => Table3Row::UnableUnclearAfterCorrection,
            ResultRow::NotProcessedPetitionComplaint => Table3Row::NotProcessedPetitionComplaint,
            ResultRow::NotProcessedRepeated => Table3Row::NotProcessedRepeated,
            ResultRow::NotProcessedPublication => Table3Row::NotProcessedPublication,
            ResultRow::NotProcessedExcessive => Table3Row::NotProcessedExcessive,
            ResultRow::NotProcessedConfirmOrReissue => Table3Row::NotProcessedConfirmOrReissue,
            ResultRow::OtherOverdueCorrection => Table3Row::OtherOverdueCorrection,
            ResultRow::OtherOverdueFee => Table3Row::OtherOverdueFee,
            ResultRow::OtherOther => Table3Row::OtherOther,
        }
    }
}

impl From<ApplicantType> for Table3Column {
    fn from(t: ApplicantType) -> Self {
        match t {
            ApplicantType::NaturalPerson => Table3Column::NaturalPerson,
            ApplicantType::CommercialEnterprise => Table3Column::CommercialEnterprise,
            ApplicantType::ResearchInstitution => Table3Column::ResearchInstitution,
            ApplicantType::SocialWelfareOrg => Table3Column::SocialWelfareOrg,
            ApplicantType::LegalServiceOrg => Table3Column::LegalServiceOrg,
            ApplicantType::OtherOrg => Table3Column::OtherOrg,
        }
    }
}

/// The rows of table 三 in the 2021 layout, as a built report prints them: the detailed result
/// rows, without the one-line family rows some reports print instead.
pub const TABLE3_ROWS_2021: [Table3Row; 25] = [
    Table3Row::NewReceived,
    Table3Row::CarriedOver,
    Table3Row::Granted,
    Table3Row::PartiallyGranted,
    Table3Row::DeniedStateSecret,
    Table3Row::DeniedProhibitedByLaw,
    Table3Row::DeniedEndangersSecurityStability,
    Table3Row::DeniedThirdPartyRights,
    Table3Row::DeniedInternalAffairs,
    Table3Row::DeniedProcessInformation,
    Table3Row::DeniedEnforcementFile,
    Table3Row::DeniedAdministrativeQuery,
    Table3Row::UnableNotHeld,
    Table3Row::UnableNeedsCreation,
    Table3Row::UnableUnclearAfterCorrection,
    Table3Row::NotProcessedPetitionComplaint,
    Table3Row::NotProcessedRepeated,
    Table3Row::NotProcessedPublication,
    Table3Row::NotProcessedExcessive,
    Table3Row::NotProcessedConfirmOrReissue,
    Table3Row::OtherOverdueCorrection,
    Table3Row::OtherOverdueFee,
    Table3Row::OtherOther,
    Table3Row::TotalProcessed,
    Table3Row::CarriedForward,
];

/// One application as table 三 sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts<I> {
    /// The caller's id of the case (the drill-down lists these).
    pub id: I,
    pub applicant: ApplicantType,
    /// Receipt (Art 31) and closing dates.
    pub dates: CaseDates,
    /// The result row of a closed case; `None` while open.
    pub result: Option<ResultRow>,
}

/// A built table with the records behind each cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Built<T, I> {
    pub table: T,
    /// For every cell of the table (zero cells included, with an empty list), the ids counted.
    pub cells: BTreeMap<CellRef, Vec<I>>,
}

/// Why table 三 cannot be built from the cases given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A case closed in the year has no result row: its outcome was never recorded.
    #[error("有已办结的申请没有办理结果（记录编号 {0}），请在案件页面补记答复结果")]
    ClosedWithoutResult(String),
}

/// Table 三 of `year` from the cases (any cases may be given: those outside the year count
/// nowhere).
pub fn table3<I: Clone + std::fmt::Debug>(
    cases: &[CaseFacts<I>],
    year: i32,
) -> Result<Built<Table3, I>, BuildError> {
    // Counted under (row, column) keys, which compare without building the text address of
    // the cell for every case (a district aggregate counts half a million cases); addressed as
    // `CellRef`s once at the end.
    let mut counted: BTreeMap<(Table3Row, Table3Column), Vec<I>> = BTreeMap::new();
    for row in TABLE3_ROWS_2021 {
        for column in Table3Column::ALL {
            counted.insert((row, column), Vec::new());
        }
    }
    let mut count = |row: Table3Row, column: Table3Column, id: &I| {
        for c in [column, Table3Column::Total] {
            if let Some(list) = counted.get_mut(&(row, c)) {
                list.push(id.clone());
            }
        }
    };
    for case in cases {
        let status = case.dates.status(year);
        let column = Table3Column::from(case.applicant);
        if status.new_received {
            count(Table3Row::NewReceived, column, &case.id);
        }
        if status.carried_over {
            count(Table3Row::CarriedOver, column, &case.id);
        }
        if status.processed {
            let Some(result) = case.result else {
                return Err(BuildError::ClosedWithoutResult(format!("{:?}", case.id)));
            };
            count(Table3Row::from(result), column, &case.id);
            count(Table3Row::TotalProcessed, column, &case.id);
        }
        if status.carried_forward {
            count(Table3Row::CarriedForward, column, &case.id);
        }
    }
    let mut table = Table3::new();
    for row in TABLE3_ROWS_2021 {
        let mut columns = Table3Columns::default();
        for column in Table3Column::ALL {
            let n = counted.get(&(row, column)).map_or(0, Vec::len);
            *columns.get_mut(column) = CellValue::Number(i64::try_from(n).unwrap_or(i64::MAX));
        }
        table.insert(row, columns);
    }
    let cells = counted
        .into_iter()
        .map(|((row, column), ids)| (CellRef::table3(row, column), ids))
        .collect();
    Ok(Built { table, cells })
}

/// Which row of table 二 (第二十条第（一）项) a document counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// 规章
    Regulation,
    /// 行政规范性文件
    NormativeDocument,
}

/// A 规章 or 行政规范性文件 as table 二 sees it (from the item's 体裁 and 有效性).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFacts<I> {
    pub id: I,
    pub kind: DocumentKind,
    /// 成文日期: the day the document was made (本年制发 counts by it).
    pub made_on: NaiveDate,
    /// The day it was repealed or expired (有效性 废止/失效), if it was.
    pub ended_on: Option<NaiveDate>,
}

/// The figures of table 二 that live in other systems (行政许可、处罚、强制 decisions; 行政事业性收费
/// in 万元), entered or imported with their source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OtherFigures {
    pub licensing: i64,
    pub penalty: i64,
    pub coercion: i64,
    /// As printed, e.g. "0" or "12.35".
    pub fees_wan_yuan: String,
}

/// Table 二 (2021 layout) of `year`. Rules (legal-rules.md §B.2; the choice of dates is common
/// practice, marked \[P\] there): 本年制发 = made in the year; 本年废止 = repealed or expired in the
/// year (a 失效 document no longer binds either); 现行有效 = made by 31 December and not ended by
/// then.
pub fn table2<I: Clone>(
    documents: &[DocumentFacts<I>],
    other: &OtherFigures,
    year: i32,
) -> Built<Table2v2021, I> {
    let end_of_year = NaiveDate::from_ymd_opt(year, 12, 31);
    let mut cells: BTreeMap<CellRef, Vec<I>> = BTreeMap::new();
    for block in ["regulations", "normative_documents"] {
        for column in ["issued", "repealed", "in_force"] {
            cells.insert(CellRef::new(&["table2", block, column]), Vec::new());
        }
    }
    for doc in documents {
        let block = match doc.kind {
            DocumentKind::Regulation => "regulations",
            DocumentKind::NormativeDocument => "normative_documents",
        };
        let mut put = |column: &str| {
            if let Some(list) = cells.get_mut(&CellRef::new(&["table2", block, column])) {
                list.push(doc.id.clone());
            }
        };
        if doc.made_on.year() == year {
            put("issued");
        }
        if doc.ended_on.is_some_and(|e| e.year() == year) {
            put("repealed");
        }
        let in_force = end_of_year
            .is_some_and(|end| doc.made_on <= end && doc.ended_on.is_none_or(|e| e > end));
        if in_force {
            put("in_force");
        }
    }
    let n = |block: &str, column: &str| {
        let count = cells
            .get(&CellRef::new(&["table2", block, column]))
            .map_or(0, Vec::len);
        CellValue::Number(i64::try_from(count).unwrap_or(i64::MAX))
    };
    let counts = |block: &str| DocumentCounts {
        issued: n(block, "issued"),
        repealed: n(block, "repealed"),
        in_force: n(block, "in_force"),
    };
    let table = Table2v2021 {
        regulations: counts("regulations"),
        normative_documents: counts("normative_documents"),
        licensing: CellValue::Number(other.licensing),
        penalty: CellValue::Number(other.penalty),
        coercion: CellValue::Number(other.coercion),
        // A decimal in 万元, kept as text like every printed fee (report-model.md §2).
        fees_wan_yuan: CellValue::Text(if other.fees_wan_yuan.trim().is_empty() {
            "0".to_owned()
        } else {
            other.fees_wan_yuan.trim().to_owned()
        }),
    };
    Built { table, cells }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn case(
        id: u32,
        applicant: ApplicantType,
        received: &str,
        closed: Option<&str>,
        result: Option<ResultRow>,
    ) -> CaseFacts<u32> {
        CaseFacts {
            id,
            applicant,
            dates: CaseDates::new(d(received), closed.map(d)).unwrap(),
            result,
        }
    }

    fn cell(built: &Built<Table3, u32>, row: Table3Row, column: Table3Column) -> i64 {
        built.table[&row].get(column).number().unwrap()
    }

    #[test]
    fn every_result_row_has_its_own_row_of_the_2021_layout() {
        for row in ResultRow::ALL {
            let t = Table3Row::from(row);
            assert_eq!(t.key(), row.key(), "the same canonical key");
            assert!(TABLE3_ROWS_2021.contains(&t));
        }
    }

    #[test]
    fn cases_fall_in_the_rows_their_dates_and_outcomes_give() {
        use ApplicantType::*;
        let cases = [
            // Received last year, answered this year: carried over and processed.
            case(
                1,
                NaturalPerson,
                "2022-12-20",
                Some("2023-01-10"),
                Some(ResultRow::Granted),
            ),
            // Received and answered this year.
            case(
                2,
                CommercialEnterprise,
                "2023-03-01",
                Some("2023-03-20"),
                Some(ResultRow::UnableNotHeld),
            ),
            // Received this year, still open at 31 December: carried forward.
            case(3, NaturalPerson, "2023-12-20", None, None),
            // Outside the year entirely.
            case(
                4,
                NaturalPerson,
                "2021-05-01",
                Some("2021-05-20"),
                Some(ResultRow::Granted),
            ),
        ];
        let built = table3(&cases, 2023).unwrap();
        assert_eq!(cell(&built, Table3Row::NewReceived, Table3Column::Total), 2);
        assert_eq!(
            cell(&built, Table3Row::CarriedOver, Table3Column::NaturalPerson),
            1
        );
        assert_eq!(
            cell(&built, Table3Row::Granted, Table3Column::NaturalPerson),
            1
        );
        assert_eq!(
            cell(
                &built,
                Table3Row::UnableNotHeld,
                Table3Column::CommercialEnterprise
            ),
            1
        );
        assert_eq!(
            cell(&built, Table3Row::TotalProcessed, Table3Column::Total),
            2
        );
        assert_eq!(
            cell(&built, Table3Row::CarriedForward, Table3Column::Total),
            1
        );
        // Header identity of the year: R1 + R2 = 总计 + R4.
        assert_eq!(
            cell(&built, Table3Row::NewReceived, Table3Column::Total)
                + cell(&built, Table3Row::CarriedOver, Table3Column::Total),
            cell(&built, Table3Row::TotalProcessed, Table3Column::Total)
                + cell(&built, Table3Row::CarriedForward, Table3Column::Total)
        );
        // The drill-down names the cases.
        assert_eq!(
            built.cells[&CellRef::table3(Table3Row::NewReceived, Table3Column::Total)],
            vec![2, 3]
        );
        assert!(
            built.cells[&CellRef::table3(Table3Row::Granted, Table3Column::OtherOrg)].is_empty()
        );
        // Every printed cell is a number, zero included.
        assert_eq!(built.table.len(), TABLE3_ROWS_2021.len());
    }

    #[test]
    fn a_closed_case_without_an_outcome_is_refused_with_its_id() {
        let cases = [case(
            7,
            ApplicantType::NaturalPerson,
            "2023-03-01",
            Some("2023-03-02"),
            None,
        )];
        let err = table3(&cases, 2023).unwrap_err();
        assert!(err.to_string().contains('7'), "{err}");
    }

    /// What the builder produces passes the auditor's own table-三 checks (identity, outcomes,
    /// row totals) for every year, whatever mix of cases it is given.
    #[test]
    fn built_tables_pass_the_auditors_table3_checks() {
        use crate::checks::{CheckInput, run_checks};
        use crate::model::{ReportFormat, ReportTables};
        let mut cases = Vec::new();
        let mut seed: u64 = 7;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for id in 0..500u32 {
            let received =
                d("2021-01-01") + chrono::Duration::days(i64::try_from(next(1000)).unwrap());
            let open = next(5) == 0;
            let closed = (!open)
                .then(|| received + chrono::Duration::days(i64::try_from(next(90)).unwrap()));
            let applicant = ApplicantType::ALL[usize::try_from(next(6)).unwrap()];
            let result = closed.map(|_| ResultRow::ALL[usize::try_from(next(21)).unwrap()]);
            cases.push(CaseFacts {
                id,
                applicant,
                dates: CaseDates::new(received, closed).unwrap(),
                result,
            });
        }
        for year in 2021..=2024 {
            let built = table3(&cases, year).unwrap();
            let tables = ReportTables {
                organ: Some("测试机关".to_owned()),
                year: Some(year),
                format: ReportFormat::F2021,
                table2: None,
                table3: Some(built.table),
                table4: None,
            };
            let findings = run_checks(&CheckInput::new(&tables), None);
            let t3: Vec<_> = findings
                .iter()
                .filter(|f| f.check.starts_with("T3"))
                .collect();
            assert!(
                t3.iter()
                    .all(|f| f.status != crate::finding::Status::Failed),
                "{year}: {t3:#?}"
            );
        }
    }

    #[test]
    fn documents_count_as_made_repealed_and_in_force_at_the_end_of_the_year() {
        let doc = |id, kind, made: &str, ended: Option<&str>| DocumentFacts {
            id,
            kind,
            made_on: d(made),
            ended_on: ended.map(d),
        };
        use DocumentKind::*;
        let docs = [
            doc(1, NormativeDocument, "2023-03-01", None),
            doc(2, NormativeDocument, "2020-05-01", Some("2023-06-30")),
            doc(3, NormativeDocument, "2019-01-01", None),
            doc(4, NormativeDocument, "2023-02-01", Some("2024-01-01")),
            doc(5, Regulation, "2024-01-05", None),
        ];
        let other = OtherFigures {
            licensing: 12,
            penalty: 3,
            coercion: 0,
            fees_wan_yuan: "1.25".to_owned(),
        };
        let built = table2(&docs, &other, 2023);
        let t = &built.table;
        assert_eq!(t.normative_documents.issued, CellValue::Number(2));
        assert_eq!(t.normative_documents.repealed, CellValue::Number(1));
        // 1, 3 and 4 (ended only in 2024) are in force at the end of 2023.
        assert_eq!(t.normative_documents.in_force, CellValue::Number(3));
        assert_eq!(
            built.cells[&CellRef::new(&["table2", "normative_documents", "in_force"])],
            vec![1, 3, 4]
        );
        // Made after the year: nowhere.
        assert_eq!(t.regulations.in_force, CellValue::Number(0));
        assert_eq!(t.licensing, CellValue::Number(12));
        assert_eq!(t.fees_wan_yuan, CellValue::Text("1.25".to_owned()));
    }
}
