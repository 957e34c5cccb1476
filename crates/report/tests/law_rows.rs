//! The law crate classifies every closed case into a table-三 row and every applicant into a
//! column; the report model must know each of those keys, or a case would vanish from the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gongkai_law::{ApplicantType, Outcome, ResultRow};
use gongkai_report::{Table3Column, Table3Row};

#[test]
fn every_outcome_lands_in_a_table3_outcome_row() {
    for outcome in Outcome::ALL {
        let row = Table3Row::from_key(outcome.table3_row_key())
            .unwrap_or_else(|| panic!("{outcome:?}: unknown row key {}", outcome.table3_row_key()));
        assert!(
            row.is_outcome(),
            "{outcome:?} → {row:?} is not an outcome row"
        );
        // Sub-rows, never a group printed as one row: the builder fills the official layout.
        assert!(
            !matches!(
                row,
                Table3Row::Denied
                    | Table3Row::Unable
                    | Table3Row::NotProcessed
                    | Table3Row::OtherProcessing
            ),
            "{outcome:?} → group row {row:?}"
        );
    }
}

#[test]
fn every_result_row_of_the_law_crate_is_a_model_row_with_the_same_label() {
    for row in ResultRow::ALL {
        let model = Table3Row::from_key(row.key()).unwrap_or_else(|| panic!("{}", row.key()));
        assert!(model.is_outcome());
        assert!(
            model.label().contains(row.label()) || row.label().contains(model.label()),
            "{}: law “{}” vs report “{}”",
            row.key(),
            row.label(),
            model.label()
        );
    }
}

#[test]
fn every_applicant_type_is_a_table3_column() {
    for applicant in ApplicantType::ALL {
        let column = Table3Column::from_key(applicant.column_key())
            .unwrap_or_else(|| panic!("{}", applicant.column_key()));
        assert_ne!(column, Table3Column::Total);
        assert_eq!(column.label(), applicant.label());
    }
}
