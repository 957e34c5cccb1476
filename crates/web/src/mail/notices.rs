//! Mails to the applicant, enqueued inside the transaction of the step that calls for them, so
//! a notice exists exactly when its step was committed (and a rolled-back step leaves none).
//! Only when mail is configured and the applicant gave an e-mail address.

use gongkai_store::{Application, StoreError, WriteTx, jobs};

use super::outgoing::OutgoingMail;
use super::texts::{self, Confirmation, ExtensionNotice};
use crate::config::MailTransport;
use crate::state::AppState;

/// The public tracking page (tracking number + secret).
const TRACK_PATH: &str = "/track";

fn wanted(state: &AppState, app: &Application) -> bool {
    state.config().mail_transport != MailTransport::Off && !app.email.trim().is_empty()
}

async fn enqueue(tx: &mut WriteTx, mail: OutgoingMail) -> Result<(), StoreError> {
    let job = mail
        .job()
        .map_err(|e| StoreError::Corrupt(format!("邮件任务: {e}")))?;
    jobs::enqueue(tx, &job).await?;
    Ok(())
}

/// The confirmation of an online application: tracking number, receipt date (Art 31), reply
/// due date (Art 33) and where to track — never the secret (see `texts::confirmation`).
pub async fn confirmation_in(
    tx: &mut WriteTx,
    state: &AppState,
    organ_name: &str,
    app: &Application,
) -> Result<(), StoreError> {
    if !wanted(state, app) {
        return Ok(());
    }
    let (subject, body) = texts::confirmation(&Confirmation {
        applicant_name: &app.applicant_name,
        organ_name,
        tracking_no: &app.tracking_no,
        received_on: app.received_on,
        due_on: app.due_on,
        track_link: texts::link(state.config().public_url.as_deref(), TRACK_PATH),
    });
    enqueue(
        tx,
        OutgoingMail {
            to: app.email.clone(),
            subject,
            body,
            idempotency_id: Some(format!("application.{}.received", app.id)),
        },
    )
    .await
}

/// The notice of an extension (条例 Art 33 ¶2: 需要延长答复期限的，应当……告知申请人), with the
/// new due date. One per resulting due date: a second extension gives a second notice.
pub async fn extension_in(
    tx: &mut WriteTx,
    state: &AppState,
    organ_name: &str,
    app: &Application,
    working_days: u32,
) -> Result<(), StoreError> {
    if !wanted(state, app) {
        return Ok(());
    }
    let (subject, body) = texts::extension_notice(&ExtensionNotice {
        applicant_name: &app.applicant_name,
        organ_name,
        tracking_no: &app.tracking_no,
        working_days,
        new_due_on: app.due_on,
        track_link: texts::link(state.config().public_url.as_deref(), TRACK_PATH),
    });
    let due = app
        .due_on
        .map_or_else(|| format!("v{}", app.version), |d| d.to_string());
    enqueue(
        tx,
        OutgoingMail {
            to: app.email.clone(),
            subject,
            body,
            idempotency_id: Some(format!("application.{}.extension.{due}", app.id)),
        },
    )
    .await
}
