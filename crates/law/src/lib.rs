//! The 《政府信息公开条例》 (国务院令第711号, 2019) and the 信息处理费 rules (国办函〔2020〕109号) as
//! code. Pure: no IO, no clock reads — "today" is always a parameter — and every legal decision of
//! gongkai is made here once, for the web, the CLI and the auditor alike (DESIGN.md §2).
//!
//! - [`clock`]: the application clock — receipt (Art 31), 补正 (Art 30), extension (Art 33 ¶2),
//!   consultation pauses (Arts 32–34), the fee wait (109号), reply, withdrawal.
//! - [`proactive`]: the Art 26 deadline for proactive disclosure.
//! - [`catalogue`]: 体裁分类, 公开渠道, 有效性 and the Art 20 items of the 政府信息公开目录.
//! - [`editorial`]: 采编 → 审核 (保密审查, Art 17) → 发布, withholding and re-review (Art 18).
//! - [`fee`]: the per-piece and per-page fee tiers of 109号.
//! - [`outcome`]: reply outcomes and the table-三 row each is counted in.
//! - [`applicant`]: the six applicant types (table-三 columns).
//! - [`provision`]: the form in which information is provided (Art 40).
//! - [`identity`]: the applicant's 身份证明 (Art 29 ¶2(1)): 居民身份证号码 (GB 11643-1999),
//!   统一社会信用代码 (GB 32100-2015), other documents, masking for lists and exports.
//! - [`year_status`]: 新收 / 上年结转 / 办理结果 / 结转下年度 of table 三, derived from dates.
//! - [`repeat`]: candidates for 重复申请 (Art 36(6)) for the officer to confirm.
//!
//! Sources and open questions: `spec/legal-rules.md` (§A.4, §A.6, §B.3, §C, §D.3).

pub mod applicant;
pub mod catalogue;
pub mod challenge;
pub mod clock;
pub mod editorial;
pub mod error;
pub mod fee;
pub mod identity;
pub mod money;
pub mod outcome;
pub mod proactive;
pub mod provision;
pub mod repeat;
pub mod year_status;

pub use applicant::ApplicantType;
pub use catalogue::{Art20Item, Channel as PublicationChannel, Genre, Validity};
pub use challenge::{
    ChallengeError, ChallengeFacts, ChallengeKind, ChallengeResult, table4_column,
};
pub use clock::{Channel, ClockEvent, ClockState, ClockStatus, ConsultationParty, evaluate};
pub use editorial::{
    Actor as EditorialActor, EditorialError, ItemState, SecrecyCheck, Step, WithholdBasis,
    next_state,
};
pub use error::{
    ClockError, CreditCodeError, FeeError, IdDocumentError, ProactiveError, ResidentIdError,
    UnknownKeyError, YearStatusError,
};
pub use fee::{
    FeeBreakdown, FeeDecision, FeeStandard, FeeTier, per_page_applies, per_page_fee,
    per_piece_fee_for_nth, per_piece_total,
};
pub use identity::{
    ApplicantKey, CreditCode, IdDocument, IdDocumentKind, ResidentIdNumber, mask_email, mask_phone,
};
pub use money::Money;
pub use outcome::{Outcome, ResultRow};
pub use proactive::{
    PendingTimeliness, PublicationTimeliness, classify_publication, proactive_due_date,
    proactive_due_date_with_period,
};
pub use provision::ProvisionForm;
pub use repeat::{
    AnsweredApplication, NewApplication, RepeatCandidate, Similarity, repeat_candidates,
};
pub use year_status::{CaseDates, YearStatus, YearTally};
