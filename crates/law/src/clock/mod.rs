//! The application clock (依申请公开, 条例 Arts 30–34; fee wait under 国办函〔2020〕109号).
//!
//! An application's history is a list of [`ClockEvent`]s; [`evaluate`] replays it against the
//! working-day [`Calendar`] and says, for a given `today`, whether the application is running,
//! paused or closed, when the reply is due, and how that date came about, in Chinese lines an
//! officer reads one by one. Impossible histories are refused with a [`ClockError`] naming the
//! record at fault; irregular but possible ones (a late 补正告知) produce warnings.
//!
//! Day counting: the start day is not counted and the due date is the N-th working day after it
//! (legal-rules.md §A.6, 《民法典》 Art 201).

mod engine;
mod event;
mod explain;
mod period;
mod state;

pub use event::{Channel, ClockEvent, ConsultationParty, ReceiptDateError};
pub use period::{correction_due, fee_payment_due};
pub use state::{ClockState, ClockStatus};

use crate::error::ClockError;
use chrono::NaiveDate;
use engine::Engine;
use gongkai_calendar::Calendar;

/// 条例 Art 33 ¶2: reply within 20 working days of receipt.
pub const REPLY_PERIOD_WORKING_DAYS: u32 = 20;
/// 条例 Art 33 ¶2: 延长的期限最长不得超过20个工作日.
pub const MAX_EXTENSION_WORKING_DAYS: u32 = 20;
/// 条例 Art 30: the 补正告知 is due within 7 working days of receipt.
pub const CORRECTION_NOTICE_WORKING_DAYS: u32 = 7;
/// 条例 Arts 32, 34: the consulted party answers within 15 working days.
pub const CONSULTATION_REPLY_WORKING_DAYS: u32 = 15;
/// 国办函〔2020〕109号 (as restated by S5): pay within 20 working days from the day after the notice.
pub const FEE_PAYMENT_WORKING_DAYS: u32 = 20;

/// Replays `events` (in date order, starting with [`ClockEvent::Received`]) and returns the
/// application's state on `today`. No event may be dated after `today`.
pub fn evaluate(
    events: &[ClockEvent],
    today: NaiveDate,
    calendar: &Calendar,
) -> Result<ClockState, ClockError> {
    let Some((first, rest)) = events.split_first() else {
        return Err(ClockError::NoEvents);
    };
    let ClockEvent::Received { on, channel } = first else {
        return Err(ClockError::FirstNotReceipt {
            index: 0,
            kind: first.label(),
        });
    };
    if *on > today {
        return Err(ClockError::AfterToday {
            index: 0,
            kind: first.label(),
            on: *on,
            today,
        });
    }
    let mut engine = Engine::start(calendar, today, *on, *channel)?;
    for (offset, event) in rest.iter().enumerate() {
        engine.apply(offset + 1, event)?;
    }
    engine.finish()
}
