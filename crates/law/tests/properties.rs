//! Property tests: the clock against the calendar, and the fee tiers against their own formula.

// Test helpers outside #[test] fns unwrap too: a bad literal in a test is a test bug.
#![allow(clippy::unwrap_used)]

use chrono::{Days, NaiveDate};
use gongkai_calendar::Calendar;
use gongkai_law::clock::{Channel, ClockEvent, ClockStatus, ConsultationParty, evaluate};
use gongkai_law::{Money, per_page_fee, per_piece_fee_for_nth, per_piece_total};
use proptest::prelude::*;
use std::sync::OnceLock;

fn calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::official)
}

/// A date from 2019-01-01 up to ~2025-09 so that every due date stays inside the loaded years.
fn date(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + Days::new(offset)
}

fn received(on: NaiveDate) -> ClockEvent {
    ClockEvent::Received {
        on,
        channel: Channel::InPerson,
    }
}

/// Working days in `(from, to]`, counted one by one with `is_working_day`.
fn count_working(from: NaiveDate, to: NaiveDate) -> i64 {
    let cal = calendar();
    let mut n = 0;
    let mut day = from;
    while day < to {
        day = day.succ_opt().unwrap();
        if cal.is_working_day(day).unwrap() {
            n += 1;
        }
    }
    n
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_pause_never_moves_the_due_date_earlier(
        start in 0u64..2450,
        pause_offset in 0u64..60,
        pause_len in 0u64..40,
        third_party in any::<bool>(),
        also_fee in any::<bool>(),
    ) {
        let cal = calendar();
        let received_on = date(start);
        let from = received_on + Days::new(pause_offset);
        let to = from + Days::new(pause_len);
        let party = if third_party { ConsultationParty::ThirdParty } else { ConsultationParty::OtherOrgan };
        let mut events = vec![
            received(received_on),
            ClockEvent::ConsultationStarted { on: from, party },
            ClockEvent::ConsultationEnded { on: to },
        ];
        if also_fee {
            events.push(ClockEvent::FeeNotice { on: to, amount: Money::from_yuan(100) });
            events.push(ClockEvent::FeePaid { on: to });
        }
        let today = to;
        let without = evaluate(&events[..1], today, cal).unwrap();
        let with = evaluate(&events, today, cal).unwrap();
        let (without, with) = (without.due_date.unwrap(), with.due_date.unwrap());
        prop_assert!(with >= without, "{with} < {without}");
        // And it moves by at most the paused working days.
        let paused = u32::try_from(count_working(from.pred_opt().unwrap(), to)).unwrap();
        prop_assert!(with <= cal.add_working_days(without, paused).unwrap());
    }

    #[test]
    fn working_days_left_agrees_with_the_calendar(start in 0u64..2450, elapsed in 0u64..70) {
        let cal = calendar();
        let received_on = date(start);
        let today = received_on + Days::new(elapsed);
        let s = evaluate(&[received(received_on)], today, cal).unwrap();
        prop_assert_eq!(s.status, ClockStatus::Running);
        let due = s.due_date.unwrap();
        let left = s.working_days_left.unwrap();
        prop_assert_eq!(due, cal.add_working_days(received_on, 20).unwrap());
        if today <= due {
            prop_assert_eq!(left, count_working(today, due));
            prop_assert!(!s.overdue);
            if left > 0 {
                prop_assert_eq!(cal.add_working_days(today, u32::try_from(left).unwrap()).unwrap(), due);
            }
        } else {
            prop_assert_eq!(left, -count_working(due, today));
            prop_assert!(s.overdue);
        }
    }

    #[test]
    fn an_extension_adds_exactly_its_working_days(start in 0u64..2450, days in 1u32..=20) {
        let cal = calendar();
        let received_on = date(start);
        let events = [
            received(received_on),
            ClockEvent::Extension { on: received_on, working_days: days, approver: "负责人".into() },
        ];
        let s = evaluate(&events, received_on, cal).unwrap();
        prop_assert_eq!(s.due_date.unwrap(), cal.add_working_days(received_on, 20 + days).unwrap());
    }

    #[test]
    fn per_piece_total_is_the_sum_of_the_nth_fees(count in 0u32..600) {
        let total = per_piece_total(count).unwrap().total;
        let sum: i64 = (1..=count).map(|n| per_piece_fee_for_nth(n).unwrap().fen()).sum();
        prop_assert_eq!(total.fen(), sum);
        let next = per_piece_total(count + 1).unwrap().total;
        prop_assert!(next >= total);
        let tiers = per_piece_total(count).unwrap().tiers;
        let tier_sum: i64 = tiers.iter().map(|t| t.subtotal.fen()).sum();
        prop_assert_eq!(tier_sum, total.fen());
        let quantity: u32 = tiers.iter().map(|t| t.quantity).sum();
        prop_assert_eq!(quantity, count);
    }

    #[test]
    fn per_page_fee_is_monotone_with_the_right_marginal_price(pages in 0u32..5000) {
        let here = per_page_fee(pages).unwrap().total;
        let next = per_page_fee(pages + 1).unwrap().total;
        let page = pages + 1;
        let marginal = match page {
            0..=30 => 0,
            31..=100 => 10,
            101..=200 => 20,
            _ => 40,
        };
        prop_assert_eq!(next.fen() - here.fen(), Money::from_yuan(marginal).fen());
    }
}
