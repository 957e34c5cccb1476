//! The letters sent to applicants and third parties — 答复告知书 for every legal outcome,
//! 补正告知书, 延期答复告知书, 收费通知书 and the 第三方意见征询函 — written from templates that
//! staff may edit. Pure: text in, a `gongkai_typeset::Document` out (DOCX/PDF are the writers'
//! business).
//!
//! - [`LetterKind`]: which letter; [`Template`]: the editable unit (outcomes that read alike share
//!   one, e.g. the seven 不予公开 reasons); [`Template::default_source`]: the text shipped here.
//! - [`LetterContext`]: the typed facts of the case; templates see them as strings (dates in
//!   Chinese, money with 元, full citations): the variables are listed in docs/guide/letters.md.
//! - [`render`] / [`render_default`]: template + context → document, by the text convention of
//!   [`convention`]. [`check`]: validates an edited template against [`LetterContext::sample`]
//!   and returns a Chinese message with the line number.
//!
//! Templates are minijinja with strict undefined, a fuel limit, a length cap, no loader and no
//! include/import: a template reaches its context and nothing else.

pub mod context;
pub mod convention;
mod error;
mod kind;
mod render;
mod sample;

pub use context::{
    CONSULTATION_WORKING_DAYS, ConsultationRequest, CorrectionRequest, ExtensionNotice,
    FEE_PAYMENT_WORKING_DAYS, FeeNotice, LetterContext, OrganInfo, WithheldPart, chinese_date,
};
pub use error::LetterError;
pub use kind::{FEE_MEASURES, LetterKind, Template, legal_basis, reply_template};
pub use render::{
    FUEL, MAX_OUTPUT_CHARS, MAX_TEMPLATE_CHARS, check, render, render_default, render_text,
};
