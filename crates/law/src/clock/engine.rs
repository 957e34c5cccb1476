//! The rules: replays the recorded events in order, rejecting impossible sequences, and works out
//! where the application stands today.
//!
//! The wait for a fee is treated as a pause of the reply clock, from the day the applicant receives
//! the 收费通知 through the day of payment, both included. Whether 109号 suspends the Art 33 period
//! is UNCONFIRMED (legal-rules.md §C.4, §F.2): the spec recommends a pause and legal review must
//! confirm it. The rule lives only in `fee_notice`/`fee_paid`/`finish` below.

use super::event::{Channel, ClockEvent, ConsultationParty};
use super::explain;
use super::period::{Pause, reply_due, working_days_in};
use super::state::{ClockState, ClockStatus};
use super::{
    CONSULTATION_REPLY_WORKING_DAYS, CORRECTION_NOTICE_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS,
    REPLY_PERIOD_WORKING_DAYS,
};
use crate::error::ClockError;
use crate::money::Money;
use crate::outcome::{Outcome, ResultRow};
use chrono::NaiveDate;
use gongkai_calendar::Calendar;

const HOW_REPLIED: &str = "答复申请人";
const HOW_WITHDRAWN: &str = "由申请人撤回";
const HOW_ABANDONED_CORRECTION: &str = "因申请人逾期不补正视为放弃申请";
const HOW_ABANDONED_FEE: &str = "因申请人逾期未缴纳信息处理费视为放弃申请";

const WHILE_CORRECTION: &str = "此时正在等待申请人补正，答复期限停止计算；请先登记“收到补正”，或在补正期限届满后按逾期不补正处理";
const WHILE_CONSULTATION: &str = "此时正在征求意见，答复期限暂停计算；请先登记“结束征求意见”";
const WHILE_PAYMENT: &str = "此时正在等待申请人缴纳信息处理费，答复期限暂停计算；请先登记“缴费”";

/// Where the application is between two events.
#[derive(Debug, Clone, Copy)]
enum Phase {
    Running,
    AwaitingCorrection {
        due: NaiveDate,
    },
    Consulting {
        since: NaiveDate,
        party: ConsultationParty,
        party_due: NaiveDate,
    },
    AwaitingPayment {
        notice_on: NaiveDate,
        due: NaiveDate,
    },
    /// `due` is `None` for the formal notice of an application already deemed abandoned.
    Replied {
        on: NaiveDate,
        outcome: Outcome,
        due: Option<NaiveDate>,
    },
    Withdrawn {
        on: NaiveDate,
    },
}

pub(super) struct Engine<'a> {
    calendar: &'a Calendar,
    today: NaiveDate,
    first_received_on: NaiveDate,
    channel: Channel,
    /// The day the current reply period runs from.
    start: NaiveDate,
    /// The date of the last event seen, for the order check.
    last_on: NaiveDate,
    /// Extension of the current reply period, in working days.
    extension: u32,
    /// Finished pauses of the current reply period.
    pauses: Vec<Pause>,
    correction_notice_on: Option<NaiveDate>,
    corrected_on: Option<NaiveDate>,
    fee_notice_on: Option<NaiveDate>,
    fee_paid_on: Option<NaiveDate>,
    phase: Phase,
    warnings: Vec<String>,
    explanation: Vec<String>,
}

fn day_after(date: NaiveDate) -> NaiveDate {
    date.succ_opt().unwrap_or(date)
}

impl<'a> Engine<'a> {
    pub(super) fn start(
        calendar: &'a Calendar,
        today: NaiveDate,
        received_on: NaiveDate,
        channel: Channel,
    ) -> Result<Self, ClockError> {
        let mut engine = Engine {
            calendar,
            today,
            first_received_on: received_on,
            channel,
            start: received_on,
            last_on: received_on,
            extension: 0,
            pauses: Vec::new(),
            correction_notice_on: None,
            corrected_on: None,
            fee_notice_on: None,
            fee_paid_on: None,
            phase: Phase::Running,
            warnings: Vec::new(),
            explanation: Vec::new(),
        };
        let due = engine.due()?;
        engine
            .explanation
            .push(explain::received(received_on, channel, due));
        Ok(engine)
    }

    /// The reply due date of the current period with the finished pauses.
    fn due(&self) -> Result<NaiveDate, ClockError> {
        self.due_with(None)
    }

    /// The reply due date, with one more (open) pause counted as if it ended on its `to` day.
    fn due_with(&self, open: Option<Pause>) -> Result<NaiveDate, ClockError> {
        // Art 33 ¶2: 20 working days, plus an approved extension of at most 20.
        let working_days = REPLY_PERIOD_WORKING_DAYS + self.extension;
        let due = match open {
            None => reply_due(self.calendar, self.start, working_days, &self.pauses)?,
            Some(open) => {
                let mut pauses = self.pauses.clone();
                pauses.push(open);
                reply_due(self.calendar, self.start, working_days, &pauses)?
            }
        };
        Ok(due)
    }

    fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, ClockError> {
        Ok(self.calendar.add_working_days(from, n)?)
    }

    pub(super) fn apply(&mut self, index: usize, event: &ClockEvent) -> Result<(), ClockError> {
        let on = event.on();
        let kind = event.label();
        if on > self.today {
            return Err(ClockError::AfterToday {
                index,
                kind,
                on,
                today: self.today,
            });
        }
        if on < self.first_received_on {
            return Err(ClockError::BeforeReceipt {
                index,
                kind,
                on,
                received_on: self.first_received_on,
            });
        }
        if on < self.last_on {
            return Err(ClockError::OutOfOrder {
                index,
                kind,
                on,
                previous: self.last_on,
            });
        }
        self.last_on = on;

        match self.phase {
            Phase::Replied { on: closed_on, .. } => {
                return Err(ClockError::AfterClosed {
                    index,
                    kind,
                    on,
                    closed_on,
                    how: HOW_REPLIED,
                });
            }
            Phase::Withdrawn { on: closed_on } => {
                return Err(ClockError::AfterClosed {
                    index,
                    kind,
                    on,
                    closed_on,
                    how: HOW_WITHDRAWN,
                });
            }
            // The applicant's period ran out before this event: the application is deemed
            // abandoned unless this event is a late correction or the formal notice.
            Phase::AwaitingCorrection { due } if on > due => {
                return self.after_correction_lapsed(index, event, due);
            }
            Phase::AwaitingPayment { due, .. } if on > due => {
                return self.after_payment_lapsed(index, event, due);
            }
            _ => {}
        }

        match event {
            ClockEvent::Received { on, .. } => Err(ClockError::DuplicateReceipt {
                index,
                on: *on,
                first: self.first_received_on,
            }),
            ClockEvent::CorrectionNotice {
                on,
                period_working_days,
            } => self.correction_notice(index, *on, *period_working_days),
            ClockEvent::CorrectedReceived { on } => self.corrected(index, *on),
            ClockEvent::Extension {
                on,
                working_days,
                approver,
            } => self.extension(index, *on, *working_days, approver),
            ClockEvent::ConsultationStarted { on, party } => {
                self.consultation_started(index, *on, *party)
            }
            ClockEvent::ConsultationEnded { on } => self.consultation_ended(index, *on),
            ClockEvent::FeeNotice { on, amount } => self.fee_notice(index, *on, *amount),
            ClockEvent::FeePaid { on } => self.fee_paid(index, *on),
            ClockEvent::Replied { on, outcome } => self.replied(index, *on, *outcome),
            ClockEvent::Withdrawn { on } => {
                self.explanation.push(explain::withdrawn(*on));
                self.phase = Phase::Withdrawn { on: *on };
                Ok(())
            }
        }
    }

    /// Art 30: 申请人无正当理由逾期不补正的，视为放弃申请. A late correction is still accepted (with
    /// a warning) because the applicant may have had good reason; the formal notice of abandonment
    /// is accepted; anything else is after the end of the case.
    fn after_correction_lapsed(
        &mut self,
        index: usize,
        event: &ClockEvent,
        due: NaiveDate,
    ) -> Result<(), ClockError> {
        match event {
            ClockEvent::CorrectedReceived { on } => {
                self.warnings.push(explain::late_correction(*on, due));
                self.corrected(index, *on)
            }
            ClockEvent::Replied {
                on,
                outcome: outcome @ Outcome::OtherOverdueCorrection,
            } => {
                self.abandonment_notice(explain::correction_lapsed(due), *on, *outcome);
                Ok(())
            }
            other => Err(ClockError::AfterClosed {
                index,
                kind: other.label(),
                on: other.on(),
                closed_on: day_after(due),
                how: HOW_ABANDONED_CORRECTION,
            }),
        }
    }

    /// The formal notice to an applicant whose application is deemed abandoned: closes the case
    /// with no reply due date (the period lapsed with the applicant, not with the organ).
    fn abandonment_notice(&mut self, lapsed: String, on: NaiveDate, outcome: Outcome) {
        self.explanation.push(lapsed);
        self.explanation
            .push(explain::abandonment_notice(on, outcome));
        self.phase = Phase::Replied {
            on,
            outcome,
            due: None,
        };
    }

    /// 109号: 逾期未缴纳的，视为放弃申请. Unlike Art 30 there is no good-reason exception in the text
    /// (as restated in legal-rules.md §C.4), so a late payment is refused.
    fn after_payment_lapsed(
        &mut self,
        index: usize,
        event: &ClockEvent,
        due: NaiveDate,
    ) -> Result<(), ClockError> {
        match event {
            ClockEvent::FeePaid { on } => Err(ClockError::FeePaidLate {
                index,
                on: *on,
                due,
            }),
            ClockEvent::Replied {
                on,
                outcome: outcome @ Outcome::OtherOverdueFee,
            } => {
                self.abandonment_notice(explain::payment_lapsed(due), *on, *outcome);
                Ok(())
            }
            other => Err(ClockError::AfterClosed {
                index,
                kind: other.label(),
                on: other.on(),
                closed_on: day_after(due),
                how: HOW_ABANDONED_FEE,
            }),
        }
    }

    /// Checks that the reply clock is running. `starts_pause`: the event would open a pause, so
    /// an open pause is reported as an overlap (pauses cannot nest, Art 33 ¶3 counts each once).
    fn ensure_running(
        &self,
        index: usize,
        kind: &'static str,
        on: NaiveDate,
        starts_pause: bool,
    ) -> Result<(), ClockError> {
        let not_running = |reason| ClockError::ClockNotRunning {
            index,
            kind,
            on,
            reason,
        };
        match self.phase {
            Phase::Running => Ok(()),
            Phase::Consulting { since, party, .. } if starts_pause => {
                Err(ClockError::PauseOverlap {
                    index,
                    kind,
                    on,
                    open: party.activity(),
                    since,
                    close: "结束征求意见",
                })
            }
            Phase::AwaitingPayment { notice_on, .. } if starts_pause => {
                Err(ClockError::PauseOverlap {
                    index,
                    kind,
                    on,
                    open: "等待缴费",
                    since: notice_on,
                    close: "缴费",
                })
            }
            Phase::AwaitingCorrection { .. } => Err(not_running(WHILE_CORRECTION)),
            Phase::Consulting { .. } => Err(not_running(WHILE_CONSULTATION)),
            Phase::AwaitingPayment { .. } => Err(not_running(WHILE_PAYMENT)),
            Phase::Replied { on: closed_on, .. } => Err(ClockError::AfterClosed {
                index,
                kind,
                on,
                closed_on,
                how: HOW_REPLIED,
            }),
            Phase::Withdrawn { on: closed_on } => Err(ClockError::AfterClosed {
                index,
                kind,
                on,
                closed_on,
                how: HOW_WITHDRAWN,
            }),
        }
    }

    fn correction_notice(
        &mut self,
        index: usize,
        on: NaiveDate,
        period: u32,
    ) -> Result<(), ClockError> {
        // Art 30: 一次性告知 — one notice per application, listing everything.
        if let Some(first) = self.correction_notice_on {
            return Err(ClockError::SecondCorrectionNotice { index, on, first });
        }
        self.ensure_running(index, "补正告知", on, false)?;
        if period == 0 {
            return Err(ClockError::CorrectionPeriodZero { index, on });
        }
        // Art 30: 自收到申请之日起7个工作日内. A late notice is still a fact of the case, so it is
        // a warning, not an error.
        let latest =
            self.add_working_days(self.first_received_on, CORRECTION_NOTICE_WORKING_DAYS)?;
        if on > latest {
            self.warnings.push(explain::late_correction_notice(latest));
        }
        let due = super::period::correction_due(self.calendar, on, period)?;
        self.correction_notice_on = Some(on);
        self.explanation
            .push(explain::correction_notice(on, period, due));
        self.phase = Phase::AwaitingCorrection { due };
        Ok(())
    }

    fn corrected(&mut self, index: usize, on: NaiveDate) -> Result<(), ClockError> {
        if !matches!(self.phase, Phase::AwaitingCorrection { .. }) {
            return Err(ClockError::CorrectedWithoutNotice { index, on });
        }
        // Art 30: 答复期限自行政机关收到补正的申请之日起计算 — a fresh period. An extension of the
        // old period lapses with it; the new period may be extended on its own (Art 33 ¶2).
        let lapsed_extension = self.extension;
        self.start = on;
        self.extension = 0;
        self.pauses.clear();
        self.corrected_on = Some(on);
        self.phase = Phase::Running;
        let due = self.due()?;
        self.explanation
            .push(explain::corrected(on, due, lapsed_extension));
        Ok(())
    }

    fn extension(
        &mut self,
        index: usize,
        on: NaiveDate,
        days: u32,
        approver: &str,
    ) -> Result<(), ClockError> {
        self.ensure_running(index, "延期", on, false)?;
        // Art 33 ¶2: 经政府信息公开工作机构负责人同意并告知申请人.
        let approver = approver.trim();
        if approver.is_empty() {
            return Err(ClockError::ExtensionApproverMissing { index, on });
        }
        if days == 0 {
            return Err(ClockError::ExtensionZero { index, on });
        }
        // Art 33 ¶2: 延长的期限最长不得超过20个工作日 — in total, however many decisions.
        let total = self.extension.saturating_add(days);
        if total > MAX_EXTENSION_WORKING_DAYS {
            return Err(ClockError::ExtensionTooLong {
                index,
                on,
                requested: days,
                already: self.extension,
                remaining: MAX_EXTENSION_WORKING_DAYS.saturating_sub(self.extension),
                max: MAX_EXTENSION_WORKING_DAYS,
            });
        }
        // An extension extends a running period; once it has run out there is nothing to extend.
        let due = self.due()?;
        if on > due {
            return Err(ClockError::ExtensionAfterDue { index, on, due });
        }
        self.extension = total;
        let new_due = self.due()?;
        self.explanation
            .push(explain::extension(on, days, approver, new_due));
        Ok(())
    }

    fn consultation_started(
        &mut self,
        index: usize,
        on: NaiveDate,
        party: ConsultationParty,
    ) -> Result<(), ClockError> {
        self.ensure_running(index, "开始征求意见", on, true)?;
        let due = self.due()?;
        if on > due {
            self.warnings.push(explain::consultation_after_due(on, due));
        }
        // Arts 32, 34: the consulted party answers within 15 working days of receiving the
        // request; the start of the consultation stands in for that receipt.
        let party_due = self.add_working_days(on, CONSULTATION_REPLY_WORKING_DAYS)?;
        self.explanation
            .push(explain::consultation_started(on, party, party_due));
        self.phase = Phase::Consulting {
            since: on,
            party,
            party_due,
        };
        Ok(())
    }

    fn consultation_ended(&mut self, index: usize, on: NaiveDate) -> Result<(), ClockError> {
        let Phase::Consulting {
            since,
            party,
            party_due,
        } = self.phase
        else {
            return Err(ClockError::ConsultationEndWithoutStart { index, on });
        };
        // Art 33 ¶3: 征求第三方和其他机关意见所需时间不计算在前款规定的期限内.
        let pause = Pause {
            from: since,
            to: on,
        };
        let before = self.due()?;
        let days = working_days_in(self.calendar, pause)?;
        self.pauses.push(pause);
        let after = self.due()?;
        if on > party_due {
            self.warnings
                .push(explain::consultation_overran(party, on, party_due));
        }
        self.explanation.push(explain::consultation_ended(
            party, since, on, days, before, after,
        ));
        self.phase = Phase::Running;
        Ok(())
    }

    fn fee_notice(&mut self, index: usize, on: NaiveDate, amount: Money) -> Result<(), ClockError> {
        // 109号 Art 3: one standard, one charge per application.
        if let Some(first) = self.fee_notice_on {
            return Err(ClockError::SecondFeeNotice { index, on, first });
        }
        self.ensure_running(index, "收费通知", on, true)?;
        if !amount.is_positive() {
            return Err(ClockError::FeeAmountNotPositive { index, on, amount });
        }
        // 109号 (via S5): the notice is sent within the processing period.
        let due = self.due()?;
        if on > due {
            self.warnings.push(explain::late_fee_notice(on, due));
        }
        let pay_due = super::period::fee_payment_due(self.calendar, on)?;
        self.fee_notice_on = Some(on);
        self.explanation
            .push(explain::fee_notice(on, amount, pay_due));
        self.phase = Phase::AwaitingPayment {
            notice_on: on,
            due: pay_due,
        };
        Ok(())
    }

    fn fee_paid(&mut self, index: usize, on: NaiveDate) -> Result<(), ClockError> {
        let Phase::AwaitingPayment { notice_on, .. } = self.phase else {
            return Err(ClockError::FeePaidWithoutNotice { index, on });
        };
        // UNCONFIRMED (legal-rules.md §C.4): the wait for payment is a pause, notice day through
        // payment day inclusive.
        let pause = Pause {
            from: notice_on,
            to: on,
        };
        let before = self.due()?;
        let days = working_days_in(self.calendar, pause)?;
        self.pauses.push(pause);
        let after = self.due()?;
        self.fee_paid_on = Some(on);
        self.explanation
            .push(explain::fee_paid(notice_on, on, days, before, after));
        self.phase = Phase::Running;
        Ok(())
    }

    /// Why `outcome` cannot be the reply given what was recorded, if it cannot.
    fn outcome_mismatch(&self, outcome: Outcome) -> Option<String> {
        match outcome {
            Outcome::OtherOverdueCorrection => Some(match (self.corrected_on, self.phase) {
                (Some(c), _) => format!("申请人已于{c}补正，不能按逾期不补正处理"),
                (None, Phase::AwaitingCorrection { due }) => {
                    format!("补正期限（至{due}）尚未届满，不能按逾期不补正处理")
                }
                _ => "没有登记补正告知，不能按逾期不补正处理；请先登记补正告知".to_owned(),
            }),
            Outcome::OtherOverdueFee => Some(match (self.fee_paid_on, self.phase) {
                (Some(p), _) => format!("申请人已于{p}缴费，不能按逾期未缴费处理"),
                (None, Phase::AwaitingPayment { due, .. }) => {
                    format!("缴费期限（至{due}）尚未届满，不能按逾期未缴费处理")
                }
                _ => "没有登记收费通知，不能按逾期未缴费处理；请先登记收费通知".to_owned(),
            }),
            // Row （四）3 counts applications still unclear *after* the one correction (Art 30).
            Outcome::UnableUnclearAfterCorrection if self.corrected_on.is_none() => Some(
                "没有登记收到补正的申请：只有申请人补正后申请内容仍不明确的，才能按此项答复\
                 （条例第三十条）；请先登记补正告知和收到补正"
                    .to_owned(),
            ),
            _ => None,
        }
    }

    fn replied(&mut self, index: usize, on: NaiveDate, outcome: Outcome) -> Result<(), ClockError> {
        if let Some(reason) = self.outcome_mismatch(outcome) {
            return Err(ClockError::OutcomeNotApplicable {
                index,
                on,
                outcome: outcome.label(),
                reason,
            });
        }
        match self.phase {
            Phase::Running => {}
            Phase::Consulting { since, party, .. } => {
                return Err(ClockError::RepliedDuringConsultation {
                    index,
                    on,
                    since,
                    party: party.activity(),
                });
            }
            Phase::AwaitingPayment { notice_on, due } => {
                return Err(ClockError::RepliedBeforePayment {
                    index,
                    on,
                    notice_on,
                    due,
                });
            }
            Phase::AwaitingCorrection { due } => {
                return Err(ClockError::RepliedDuringCorrection { index, on, due });
            }
            Phase::Replied { .. } | Phase::Withdrawn { .. } => {
                // Closed cases are turned away in `apply`; kept for a total match.
                self.ensure_running(index, "答复", on, false)?;
            }
        }
        let due = self.due()?;
        let late_by = if on > due {
            self.calendar.working_days_between(due, on)?
        } else {
            0
        };
        self.explanation
            .push(explain::replied(on, outcome, due, late_by));
        self.phase = Phase::Replied {
            on,
            outcome,
            due: Some(due),
        };
        Ok(())
    }

    /// Where things stand on `today`.
    pub(super) fn finish(mut self) -> Result<ClockState, ClockError> {
        let today = self.today;
        let mut paused_working_days = 0u32;
        for pause in &self.pauses {
            paused_working_days =
                paused_working_days.saturating_add(working_days_in(self.calendar, *pause)?);
        }
        let mut state = ClockState {
            status: ClockStatus::Running,
            first_received_on: self.first_received_on,
            channel: self.channel,
            received_on: self.start,
            due_date: None,
            applicant_due_date: None,
            consultation_due_date: None,
            extension_working_days: self.extension,
            paused_working_days,
            working_days_left: None,
            overdue: false,
            replied_late: false,
            closed_on: None,
            outcome: None,
            result_row: None,
            warnings: Vec::new(),
            explanation: Vec::new(),
        };
        match self.phase {
            Phase::Running => {
                let due = self.due()?;
                let left = self.calendar.working_days_between(today, due)?;
                state.due_date = Some(due);
                state.working_days_left = Some(left);
                state.overdue = today > due;
                self.explanation
                    .push(explain::running_today(today, due, left));
            }
            Phase::AwaitingCorrection { due } => {
                state.applicant_due_date = Some(due);
                if today > due {
                    state.status = ClockStatus::ClosedOverdueCorrection;
                    state.closed_on = Some(day_after(due));
                    state.result_row = Some(ResultRow::OtherOverdueCorrection);
                    self.explanation.push(explain::correction_lapsed(due));
                } else {
                    state.status = ClockStatus::AwaitingCorrection;
                    self.explanation
                        .push(explain::awaiting_correction_today(today, due));
                }
            }
            Phase::Consulting {
                since,
                party,
                party_due,
            } => {
                let due = self.due_with(Some(Pause {
                    from: since,
                    to: today,
                }))?;
                let left = self.calendar.working_days_between(today, due)?;
                state.status = ClockStatus::PausedConsultation;
                state.due_date = Some(due);
                state.working_days_left = Some(left);
                state.overdue = today > due;
                state.consultation_due_date = Some(party_due);
                if today > party_due {
                    self.warnings
                        .push(explain::consultation_overdue_today(party, party_due));
                }
                self.explanation.push(explain::consulting_today(
                    today, party, since, party_due, due, left,
                ));
            }
            Phase::AwaitingPayment {
                notice_on,
                due: pay_due,
            } => {
                state.applicant_due_date = Some(pay_due);
                if today > pay_due {
                    state.status = ClockStatus::ClosedOverdueFee;
                    state.closed_on = Some(day_after(pay_due));
                    state.result_row = Some(ResultRow::OtherOverdueFee);
                    self.explanation.push(explain::payment_lapsed(pay_due));
                } else {
                    let due = self.due_with(Some(Pause {
                        from: notice_on,
                        to: today,
                    }))?;
                    let left = self.calendar.working_days_between(today, due)?;
                    state.status = ClockStatus::AwaitingPayment;
                    state.due_date = Some(due);
                    state.working_days_left = Some(left);
                    state.overdue = today > due;
                    self.explanation
                        .push(explain::awaiting_payment_today(today, pay_due, due, left));
                }
            }
            Phase::Replied { on, outcome, due } => {
                state.status = ClockStatus::Replied;
                state.due_date = due;
                state.replied_late = due.is_some_and(|due| on > due);
                state.closed_on = Some(on);
                state.outcome = Some(outcome);
                state.result_row = Some(outcome.table3_row());
            }
            Phase::Withdrawn { on } => {
                state.status = ClockStatus::Withdrawn;
                state.closed_on = Some(on);
                state.result_row = Some(ResultRow::OtherOther);
            }
        }
        state.warnings = self.warnings;
        state.explanation = self.explanation;
        Ok(state)
    }
}
