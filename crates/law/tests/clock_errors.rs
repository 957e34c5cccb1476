//! Every impossible history is refused with its own error, naming the record at fault.

// Test helpers outside #[test] fns unwrap too: a bad literal in a test is a test bug.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_law::clock::{Channel, ClockEvent, ConsultationParty, evaluate};
use gongkai_law::{ClockError, Money, Outcome};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn received(on: &str) -> ClockEvent {
    ClockEvent::Received {
        on: d(on),
        channel: Channel::Online,
    }
}

fn replied(on: &str, outcome: Outcome) -> ClockEvent {
    ClockEvent::Replied { on: d(on), outcome }
}

fn extension(on: &str, days: u32, approver: &str) -> ClockEvent {
    ClockEvent::Extension {
        on: d(on),
        working_days: days,
        approver: approver.into(),
    }
}

fn consult(on: &str) -> ClockEvent {
    ClockEvent::ConsultationStarted {
        on: d(on),
        party: ConsultationParty::ThirdParty,
    }
}

fn consult_end(on: &str) -> ClockEvent {
    ClockEvent::ConsultationEnded { on: d(on) }
}

fn fee(on: &str, yuan: i32) -> ClockEvent {
    ClockEvent::FeeNotice {
        on: d(on),
        amount: Money::from_yuan(yuan),
    }
}

fn correction(on: &str, days: u32) -> ClockEvent {
    ClockEvent::CorrectionNotice {
        on: d(on),
        period_working_days: days,
    }
}

/// Evaluates on 2026-06-30 and returns the error, checking its message is Chinese and names the
/// record by its 1-based position.
fn error_of(events: &[ClockEvent]) -> ClockError {
    let cal = Calendar::official();
    let err = evaluate(events, d("2026-06-30"), &cal).unwrap_err();
    let msg = err.to_string();
    if let Some(index) = err.index() {
        assert!(msg.contains(&format!("第{}条记录", index + 1)), "{msg}");
    }
    assert!(msg.contains('：') || msg.contains('，'), "{msg}");
    err
}

#[test]
fn no_events() {
    assert_eq!(error_of(&[]), ClockError::NoEvents);
    assert!(
        ClockError::NoEvents
            .to_string()
            .contains("请先登记收到申请")
    );
}

#[test]
fn anything_before_the_receipt_record() {
    let err = error_of(&[
        replied("2025-02-01", Outcome::Granted),
        received("2025-01-20"),
    ]);
    assert_eq!(
        err,
        ClockError::FirstNotReceipt {
            index: 0,
            kind: "答复"
        }
    );
}

#[test]
fn a_second_receipt() {
    let err = error_of(&[received("2025-01-20"), received("2025-01-21")]);
    assert!(
        matches!(err, ClockError::DuplicateReceipt { index: 1, .. }),
        "{err:?}"
    );
}

#[test]
fn reply_before_receipt() {
    let err = error_of(&[
        received("2025-01-20"),
        replied("2025-01-10", Outcome::Granted),
    ]);
    assert_eq!(
        err,
        ClockError::BeforeReceipt {
            index: 1,
            kind: "答复",
            on: d("2025-01-10"),
            received_on: d("2025-01-20"),
        }
    );
    assert!(
        err.to_string().contains("早于收到申请之日2025-01-20"),
        "{err}"
    );
}

#[test]
fn events_out_of_date_order() {
    let err = error_of(&[
        received("2025-01-20"),
        extension("2025-02-10", 5, "张三"),
        consult("2025-02-05"),
    ]);
    assert!(
        matches!(err, ClockError::OutOfOrder { index: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn events_after_today() {
    let cal = Calendar::official();
    let err = evaluate(
        &[
            received("2025-01-20"),
            replied("2025-02-01", Outcome::Granted),
        ],
        d("2025-01-31"),
        &cal,
    )
    .unwrap_err();
    assert!(
        matches!(err, ClockError::AfterToday { index: 1, .. }),
        "{err:?}"
    );
    let err = evaluate(&[received("2025-01-20")], d("2025-01-19"), &cal).unwrap_err();
    assert!(
        matches!(err, ClockError::AfterToday { index: 0, .. }),
        "{err:?}"
    );
}

#[test]
fn anything_after_the_case_is_closed() {
    let after_reply = error_of(&[
        received("2025-01-20"),
        replied("2025-02-01", Outcome::Granted),
        extension("2025-02-03", 5, "张三"),
    ]);
    assert!(
        matches!(after_reply, ClockError::AfterClosed { index: 2, .. }),
        "{after_reply:?}"
    );

    let after_withdrawal = error_of(&[
        received("2025-01-20"),
        ClockEvent::Withdrawn {
            on: d("2025-01-22"),
        },
        replied("2025-02-01", Outcome::Granted),
    ]);
    assert!(
        matches!(after_withdrawal, ClockError::AfterClosed { .. }),
        "{after_withdrawal:?}"
    );

    // The correction period (10 WD from 2026-02-12) ended on 2026-03-04.
    let after_lapsed_correction = error_of(&[
        received("2026-02-10"),
        correction("2026-02-12", 10),
        ClockEvent::Withdrawn {
            on: d("2026-03-05"),
        },
    ]);
    assert_eq!(
        after_lapsed_correction,
        ClockError::AfterClosed {
            index: 2,
            kind: "撤回申请",
            on: d("2026-03-05"),
            closed_on: d("2026-03-05"),
            how: "因申请人逾期不补正视为放弃申请",
        }
    );

    let reply_after_lapsed_fee = error_of(&[
        received("2025-03-03"),
        fee("2025-03-10", 100),
        replied("2025-04-09", Outcome::Granted),
    ]);
    assert!(
        matches!(reply_after_lapsed_fee, ClockError::AfterClosed { .. }),
        "{reply_after_lapsed_fee:?}"
    );
}

#[test]
fn extensions_beyond_20_days_in_total() {
    let err = error_of(&[
        received("2025-01-20"),
        extension("2025-02-10", 15, "张三"),
        extension("2025-02-12", 10, "张三"),
    ]);
    assert_eq!(
        err,
        ClockError::ExtensionTooLong {
            index: 2,
            on: d("2025-02-12"),
            requested: 10,
            already: 15,
            remaining: 5,
            max: 20,
        }
    );
    assert!(
        err.to_string().contains("本次最多还能延期5个工作日"),
        "{err}"
    );
    let err = error_of(&[received("2025-01-20"), extension("2025-02-10", 21, "张三")]);
    assert!(
        matches!(err, ClockError::ExtensionTooLong { .. }),
        "{err:?}"
    );
    let err = error_of(&[
        received("2025-01-20"),
        extension("2025-02-10", u32::MAX, "张三"),
    ]);
    assert!(
        matches!(err, ClockError::ExtensionTooLong { .. }),
        "{err:?}"
    );
}

#[test]
fn extension_needs_an_approver_and_days() {
    let err = error_of(&[received("2025-01-20"), extension("2025-02-10", 5, "  ")]);
    assert!(
        matches!(err, ClockError::ExtensionApproverMissing { index: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("负责人"), "{err}");
    let err = error_of(&[received("2025-01-20"), extension("2025-02-10", 0, "张三")]);
    assert!(matches!(err, ClockError::ExtensionZero { .. }), "{err:?}");
}

#[test]
fn extension_after_the_due_date() {
    let err = error_of(&[received("2025-01-20"), extension("2025-02-24", 5, "张三")]);
    assert_eq!(
        err,
        ClockError::ExtensionAfterDue {
            index: 1,
            on: d("2025-02-24"),
            due: d("2025-02-21"),
        }
    );
    // On the due date itself it is still allowed.
    let cal = Calendar::official();
    assert!(
        evaluate(
            &[received("2025-01-20"), extension("2025-02-21", 5, "张三")],
            d("2025-02-21"),
            &cal
        )
        .is_ok()
    );
}

#[test]
fn extension_while_no_clock_runs() {
    let during_consultation = error_of(&[
        received("2025-01-20"),
        consult("2025-02-05"),
        extension("2025-02-10", 5, "张三"),
    ]);
    assert!(
        matches!(
            during_consultation,
            ClockError::ClockNotRunning { index: 2, .. }
        ),
        "{during_consultation:?}"
    );
    let during_correction = error_of(&[
        received("2025-01-20"),
        correction("2025-01-22", 10),
        extension("2025-01-24", 5, "张三"),
    ]);
    assert!(
        during_correction.to_string().contains("等待申请人补正"),
        "{during_correction}"
    );
}

#[test]
fn pauses_cannot_nest_or_overlap() {
    let nested = error_of(&[
        received("2025-01-20"),
        consult("2025-02-05"),
        ClockEvent::ConsultationStarted {
            on: d("2025-02-06"),
            party: ConsultationParty::OtherOrgan,
        },
    ]);
    assert_eq!(
        nested,
        ClockError::PauseOverlap {
            index: 2,
            kind: "开始征求意见",
            on: d("2025-02-06"),
            open: "征求第三方意见",
            since: d("2025-02-05"),
            close: "结束征求意见",
        }
    );
    let fee_in_consultation = error_of(&[
        received("2025-01-20"),
        consult("2025-02-05"),
        fee("2025-02-06", 100),
    ]);
    assert!(matches!(
        fee_in_consultation,
        ClockError::PauseOverlap { .. }
    ));
    let consultation_in_fee_wait = error_of(&[
        received("2025-01-20"),
        fee("2025-02-05", 100),
        consult("2025-02-06"),
    ]);
    assert!(matches!(
        consultation_in_fee_wait,
        ClockError::PauseOverlap { .. }
    ));
}

#[test]
fn a_consultation_end_without_start() {
    let err = error_of(&[received("2025-01-20"), consult_end("2025-02-05")]);
    assert!(
        matches!(
            err,
            ClockError::ConsultationEndWithoutStart { index: 1, .. }
        ),
        "{err:?}"
    );
    let twice = error_of(&[
        received("2025-01-20"),
        consult("2025-02-05"),
        consult_end("2025-02-06"),
        consult_end("2025-02-07"),
    ]);
    assert!(matches!(
        twice,
        ClockError::ConsultationEndWithoutStart { index: 3, .. }
    ));
}

#[test]
fn reply_while_a_pause_is_open() {
    let err = error_of(&[
        received("2025-01-20"),
        consult("2025-02-05"),
        replied("2025-02-10", Outcome::Granted),
    ]);
    assert!(
        matches!(err, ClockError::RepliedDuringConsultation { index: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("征求意见尚未结束就已答复"),
        "{err}"
    );

    let unpaid = error_of(&[
        received("2025-01-20"),
        fee("2025-02-05", 100),
        replied("2025-02-10", Outcome::Granted),
    ]);
    assert!(
        matches!(unpaid, ClockError::RepliedBeforePayment { .. }),
        "{unpaid:?}"
    );

    let awaiting_correction = error_of(&[
        received("2025-01-20"),
        correction("2025-01-22", 10),
        replied("2025-01-24", Outcome::Granted),
    ]);
    assert!(
        matches!(
            awaiting_correction,
            ClockError::RepliedDuringCorrection { .. }
        ),
        "{awaiting_correction:?}"
    );
}

#[test]
fn corrected_without_a_notice() {
    let err = error_of(&[
        received("2025-01-20"),
        ClockEvent::CorrectedReceived {
            on: d("2025-01-22"),
        },
    ]);
    assert!(
        matches!(err, ClockError::CorrectedWithoutNotice { index: 1, .. }),
        "{err:?}"
    );
}

#[test]
fn correction_is_notified_once_with_a_period() {
    let err = error_of(&[
        received("2025-01-20"),
        correction("2025-01-21", 5),
        ClockEvent::CorrectedReceived {
            on: d("2025-01-23"),
        },
        correction("2025-01-24", 5),
    ]);
    assert_eq!(
        err,
        ClockError::SecondCorrectionNotice {
            index: 3,
            on: d("2025-01-24"),
            first: d("2025-01-21"),
        }
    );
    assert!(err.to_string().contains("一次性告知"), "{err}");
    let err = error_of(&[received("2025-01-20"), correction("2025-01-21", 0)]);
    assert!(
        matches!(err, ClockError::CorrectionPeriodZero { .. }),
        "{err:?}"
    );
}

#[test]
fn fee_notice_and_payment_errors() {
    let second = error_of(&[
        received("2025-01-20"),
        fee("2025-01-21", 100),
        ClockEvent::FeePaid {
            on: d("2025-01-22"),
        },
        fee("2025-01-23", 100),
    ]);
    assert!(
        matches!(second, ClockError::SecondFeeNotice { index: 3, .. }),
        "{second:?}"
    );
    let zero = error_of(&[received("2025-01-20"), fee("2025-01-21", 0)]);
    assert!(
        matches!(zero, ClockError::FeeAmountNotPositive { .. }),
        "{zero:?}"
    );
    let unnoticed = error_of(&[
        received("2025-01-20"),
        ClockEvent::FeePaid {
            on: d("2025-01-22"),
        },
    ]);
    assert!(
        matches!(unnoticed, ClockError::FeePaidWithoutNotice { .. }),
        "{unnoticed:?}"
    );
    // Payment due 2025-04-08 for a notice received 2025-03-10.
    let late = error_of(&[
        received("2025-03-03"),
        fee("2025-03-10", 100),
        ClockEvent::FeePaid {
            on: d("2025-04-09"),
        },
    ]);
    assert_eq!(
        late,
        ClockError::FeePaidLate {
            index: 2,
            on: d("2025-04-09"),
            due: d("2025-04-08"),
        }
    );
}

#[test]
fn outcomes_that_contradict_the_record() {
    let no_notice = error_of(&[
        received("2025-01-20"),
        replied("2025-02-01", Outcome::OtherOverdueCorrection),
    ]);
    assert!(
        matches!(no_notice, ClockError::OutcomeNotApplicable { .. }),
        "{no_notice:?}"
    );
    assert!(
        no_notice.to_string().contains("没有登记补正告知"),
        "{no_notice}"
    );

    let not_yet = error_of(&[
        received("2025-03-03"),
        fee("2025-03-10", 100),
        replied("2025-03-20", Outcome::OtherOverdueFee),
    ]);
    assert!(
        not_yet
            .to_string()
            .contains("缴费期限（至2025-04-08）尚未届满"),
        "{not_yet}"
    );

    let never_corrected = error_of(&[
        received("2025-01-20"),
        replied("2025-02-01", Outcome::UnableUnclearAfterCorrection),
    ]);
    assert!(
        never_corrected.to_string().contains("条例第三十条"),
        "{never_corrected}"
    );
}
