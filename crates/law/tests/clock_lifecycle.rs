//! Whole application lifecycles through `evaluate`.

// Test helpers outside #[test] fns unwrap too: a bad literal in a test is a test bug.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use gongkai_calendar::{Calendar, CalendarError};
use gongkai_law::clock::{Channel, ClockEvent, ClockStatus, ConsultationParty, evaluate};
use gongkai_law::{ClockError, Money, Outcome, ResultRow};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn received(on: &str, channel: Channel) -> ClockEvent {
    ClockEvent::Received { on: d(on), channel }
}

fn replied(on: &str, outcome: Outcome) -> ClockEvent {
    ClockEvent::Replied { on: d(on), outcome }
}

fn consult(from: &str, to: &str, party: ConsultationParty) -> [ClockEvent; 2] {
    [
        ClockEvent::ConsultationStarted { on: d(from), party },
        ClockEvent::ConsultationEnded { on: d(to) },
    ]
}

#[test]
fn receipt_then_reply_on_time_with_exact_explanation() {
    let cal = Calendar::official();
    let events = [
        received("2025-01-20", Channel::Online),
        replied("2025-02-20", Outcome::Granted),
    ];
    let s = evaluate(&events, d("2025-03-01"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::Replied);
    assert_eq!(s.due_date, Some(d("2025-02-21")));
    assert!(!s.replied_late);
    assert!(!s.overdue);
    assert_eq!(s.closed_on, Some(d("2025-02-20")));
    assert_eq!(s.outcome, Some(Outcome::Granted));
    assert_eq!(s.table3_row_key(), Some("granted"));
    assert_eq!(s.working_days_left, None);
    assert_eq!(
        s.explanation,
        [
            "2025-01-20 收到申请（互联网渠道：以双方确认之日为收到申请之日，条例第三十一条第（三）项）；\
             答复期限为收到申请之日起20个工作日（条例第三十三条第二款），第20个工作日为2025-02-21。",
            "2025-02-20 答复：予以公开（条例第三十六条第（二）项），在答复期限（2025-02-21）内；\
             计入年度报告表三“（一）予以公开”。",
        ]
    );
}

#[test]
fn typical_case_with_consultation_and_extension_reads_line_by_line() {
    let cal = Calendar::official();
    let [start, end] = consult("2025-02-03", "2025-02-14", ConsultationParty::ThirdParty);
    let events = [
        received("2025-01-20", Channel::PostOrdinary),
        start,
        end,
        ClockEvent::Extension {
            on: d("2025-03-03"),
            working_days: 10,
            approver: "张三".into(),
        },
    ];
    let s = evaluate(&events, d("2025-03-10"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::Running);
    assert_eq!(s.due_date, Some(d("2025-03-20")));
    assert_eq!(s.working_days_left, Some(8));
    assert_eq!(s.paused_working_days, 9);
    assert_eq!(s.extension_working_days, 10);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(
        s.explanation,
        [
            "2025-01-20 收到申请（平常信函：政府信息公开工作机构应当于收到申请的当日与申请人确认，\
             确认之日为收到申请之日，条例第三十一条第（二）项）；答复期限为收到申请之日起20个工作日\
             （条例第三十三条第二款），第20个工作日为2025-02-21。",
            "2025-02-03 开始征求第三方意见（条例第三十二条），第三方应自收到征求意见书之日起15个工作日内\
             提出意见（自2025-02-03起算，至2025-02-24），逾期未提出意见的，由行政机关依照条例规定决定\
             是否公开；征求意见期间答复期限暂停计算（条例第三十三条第三款）。",
            "征求第三方意见 2025-02-03 至 2025-02-14，期间9个工作日不计入答复期限（条例第三十三条第三款），\
             答复期限顺延至2025-03-06。",
            "2025-03-03 延期10个工作日（经 张三 同意，条例第三十三条第二款），答复期限延至2025-03-20。",
            "截至2025-03-10，距答复期限（2025-03-20）还有8个工作日。",
        ]
    );
}

#[test]
fn correction_then_corrected_then_extension_then_reply() {
    let cal = Calendar::official();
    let events = [
        received("2026-02-10", Channel::InPerson),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-12"),
            period_working_days: 10,
        },
        ClockEvent::CorrectedReceived {
            on: d("2026-02-27"),
        },
        ClockEvent::Extension {
            on: d("2026-03-20"),
            working_days: 15,
            approver: "李四".into(),
        },
        replied("2026-04-15", Outcome::PartiallyGranted),
    ];

    // While waiting for the correction the reply clock is stopped.
    let waiting = evaluate(&events[..2], d("2026-02-20"), &cal).unwrap();
    assert_eq!(waiting.status, ClockStatus::AwaitingCorrection);
    assert_eq!(waiting.due_date, None);
    assert_eq!(waiting.working_days_left, None);
    assert_eq!(
        waiting.applicant_due_date,
        Some(cal.add_working_days(d("2026-02-12"), 10).unwrap())
    );
    assert_eq!(waiting.applicant_due_date, Some(d("2026-03-04")));

    // After the correction the 20 days run from the corrected receipt (Art 30).
    let restarted = evaluate(&events[..3], d("2026-02-27"), &cal).unwrap();
    assert_eq!(restarted.status, ClockStatus::Running);
    assert_eq!(restarted.received_on, d("2026-02-27"));
    assert_eq!(restarted.first_received_on, d("2026-02-10"));
    assert_eq!(restarted.due_date, Some(d("2026-03-26")));

    let extended = evaluate(&events[..4], d("2026-03-20"), &cal).unwrap();
    assert_eq!(extended.due_date, Some(d("2026-04-17")));

    let done = evaluate(&events, d("2026-04-30"), &cal).unwrap();
    assert_eq!(done.status, ClockStatus::Replied);
    assert!(!done.replied_late);
    assert_eq!(done.result_row, Some(ResultRow::PartiallyGranted));
    assert_eq!(done.extension_working_days, 15);
    assert!(done.warnings.is_empty(), "{:?}", done.warnings);
    assert_eq!(
        done.explanation.get(2).map(String::as_str),
        Some(
            "2026-02-27 收到补正的申请，答复期限自该日起重新计算（条例第三十条），\
             第20个工作日为2026-03-26。"
        )
    );
}

#[test]
fn a_consultation_shifts_the_due_date_by_exactly_its_working_days() {
    let cal = Calendar::official();
    for party in [ConsultationParty::ThirdParty, ConsultationParty::OtherOrgan] {
        for (from, to) in [
            ("2025-02-03", "2025-02-14"),
            ("2025-01-21", "2025-01-21"),
            ("2025-01-25", "2025-02-09"),
        ] {
            let [start, end] = consult(from, to, party);
            let events = [received("2025-01-20", Channel::Fax), start, end];
            let s = evaluate(&events, d(to), &cal).unwrap();
            let paused = i64::from(s.paused_working_days);
            let expected = cal
                .add_working_days(d("2025-02-21"), u32::try_from(paused).unwrap())
                .unwrap();
            assert_eq!(s.due_date, Some(expected), "{party:?} {from}..{to}");
            assert_eq!(
                paused,
                cal.working_days_between(d(from), d(to)).unwrap()
                    + i64::from(cal.is_working_day(d(from)).unwrap())
            );
        }
    }
}

#[test]
fn an_open_consultation_pauses_the_clock() {
    let cal = Calendar::official();
    let events = [
        received("2025-01-20", Channel::Online),
        ClockEvent::ConsultationStarted {
            on: d("2025-02-10"),
            party: ConsultationParty::OtherOrgan,
        },
    ];
    let s = evaluate(&events, d("2025-02-12"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::PausedConsultation);
    // 10 working days were used before the pause; 10 remain whatever day the pause ends.
    assert_eq!(s.working_days_left, Some(10));
    assert_eq!(s.due_date, Some(d("2025-02-26")));
    assert_eq!(
        s.consultation_due_date,
        Some(cal.add_working_days(d("2025-02-10"), 15).unwrap())
    );
    let later = evaluate(&events, d("2025-02-20"), &cal).unwrap();
    assert_eq!(later.working_days_left, Some(10));
    assert!(!later.overdue);
    assert!(
        later.explanation[1].contains("逾期未提出意见的视为同意公开；"),
        "{}",
        later.explanation[1]
    );

    // Past the other organ's 15 days, the officer is reminded to resume.
    let s = evaluate(&events, d("2025-03-10"), &cal).unwrap();
    assert_eq!(s.working_days_left, Some(10));
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("视为同意公开"), "{:?}", s.warnings);
}

#[test]
fn fee_notice_unpaid_closes_as_overdue_fee() {
    let cal = Calendar::official();
    let notice = ClockEvent::FeeNotice {
        on: d("2025-03-10"),
        amount: Money::from_yuan(500),
    };
    let events = [received("2025-03-03", Channel::Email), notice];
    let pay_due = cal.add_working_days(d("2025-03-10"), 20).unwrap();
    assert_eq!(pay_due, d("2025-04-08"));

    let waiting = evaluate(&events, d("2025-04-08"), &cal).unwrap();
    assert_eq!(waiting.status, ClockStatus::AwaitingPayment);
    assert_eq!(waiting.applicant_due_date, Some(pay_due));
    // 5 working days were used before the notice (03-04..03-07, 03-10 is paused).
    assert_eq!(waiting.working_days_left, Some(16));

    let closed = evaluate(&events, d("2025-04-09"), &cal).unwrap();
    assert_eq!(closed.status, ClockStatus::ClosedOverdueFee);
    assert_eq!(closed.table3_row_key(), Some("other_overdue_fee"));
    assert_eq!(closed.closed_on, Some(d("2025-04-09")));
    assert_eq!(closed.due_date, None);
    assert!(!closed.overdue);
    assert_eq!(
        closed.explanation.last().map(String::as_str),
        Some(
            "缴费期限（2025-04-08）届满，申请人未缴纳信息处理费，视为放弃申请，行政机关不再处理该申请\
             （国办函〔2020〕109号）；计入年度报告表三“（六）其他处理 2.申请人逾期未按收费通知要求\
             缴纳费用、行政机关不再处理其政府信息公开申请”。"
        )
    );

    // The formal notice of abandonment is accepted after the deadline.
    let mut with_notice = events.to_vec();
    with_notice.push(replied("2025-04-10", Outcome::OtherOverdueFee));
    let s = evaluate(&with_notice, d("2025-04-10"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::Replied);
    assert_eq!(s.table3_row_key(), Some("other_overdue_fee"));
    assert!(!s.replied_late);
}

#[test]
fn a_paid_fee_pauses_from_notice_through_payment() {
    let cal = Calendar::official();
    let events = [
        received("2025-03-03", Channel::Online),
        ClockEvent::FeeNotice {
            on: d("2025-03-10"),
            amount: Money::from_fen(1250),
        },
        ClockEvent::FeePaid {
            on: d("2025-03-20"),
        },
        replied("2025-04-14", Outcome::Granted),
    ];
    let s = evaluate(&events, d("2025-04-14"), &cal).unwrap();
    // 03-10..=03-20 holds 9 working days; base due 03-31 + 9 = 04-14 (Qingming 04-04).
    assert_eq!(s.paused_working_days, 9);
    assert_eq!(
        s.due_date,
        Some(cal.add_working_days(d("2025-03-31"), 9).unwrap())
    );
    assert_eq!(s.due_date, Some(d("2025-04-14")));
    assert!(!s.replied_late);
    assert!(
        s.explanation[1].contains("信息处理费12.50元"),
        "{}",
        s.explanation[1]
    );
    assert_eq!(
        s.explanation[2],
        "2025-03-20 申请人缴纳信息处理费；等待缴费 2025-03-10 至 2025-03-20，期间9个工作日不计入答复期限，\
         答复期限顺延至2025-04-14。"
    );
}

#[test]
fn correction_never_made_closes_as_overdue_correction() {
    let cal = Calendar::official();
    let events = [
        received("2026-02-10", Channel::PostSigned),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-12"),
            period_working_days: 10,
        },
    ];
    let last_day = evaluate(&events, d("2026-03-04"), &cal).unwrap();
    assert_eq!(last_day.status, ClockStatus::AwaitingCorrection);
    assert_eq!(
        last_day.explanation.last().map(String::as_str),
        Some(
            "截至2026-03-04，正在等待申请人补正（补正期限至2026-03-04）；收到补正的申请后，\
             答复期限重新计算20个工作日。"
        )
    );

    let s = evaluate(&events, d("2026-03-05"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::ClosedOverdueCorrection);
    assert_eq!(s.table3_row_key(), Some("other_overdue_correction"));
    assert_eq!(s.applicant_due_date, Some(d("2026-03-04")));
    assert_eq!(s.closed_on, Some(d("2026-03-05")));
    assert_eq!(s.due_date, None);
    assert!(s.status.is_closed());
}

#[test]
fn a_late_correction_is_accepted_with_a_warning() {
    // Art 30 deems only a correction late *without good reason* abandoned.
    let cal = Calendar::official();
    let events = [
        received("2026-02-10", Channel::PostSigned),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-12"),
            period_working_days: 10,
        },
        ClockEvent::CorrectedReceived {
            on: d("2026-03-06"),
        },
    ];
    let s = evaluate(&events, d("2026-03-06"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::Running);
    assert_eq!(s.received_on, d("2026-03-06"));
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].contains("正当理由"), "{:?}", s.warnings);
}

#[test]
fn withdrawal_counts_as_other() {
    let cal = Calendar::official();
    let events = [
        received("2025-01-20", Channel::InPerson),
        ClockEvent::ConsultationStarted {
            on: d("2025-02-05"),
            party: ConsultationParty::ThirdParty,
        },
        ClockEvent::Withdrawn {
            on: d("2025-02-06"),
        },
    ];
    let s = evaluate(&events, d("2025-03-01"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::Withdrawn);
    assert_eq!(s.table3_row_key(), Some("other_other"));
    assert_eq!(s.closed_on, Some(d("2025-02-06")));
    assert_eq!(
        s.explanation.last().map(String::as_str),
        Some("2025-02-06 申请人撤回申请，办理终结；计入年度报告表三“（六）其他处理 3.其他”。")
    );
}

#[test]
fn overdue_and_late_reply_are_flagged() {
    let cal = Calendar::official();
    let events = [received("2025-01-20", Channel::Online)];
    let s = evaluate(&events, d("2025-02-26"), &cal).unwrap();
    assert!(s.overdue);
    assert_eq!(s.working_days_left, Some(-3));
    assert_eq!(
        s.explanation.last().map(String::as_str),
        Some("截至2025-02-26，已逾期3个工作日（答复期限为2025-02-21）。")
    );

    let on_due_day = evaluate(&events, d("2025-02-21"), &cal).unwrap();
    assert!(!on_due_day.overdue);
    assert_eq!(on_due_day.working_days_left, Some(0));
    assert_eq!(
        on_due_day.explanation.last().map(String::as_str),
        Some("截至2025-02-21，今天是答复期限的最后一日。")
    );

    // Saturday after a Friday due date: overdue, but no working day has passed yet.
    let saturday = evaluate(&events, d("2025-02-22"), &cal).unwrap();
    assert!(saturday.overdue);
    assert_eq!(saturday.working_days_left, Some(0));

    let late = [
        received("2025-01-20", Channel::Online),
        replied("2025-02-25", Outcome::UnableNotHeld),
    ];
    let s = evaluate(&late, d("2025-02-25"), &cal).unwrap();
    assert!(s.replied_late);
    assert!(!s.overdue);
    assert!(
        s.explanation[1].contains("晚于答复期限（2025-02-21）2个工作日"),
        "{}",
        s.explanation[1]
    );
}

#[test]
fn abandoned_case_outcomes_map_to_their_rows() {
    let cal = Calendar::official();
    let events = [
        received("2026-02-10", Channel::PostSigned),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-12"),
            period_working_days: 10,
        },
        replied("2026-03-05", Outcome::OtherOverdueCorrection),
    ];
    let s = evaluate(&events, d("2026-03-06"), &cal).unwrap();
    assert_eq!(s.status, ClockStatus::Replied);
    assert_eq!(s.table3_row_key(), Some("other_overdue_correction"));
    assert_eq!(s.due_date, None);

    let unclear = [
        received("2026-02-10", Channel::PostSigned),
        ClockEvent::CorrectionNotice {
            on: d("2026-02-12"),
            period_working_days: 10,
        },
        ClockEvent::CorrectedReceived {
            on: d("2026-02-20"),
        },
        replied("2026-03-02", Outcome::UnableUnclearAfterCorrection),
    ];
    let s = evaluate(&unclear, d("2026-03-06"), &cal).unwrap();
    assert_eq!(s.table3_row_key(), Some("unable_unclear_after_correction"));
}

#[test]
fn a_year_without_data_is_an_error_not_a_guess() {
    let cal = Calendar::official();
    // Received mid-December 2026: the 20th working day falls in 2027, which is not loaded.
    let err = evaluate(
        &[received("2026-12-15", Channel::Online)],
        d("2026-12-20"),
        &cal,
    )
    .unwrap_err();
    assert_eq!(
        err,
        ClockError::Calendar(CalendarError::YearNotLoaded { year: 2027 })
    );
    let msg = err.to_string();
    assert!(msg.contains("2027"), "{msg}");
    assert!(msg.contains("gongkai calendar import"), "{msg}");

    let err = evaluate(
        &[received("2025-01-20", Channel::Online)],
        d("2025-01-20"),
        &Calendar::empty(),
    )
    .unwrap_err();
    assert!(matches!(err, ClockError::Calendar(_)));
    assert_eq!(err.index(), None);
}

#[test]
fn events_and_state_round_trip_through_json() {
    let cal = Calendar::official();
    let events = vec![
        received("2025-01-20", Channel::Online),
        ClockEvent::FeeNotice {
            on: d("2025-01-22"),
            amount: Money::from_yuan(300),
        },
    ];
    let json = serde_json::to_string(&events).unwrap();
    assert!(json.contains(r#""kind":"fee_notice""#), "{json}");
    assert!(json.contains(r#""amount_fen":30000"#), "{json}");
    let back: Vec<ClockEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, events);

    let state = evaluate(&events, d("2025-01-23"), &cal).unwrap();
    let json = serde_json::to_value(&state).unwrap();
    assert_eq!(json["status"], "awaiting_payment");
    assert_eq!(json["channel"], "online");
}
