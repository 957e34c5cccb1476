//! The 《政府信息公开条例》 (国务院令第711号, 2019) and the 信息处理费 rules (国办函〔2020〕109号) as
//! code. Pure: no IO, no clock reads — "today" is always a parameter — and every legal decision of
//! gongkai is made here once, for the web, the CLI and the auditor alike (DESIGN.md §2).
//!
//! - [`clock`]: the application clock — receipt (Art 31), 补正 (Art 30), extension (Art 33 ¶2),
//!   consultation pauses (Arts 32–34), the fee wait (109号), reply, withdrawal.
//! - [`proactive`]: the Art 26 deadline for proactive disclosure.
//! - [`fee`]: the per-piece and per-page fee tiers of 109号.
//! - [`outcome`]: reply outcomes and the table-三 row each is counted in.
//! - [`applicant`]: the six applicant types (table-三 columns).
//! - [`provision`]: the form in which information is provided (Art 40).
//!
//! Sources and open questions: `spec/legal-rules.md` (§A.4, §A.6, §B.3, §C, §D.3).

pub mod applicant;
pub mod clock;
pub mod error;
pub mod fee;
pub mod money;
pub mod outcome;
pub mod proactive;
pub mod provision;

pub use applicant::ApplicantType;
pub use clock::{Channel, ClockEvent, ClockState, ClockStatus, ConsultationParty, evaluate};
pub use error::{ClockError, FeeError, ProactiveError, UnknownKeyError};
pub use fee::{
    FeeBreakdown, FeeDecision, FeeStandard, FeeTier, per_page_applies, per_page_fee,
    per_piece_fee_for_nth, per_piece_total,
};
pub use money::Money;
pub use outcome::{Outcome, ResultRow};
pub use proactive::{
    PublicationTimeliness, classify_publication, proactive_due_date, proactive_due_date_with_period,
};
pub use provision::ProvisionForm;
