//! E-mail: deadline reminders to staff and notices to applicants.
//!
//! Nothing is sent from a request handler. Handlers and the reminder sweep enqueue a
//! [`MAIL_SEND`] job (in the same transaction as the business write that calls for it), and the
//! job worker (`worker.rs`) sends it through the configured [`Mailer`]: an SMTP server
//! (lettre, rustls — no OpenSSL) or, for tests and demos, `.eml` files in a directory. A mail
//! server that is down therefore never fails or slows a request; the job is retried with
//! backoff (`gongkai_store::jobs`).
//!
//! - [`outgoing`]: the job payload (to, subject, plain-text body, idempotency id).
//! - [`mailer`]: the transport built from the configuration, with the startup checks.
//! - [`texts`]: the Chinese texts of every mail.
//! - [`notices`]: the applicant's confirmation and extension notice, enqueued in the caller's
//!   transaction.

pub mod mailer;
pub(crate) mod notices;
pub mod outgoing;
pub mod texts;

pub use mailer::{MailError, Mailer};
pub use outgoing::{MAIL_SEND, OutgoingMail};
