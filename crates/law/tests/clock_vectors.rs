//! The working-day test vectors of legal-rules.md §D.3, through the public clock API.

// Test helpers outside #[test] fns unwrap too: a bad literal in a test is a test bug.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_law::clock::{Channel, ClockEvent, ClockStatus, evaluate};
use gongkai_law::proactive_due_date;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn received(on: &str) -> ClockEvent {
    ClockEvent::Received {
        on: d(on),
        channel: Channel::InPerson,
    }
}

#[test]
fn twenty_working_days_from_2025_01_20_is_2025_02_21() {
    let cal = Calendar::official();
    let s = evaluate(&[received("2025-01-20")], d("2025-01-20"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::Running);
    assert_eq!(s.due_date, Some(d("2025-02-21")));
}

#[test]
fn forty_working_days_with_the_full_extension_is_2025_03_21() {
    let cal = Calendar::official();
    let events = [
        received("2025-01-20"),
        ClockEvent::Extension {
            on: d("2025-02-10"),
            working_days: 20,
            approver: "张三".into(),
        },
    ];
    let s = evaluate(&events, d("2025-02-10"), &cal).unwrap();
    assert_eq!(s.due_date, Some(d("2025-03-21")));
    assert_eq!(s.extension_working_days, 20);
}

#[test]
fn twenty_working_days_from_2025_09_26_is_2025_10_30() {
    let cal = Calendar::official();
    let s = evaluate(&[received("2025-09-26")], d("2025-09-26"), &cal).unwrap();
    assert_eq!(s.due_date, Some(d("2025-10-30")));
}

#[test]
fn correction_notice_deadline_from_2026_02_10_is_2026_02_26() {
    let cal = Calendar::official();
    // A notice on the 7th working day is on time; a 7-day correction period ends the same day.
    let on_time = [
        received("2026-02-10"),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-26"),
            period_working_days: 5,
        },
    ];
    let s = evaluate(&on_time, d("2026-02-26"), &cal).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);

    let late = [
        received("2026-02-10"),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-27"),
            period_working_days: 5,
        },
    ];
    let s = evaluate(&late, d("2026-02-27"), &cal).unwrap();
    assert_eq!(
        s.warnings,
        ["补正告知晚于收到申请后第7个工作日（2026-02-26），不符合条例第三十条。"]
    );

    let period_of_7 = [
        received("2026-02-10"),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-10"),
            period_working_days: 7,
        },
    ];
    let s = evaluate(&period_of_7, d("2026-02-10"), &cal).unwrap();
    assert_eq!(s.applicant_due_date, Some(d("2026-02-26")));
}

#[test]
fn twenty_working_days_from_2026_02_10_is_2026_03_16() {
    let cal = Calendar::official();
    let s = evaluate(&[received("2026-02-10")], d("2026-02-10"), &cal).unwrap();
    assert_eq!(s.due_date, Some(d("2026-03-16")));
}

#[test]
fn twenty_working_days_from_2020_01_20_include_the_2020_extension() {
    let cal = Calendar::official();
    let s = evaluate(&[received("2020-01-20")], d("2020-01-20"), &cal).unwrap();
    assert_eq!(s.due_date, Some(d("2020-02-25")));
}

#[test]
fn art_26_from_2024_12_31_is_2025_02_05() {
    let cal = Calendar::official();
    assert_eq!(
        proactive_due_date(d("2024-12-31"), &cal).unwrap(),
        d("2025-02-05")
    );
}
