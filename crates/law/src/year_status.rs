//! Where a case stands in a report year: the 新收 (R1), 上年结转 (R2), 办理结果 (R3_7) and
//! 结转下年度 (R4) rows of table 三 of the annual report (国办公开办函〔2021〕30号), derived from the
//! case's dates — never typed by an officer.
//!
//! Convention (legal-rules.md §B.3 "Time basis", marked \[P\]: common practice, not written in
//! 30号): the report year is the calendar year; R1 is keyed on the receipt date (条例 Art 31) of
//! the original application — a 补正 (Art 30) restarts the reply period but does not make the case
//! new again; a result is keyed on the closing date (reply, withdrawal, or the day an abandoned
//! case closed); a case still open at the end of 31 December is carried forward (R4) and seen the
//! next year as carried over (R2).
//!
//! With `r` the receipt year and `c` the closing year (∞ while open), for year `Y`:
//!
//! | flag | rule |
//! |---|---|
//! | [`YearStatus::new_received`] | `r = Y` |
//! | [`YearStatus::carried_over`] | `r < Y` and `c ≥ Y` |
//! | [`YearStatus::processed`] | `c = Y` |
//! | [`YearStatus::carried_forward`] | `r ≤ Y` and `c > Y` |
//!
//! Since `r ≤ c` ([`CaseDates::new`] refuses anything else), each side of
//! `new_received + carried_over = processed + carried_forward` is 1 exactly when `r ≤ Y ≤ c`, so
//! the header identity of table 三 (R1 + R2 = R3_7 + R4, §B.3 Arithmetic 1) holds per case and
//! therefore per column and in total. The carry-over identity across years
//! (R2 of `Y` = R4 of `Y − 1`, §B.3 Arithmetic 4) also holds by construction: both are
//! `r ≤ Y − 1 < c`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::clock::ClockState;
use crate::error::YearStatusError;

/// The two dates of a case that decide its place in table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseDates {
    received_on: NaiveDate,
    closed_on: Option<NaiveDate>,
}

impl CaseDates {
    /// `received_on`: the Art 31 receipt date of the original application. `closed_on`: the
    /// reply, withdrawal or abandonment date, `None` while the case is open. A case cannot close
    /// before it was received.
    pub fn new(
        received_on: NaiveDate,
        closed_on: Option<NaiveDate>,
    ) -> Result<Self, YearStatusError> {
        if let Some(closed_on) = closed_on
            && closed_on < received_on
        {
            return Err(YearStatusError::ClosedBeforeReceived {
                received_on,
                closed_on,
            });
        }
        Ok(CaseDates {
            received_on,
            closed_on,
        })
    }

    /// The dates of an evaluated clock: its first receipt date (not the 补正 restart) and its
    /// closing date.
    pub fn from_clock(state: &ClockState) -> Result<Self, YearStatusError> {
        Self::new(state.first_received_on, state.closed_on)
    }

    pub fn received_on(&self) -> NaiveDate {
        self.received_on
    }

    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.closed_on
    }

    /// R1 本年新收: received in `year`.
    pub fn new_received(&self, year: i32) -> bool {
        self.received_on.year() == year
    }

    /// R2 上年结转: received before `year` and not closed before 1 January of `year`.
    pub fn carried_over(&self, year: i32) -> bool {
        self.received_on.year() < year && self.closed_on.is_none_or(|c| c.year() >= year)
    }

    /// 本年度办理结果 (counted in its outcome's row and in R3_7 总计): closed in `year`.
    pub fn processed(&self, year: i32) -> bool {
        self.closed_on.is_some_and(|c| c.year() == year)
    }

    /// R4 结转下年度继续办理: received on or before 31 December of `year` and not closed by then.
    pub fn carried_forward(&self, year: i32) -> bool {
        self.received_on.year() <= year && self.closed_on.is_none_or(|c| c.year() > year)
    }

    /// All four flags for `year`.
    pub fn status(&self, year: i32) -> YearStatus {
        YearStatus {
            new_received: self.new_received(year),
            carried_over: self.carried_over(year),
            processed: self.processed(year),
            carried_forward: self.carried_forward(year),
        }
    }
}

/// The four table-三 flags of one case in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct YearStatus {
    pub new_received: bool,
    pub carried_over: bool,
    pub processed: bool,
    pub carried_forward: bool,
}

impl YearStatus {
    /// Whether the case appears in the year's table at all (`r ≤ Y ≤ c`).
    pub fn is_counted(&self) -> bool {
        self.new_received || self.carried_over
    }
}

/// Counts of many cases for one year (one column of table 三, or its total).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct YearTally {
    /// R1 本年新收.
    pub new_received: u64,
    /// R2 上年结转.
    pub carried_over: u64,
    /// R3_7 本年度办理结果总计.
    pub processed: u64,
    /// R4 结转下年度继续办理.
    pub carried_forward: u64,
}

impl YearTally {
    pub fn add(&mut self, status: YearStatus) {
        let add = |n: &mut u64, flag: bool| *n = n.saturating_add(u64::from(flag));
        add(&mut self.new_received, status.new_received);
        add(&mut self.carried_over, status.carried_over);
        add(&mut self.processed, status.processed);
        add(&mut self.carried_forward, status.carried_forward);
    }

    /// The tally of `cases` for `year`.
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a CaseDates>, year: i32) -> Self {
        let mut tally = YearTally::default();
        for case in cases {
            tally.add(case.status(year));
        }
        tally
    }

    /// R1 + R2 = R3_7 + R4 (the header note of table 三).
    pub fn balances(&self) -> bool {
        u128::from(self.new_received) + u128::from(self.carried_over)
            == u128::from(self.processed) + u128::from(self.carried_forward)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn closing_before_receipt_is_refused_in_chinese() {
        let err = CaseDates::new(d(2024, 3, 2), Some(d(2024, 3, 1))).unwrap_err();
        assert!(
            err.to_string().contains("早于收到申请之日2024-03-02"),
            "{err}"
        );
    }
}
