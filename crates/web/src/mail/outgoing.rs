//! The payload of a [`MAIL_SEND`] job.

use gongkai_store::NewJob;
use serde::{Deserialize, Serialize};

/// The job kind that sends one e-mail.
pub const MAIL_SEND: &str = "mail.send";

/// One plain-text e-mail to one recipient, as stored in the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// Stable id of this mail (becomes the Message-ID). If a worker dies after the SMTP server
    /// accepted the mail but before the job was marked done, the retry carries the same
    /// Message-ID, so mail systems that deduplicate by it show the mail once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_id: Option<String>,
}

impl OutgoingMail {
    /// The job that sends this mail; with an idempotency id, also its dedup key, so the same
    /// mail is queued at most once however often it is asked for.
    pub fn job(&self) -> Result<NewJob, serde_json::Error> {
        let job = NewJob::new(MAIL_SEND, serde_json::to_value(self)?);
        Ok(match &self.idempotency_id {
            Some(id) => job.dedup_key(&format!("{MAIL_SEND}:{id}")),
            None => job,
        })
    }
}

/// Turns any text into the characters a Message-ID may carry (RFC 5322 dot-atom): keeps ASCII
/// letters, digits and `-`, maps everything else to `.`.
pub fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_mail_with_an_idempotency_id_is_queued_under_a_dedup_key_of_it() {
        let mail = OutgoingMail {
            to: "a@example.gov.cn".into(),
            subject: "s".into(),
            body: "b".into(),
            idempotency_id: Some("reminder.1.statutory".into()),
        };
        let job = mail.job().unwrap();
        assert_eq!(job.kind, MAIL_SEND);
        assert_eq!(
            job.dedup_key.as_deref(),
            Some("mail.send:reminder.1.statutory")
        );
        let back: OutgoingMail = serde_json::from_value(job.payload).unwrap();
        assert_eq!(back, mail);
        let anonymous = OutgoingMail {
            idempotency_id: None,
            ..mail
        };
        assert_eq!(anonymous.job().unwrap().dedup_key, None);
    }

    #[test]
    fn id_parts_keep_only_message_id_characters() {
        assert_eq!(id_part("reminder:12:2026-10-09"), "reminder.12.2026-10-09");
        assert_eq!(id_part("申请"), "..");
    }
}
