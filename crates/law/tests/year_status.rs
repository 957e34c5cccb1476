//! Table 三 year flags (新收 / 上年结转 / 办理结果 / 结转下年度) derived from a case's dates
//! (legal-rules.md §B.3 "Time basis" [P] and "Arithmetic").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Days, NaiveDate};
use gongkai_calendar::Calendar;
use gongkai_law::clock::{Channel, ClockEvent, evaluate};
use gongkai_law::{CaseDates, Outcome, YearStatus, YearStatusError, YearTally};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn case(received: NaiveDate, closed: Option<NaiveDate>) -> CaseDates {
    CaseDates::new(received, closed).unwrap()
}

fn flags(
    new_received: bool,
    carried_over: bool,
    processed: bool,
    carried_forward: bool,
) -> YearStatus {
    YearStatus {
        new_received,
        carried_over,
        processed,
        carried_forward,
    }
}

#[test]
fn received_31_december_closed_1_january() {
    let c = case(d(2023, 12, 31), Some(d(2024, 1, 1)));
    // 2023: new, and still open at the end of the year → carried forward.
    assert_eq!(c.status(2023), flags(true, false, false, true));
    // 2024: carried over from 2023, processed in 2024.
    assert_eq!(c.status(2024), flags(false, true, true, false));
    assert_eq!(c.status(2022), YearStatus::default());
    assert_eq!(c.status(2025), YearStatus::default());
}

#[test]
fn received_and_closed_the_same_day() {
    let c = case(d(2024, 6, 3), Some(d(2024, 6, 3)));
    assert_eq!(c.status(2024), flags(true, false, true, false));
    let c = case(d(2024, 12, 31), Some(d(2024, 12, 31)));
    assert_eq!(c.status(2024), flags(true, false, true, false));
    assert_eq!(c.status(2025), YearStatus::default());
}

#[test]
fn received_2022_closed_2024_spans_three_reports() {
    let c = case(d(2022, 11, 20), Some(d(2024, 2, 5)));
    assert_eq!(c.status(2022), flags(true, false, false, true));
    assert_eq!(c.status(2023), flags(false, true, false, true));
    assert_eq!(c.status(2024), flags(false, true, true, false));
    assert!(c.carried_over(2023) && c.carried_over(2024));
    assert!(c.carried_forward(2022) && c.carried_forward(2023));
    assert!(!c.carried_forward(2024) && !c.carried_over(2022));
}

#[test]
fn open_cases_are_carried_forward_every_year_from_receipt() {
    let c = case(d(2023, 5, 1), None);
    assert_eq!(c.status(2022), YearStatus::default());
    assert_eq!(c.status(2023), flags(true, false, false, true));
    assert_eq!(c.status(2024), flags(false, true, false, true));
    assert_eq!(c.status(2030), flags(false, true, false, true));
}

#[test]
fn closing_before_receipt_is_refused() {
    assert_eq!(
        CaseDates::new(d(2024, 1, 2), Some(d(2023, 12, 31))),
        Err(YearStatusError::ClosedBeforeReceived {
            received_on: d(2024, 1, 2),
            closed_on: d(2023, 12, 31)
        })
    );
}

#[test]
fn tally_balances_and_carries_across_years() {
    let cases = [
        case(d(2022, 11, 20), Some(d(2024, 2, 5))),
        case(d(2023, 12, 31), Some(d(2024, 1, 1))),
        case(d(2024, 6, 3), Some(d(2024, 6, 3))),
        case(d(2024, 12, 30), None),
        case(d(2023, 3, 1), Some(d(2023, 3, 20))),
    ];
    let t2023 = YearTally::of(&cases, 2023);
    let t2024 = YearTally::of(&cases, 2024);
    assert_eq!(
        t2023,
        YearTally {
            new_received: 2,
            carried_over: 1,
            processed: 1,
            carried_forward: 2
        }
    );
    assert_eq!(
        t2024,
        YearTally {
            new_received: 2,
            carried_over: 2,
            processed: 3,
            carried_forward: 1
        }
    );
    assert!(t2023.balances() && t2024.balances());
    // §B.3 Arithmetic 4: R2 of 2024 = R4 of 2023.
    assert_eq!(t2024.carried_over, t2023.carried_forward);
}

#[test]
fn dates_come_from_the_clock_first_receipt_not_the_correction_restart() {
    let cal = Calendar::official();
    let events = [
        ClockEvent::Received {
            on: d(2023, 12, 20),
            channel: Channel::InPerson,
        },
        ClockEvent::CorrectionNotice {
            on: d(2023, 12, 22),
            period_working_days: 10,
        },
        ClockEvent::CorrectedReceived { on: d(2024, 1, 5) },
        ClockEvent::Replied {
            on: d(2024, 1, 20),
            outcome: Outcome::Granted,
        },
    ];
    let state = evaluate(&events, d(2024, 2, 1), &cal).unwrap();
    let c = CaseDates::from_clock(&state).unwrap();
    assert_eq!(c.received_on(), d(2023, 12, 20));
    assert_eq!(c.closed_on(), Some(d(2024, 1, 20)));
    assert!(c.new_received(2023) && c.carried_forward(2023));
    assert!(c.carried_over(2024) && c.processed(2024));
}

fn arb_case() -> impl Strategy<Value = CaseDates> {
    (0u64..4000, proptest::option::of(0u64..2000)).prop_map(|(start, len)| {
        let received = d(2015, 1, 1) + Days::new(start);
        CaseDates::new(received, len.map(|l| received + Days::new(l))).unwrap()
    })
}

proptest! {
    /// The table-三 identity R1 + R2 = R3_7 + R4 holds for every case in every year, by
    /// construction; so does R2(Y) = R4(Y − 1).
    #[test]
    fn identity_holds_per_case_and_year(c in arb_case(), year in 2010i32..2035) {
        let s = c.status(year);
        prop_assert_eq!(
            u8::from(s.new_received) + u8::from(s.carried_over),
            u8::from(s.processed) + u8::from(s.carried_forward)
        );
        prop_assert!(!(s.new_received && s.carried_over));
        prop_assert!(!(s.processed && s.carried_forward));
        prop_assert_eq!(c.carried_over(year), c.carried_forward(year - 1));
    }

    /// A closed case is processed in exactly one year and new in exactly one year.
    #[test]
    fn each_closed_case_is_new_once_and_processed_once(c in arb_case()) {
        let years = 2010i32..2035;
        prop_assert_eq!(years.clone().filter(|&y| c.new_received(y)).count(), 1);
        let processed = years.filter(|&y| c.processed(y)).count();
        prop_assert_eq!(processed, usize::from(c.closed_on().is_some()));
    }

    #[test]
    fn tallies_balance(cases in proptest::collection::vec(arb_case(), 0..40), year in 2014i32..2028) {
        let t = YearTally::of(&cases, year);
        prop_assert!(t.balances());
        prop_assert_eq!(t.carried_over, YearTally::of(&cases, year - 1).carried_forward);
    }
}
