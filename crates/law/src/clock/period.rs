//! Working-day arithmetic with paused intervals: the reply period of 条例 Art 33.

use chrono::NaiveDate;
use gongkai_calendar::{Calendar, CalendarError};

/// Days `from..=to` (both included) during which the reply clock stands still: a consultation
/// (Art 33 ¶3) or the wait for a fee (109号; see `engine.rs` on why that is a pause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pause {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Pause {
    fn contains(self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt()
        .ok_or(CalendarError::DateOutOfRange { date })
}

/// The reply due date: walk the working days after `start` (the start day is not counted,
/// legal-rules.md §A.6), skip those inside a pause, and stop at the `working_days`-th one counted.
/// A pause can only push this day later, never earlier.
pub(crate) fn reply_due(
    calendar: &Calendar,
    start: NaiveDate,
    working_days: u32,
    pauses: &[Pause],
) -> Result<NaiveDate, CalendarError> {
    // Fail closed on an unloaded start year even when nothing is counted.
    calendar.day_kind(start)?;
    let mut date = start;
    let mut counted = 0;
    while counted < working_days {
        date = next_day(date)?;
        if calendar.is_working_day(date)? && !pauses.iter().any(|p| p.contains(date)) {
            counted += 1;
        }
    }
    Ok(date)
}

/// The number of working days inside a pause, both ends included.
pub(crate) fn working_days_in(calendar: &Calendar, pause: Pause) -> Result<u32, CalendarError> {
    let mut count = 0;
    let mut date = pause.from;
    while date <= pause.to {
        if calendar.is_working_day(date)? {
            count += 1;
        }
        date = next_day(date)?;
    }
    Ok(count)
}

/// The last day of the applicant's correction period (Art 30): `period_working_days` working days
/// after the day the 补正告知 was given (that day not counted).
pub fn correction_due(
    calendar: &Calendar,
    notice_on: NaiveDate,
    period_working_days: u32,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_working_days(notice_on, period_working_days)
}

/// The last day to pay a processing fee (109号, via legal-rules.md §C.4): 收到收费通知次日起20个
/// 工作日内 — `add_working_days` does not count the day the notice was received.
pub fn fee_payment_due(
    calendar: &Calendar,
    notice_on: NaiveDate,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_working_days(notice_on, super::FEE_PAYMENT_WORKING_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn without_pauses_it_is_add_working_days() {
        let cal = Calendar::official();
        for (start, n) in [("2025-01-20", 20), ("2025-09-26", 20), ("2020-01-20", 20)] {
            assert_eq!(
                reply_due(&cal, d(start), n, &[]).unwrap(),
                cal.add_working_days(d(start), n).unwrap()
            );
        }
    }

    #[test]
    fn a_pause_shifts_by_its_working_days() {
        let cal = Calendar::official();
        // 2025-02-03..=02-14: 02-03/04 are 春节 holidays, 02-08 is a 调休 Saturday → 9 working days.
        let pause = Pause {
            from: d("2025-02-03"),
            to: d("2025-02-14"),
        };
        assert_eq!(working_days_in(&cal, pause).unwrap(), 9);
        let due = reply_due(&cal, d("2025-01-20"), 20, &[pause]).unwrap();
        assert_eq!(due, cal.add_working_days(d("2025-02-21"), 9).unwrap());
        assert_eq!(due, d("2025-03-06"));
    }

    #[test]
    fn a_pause_after_the_due_date_changes_nothing() {
        let cal = Calendar::official();
        let pause = Pause {
            from: d("2025-03-01"),
            to: d("2025-03-31"),
        };
        assert_eq!(
            reply_due(&cal, d("2025-01-20"), 20, &[pause]).unwrap(),
            d("2025-02-21")
        );
    }
}
