//! Properties of working-day arithmetic that every deadline in gongkai relies on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Days, NaiveDate};
use gongkai_calendar::Calendar;
use proptest::prelude::*;

fn date_in_range() -> impl Strategy<Value = NaiveDate> {
    // 2007-01-01 .. about 2026-09: leaves room for +60 working days inside the data.
    (0u64..7150).prop_map(|offset| {
        NaiveDate::from_ymd_opt(2007, 1, 1)
            .unwrap()
            .checked_add_days(Days::new(offset))
            .unwrap()
    })
}

proptest! {
    #[test]
    fn adding_working_days_lands_on_a_working_day(start in date_in_range(), n in 1u32..60) {
        let cal = Calendar::official();
        let due = cal.add_working_days(start, n).unwrap();
        prop_assert!(cal.is_working_day(due).unwrap());
        prop_assert!(due > start);
    }

    #[test]
    fn adding_working_days_is_monotone(start in date_in_range(), n in 0u32..59) {
        let cal = Calendar::official();
        prop_assert!(cal.add_working_days(start, n).unwrap() < cal.add_working_days(start, n + 1).unwrap());
        let next_day = start.checked_add_days(Days::new(1)).unwrap();
        prop_assert!(cal.add_working_days(start, n).unwrap() <= cal.add_working_days(next_day, n).unwrap());
    }

    #[test]
    fn working_days_between_inverts_adding(start in date_in_range(), n in 0u32..60) {
        let cal = Calendar::official();
        let due = cal.add_working_days(start, n).unwrap();
        prop_assert_eq!(cal.working_days_between(start, due).unwrap(), i64::from(n));
        prop_assert_eq!(cal.working_days_between(due, start).unwrap(), -i64::from(n));
    }
}

#[test]
fn spec_test_vectors_d3() {
    // legal-rules.md §D.3: receipt day not counted; due = N-th working day after it.
    let cal = Calendar::official();
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    for (start, n, due) in [
        ("2025-01-20", 20, "2025-02-21"),
        ("2025-01-20", 40, "2025-03-21"),
        ("2025-09-26", 20, "2025-10-30"),
        ("2026-02-10", 7, "2026-02-26"),
        ("2026-02-10", 20, "2026-03-16"),
        ("2024-12-31", 20, "2025-02-05"),
        ("2020-01-20", 20, "2020-02-25"),
    ] {
        assert_eq!(
            cal.add_working_days(d(start), n).unwrap(),
            d(due),
            "{start} + {n}"
        );
    }
}

#[test]
fn an_imported_year_extends_the_calendar() {
    let mut cal = Calendar::official();
    assert!(cal.is_working_day("2027-01-04".parse().unwrap()).is_err());
    let years = cal
        .import_year_file(r#"{"2027": {"holidays": ["2027-01-01"], "workdays": []}}"#)
        .unwrap();
    assert_eq!(years, vec![2027]);
    assert!(!cal.is_working_day("2027-01-01".parse().unwrap()).unwrap());
    assert!(cal.is_working_day("2027-01-04".parse().unwrap()).unwrap());
    // A deadline from late 2026 into 2027 now computes.
    assert!(
        cal.add_working_days("2026-12-20".parse().unwrap(), 20)
            .is_ok()
    );
}

#[test]
fn an_invalid_import_changes_nothing() {
    let mut cal = Calendar::official();
    assert!(
        cal.import_year_file(r#"{"2027": {"holidays": ["bad"]}}"#)
            .is_err()
    );
    assert!(cal.year(2027).is_none());
}
