//! Letters to the applicant (告知书) from the case: the officer picks which letter, the text is
//! rendered from the organ's template (or the default shipped with the program, crates/letters)
//! with the facts of the case — outcome and article, reasons, withheld parts, fee, correction
//! items — and stored as issued. Downloads render the stored text to DOCX or PDF, so a later
//! template edit never changes a letter already sent. The applicant downloads the same letters
//! from the tracking page (`apply.rs`).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gongkai_law::{ClockEvent, FeeDecision, Outcome};
use gongkai_letters::context::{
    CorrectionRequest, ExtensionNotice, FeeNotice, OrganInfo, WithheldPart,
};
use gongkai_letters::{LetterContext, LetterKind, Template};
use gongkai_store::Application;
use gongkai_store::letters::IssuedLetter;

use super::show::show_page;
use super::{case_url, load_case, user_message};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::pages::column::download;
use crate::pages::items::form::Fields;
use crate::session::CurrentUser;
use crate::state::AppState;

/// Letters the officer can issue from the case page, by form key.
pub const LETTER_CHOICES: [(&str, &str); 4] = [
    ("reply", "答复告知书（按已记录的办理结果）"),
    ("correction", "补正告知书"),
    ("extension", "延期答复告知书"),
    ("fee_notice", "收费通知书"),
];

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The letter text for an organ's template, or the default.
async fn template_source(state: &AppState, organ_id: i64, template: Template) -> AppResult<String> {
    Ok(state
        .store()
        .letters()
        .template(organ_id, template.key())
        .await?
        .map_or_else(|| template.default_source().to_owned(), |t| t.source))
}

fn text_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The context of a letter from the case and its timeline, or the Chinese reason the chosen
/// letter does not fit the case (e.g. a 补正告知书 without a 补正 step).
async fn context_for(
    state: &AppState,
    app: &Application,
    choice: &str,
    f: &Fields,
) -> AppResult<Result<(LetterKind, LetterContext), String>> {
    let organ = crate::pages::organs::load(state, app.organ_id).await?;
    let parent = match organ.parent_id {
        Some(p) => state.store().organs().get(p).await?.map(|o| o.name),
        None => None,
    };
    let c = &organ.contact;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut ctx = LetterContext {
        organ: OrganInfo {
            name: organ.name.clone(),
            address: text(&c.address),
            postcode: text(&c.postal_code),
            phone: text(&c.phone),
            contact: text(&c.office_name),
            // A 街道 or department is reviewed by the government above it (行政复议法 2023).
            reconsideration_organ: parent.unwrap_or_default(),
            court: String::new(),
        },
        letter_no: f.get("letter_no").trim().to_owned(),
        tracking_no: app.tracking_no.clone(),
        applicant_name: app.applicant_name.clone(),
        applicant_address: app.address.clone(),
        received_on: Some(app.received_on),
        request: app.description.clone(),
        provision_form: Some(app.provision_form),
        reply_on: Some(state.today()),
        access: f.get("access").trim().to_owned(),
        ..LetterContext::default()
    };
    let events = state.store().applications().events(app.id).await?;
    let last_of = |pred: fn(&ClockEvent) -> bool| events.iter().rev().find(|e| pred(&e.event));
    let calendar = state.calendar();
    let kind = match choice {
        "reply" => {
            let Some(e) = last_of(|e| matches!(e, ClockEvent::Replied { .. })) else {
                return Ok(Err(
                    "尚未记录答复：请先在“答复”中记录办理结果，再生成答复告知书".to_owned(),
                ));
            };
            let ClockEvent::Replied { on, outcome } = &e.event else {
                return Ok(Err("办理记录有误，请刷新页面".to_owned()));
            };
            ctx.reply_on = Some(*on);
            let details = &e.details;
            ctx.reason = details["reason"].as_str().unwrap_or_default().to_owned();
            ctx.withheld = details["withheld"]
                .as_array()
                .map(|parts| {
                    parts
                        .iter()
                        .map(|w| {
                            let basis =
                                Outcome::from_key(w["basis"].as_str().unwrap_or_default()).ok();
                            WithheldPart {
                                part: w["what"].as_str().unwrap_or_default().to_owned(),
                                reason: basis.map_or_else(String::new, |b| {
                                    b.label().trim_start_matches("不予公开：").to_owned()
                                }),
                                basis: basis.map_or_else(String::new, gongkai_letters::legal_basis),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            if *outcome == Outcome::NotThisOrgan {
                ctx.responsible_organ = f.get("responsible_organ").trim().to_owned();
            }
            LetterKind::Reply(*outcome)
        }
        "correction" => {
            let Some(e) = last_of(|e| matches!(e, ClockEvent::CorrectionNotice { .. })) else {
                return Ok(Err(
                    "尚未记录补正告知：请先记录补正告知，再生成补正告知书".to_owned()
                ));
            };
            let ClockEvent::CorrectionNotice {
                on,
                period_working_days,
            } = &e.event
            else {
                return Ok(Err("办理记录有误，请刷新页面".to_owned()));
            };
            ctx.reply_on = Some(*on);
            ctx.correction = Some(CorrectionRequest {
                items: text_lines(e.details["what"].as_str().unwrap_or_default()),
                period_working_days: *period_working_days,
                due_on: gongkai_law::clock::correction_due(calendar, *on, *period_working_days)
                    .unwrap_or(*on),
            });
            LetterKind::Correction
        }
        "extension" => {
            let Some(e) = last_of(|e| matches!(e, ClockEvent::Extension { .. })) else {
                return Ok(Err(
                    "尚未记录延期：请先记录延期，再生成延期答复告知书".to_owned()
                ));
            };
            let ClockEvent::Extension {
                on, working_days, ..
            } = &e.event
            else {
                return Ok(Err("办理记录有误，请刷新页面".to_owned()));
            };
            let clock = state.store().applications().clock(app.id, calendar).await?;
            ctx.reply_on = Some(*on);
            ctx.extension = Some(ExtensionNotice {
                working_days: *working_days,
                new_due_on: clock.and_then(|c| c.due_date).unwrap_or(*on),
                reason: f.get("reason").trim().to_owned(),
            });
            LetterKind::Extension
        }
        "fee_notice" => {
            let Some(e) = last_of(|e| matches!(e, ClockEvent::FeeNotice { .. })) else {
                return Ok(Err(
                    "尚未记录收费通知：请先记录收费通知，再生成收费通知书".to_owned()
                ));
            };
            let Ok(decision) = serde_json::from_value::<FeeDecision>(e.details["decision"].clone())
            else {
                return Ok(Err("收费记录缺少计算明细，无法生成收费通知书".to_owned()));
            };
            let on = e.event.on();
            ctx.reply_on = Some(on);
            ctx.fee = Some(FeeNotice {
                decision,
                payment_method: e.details["payment_method"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                pay_by: gongkai_law::clock::fee_payment_due(calendar, on).ok(),
            });
            LetterKind::FeeNotice
        }
        _ => return Ok(Err("请选择要生成的告知书".to_owned())),
    };
    Ok(Ok((kind, ctx)))
}

/// `POST …/applications/{id}/letters`: renders and issues a letter.
pub async fn letter_issue(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, application_id)): Path<(i64, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    let app = load_case(&state, organ_id, application_id).await?;
    let refuse = async |message: String| {
        show_page(
            &state,
            &user,
            &chain,
            (organ_id, application_id),
            None,
            Some(message),
        )
        .await
    };
    let f = Fields::parse(&body);
    let (kind, ctx) = match context_for(&state, &app, f.get("letter"), &f).await? {
        Ok(k) => k,
        Err(m) => return refuse(m).await,
    };
    let source = template_source(&state, organ_id, kind.template()).await?;
    let rendered = gongkai_letters::render_text(kind, &source, &ctx)
        .and_then(|text| gongkai_letters::convention::to_document(&text).map(|d| (text, d)));
    let (text, document) = match rendered {
        Ok(r) => r,
        Err(e) => {
            return refuse(format!(
                "告知书生成失败：{e}。请由系统管理员检查本机关的告知书模板"
            ))
            .await;
        }
    };
    let kind_json = serde_json::to_value(kind).map_err(|e| AppError::Internal(e.to_string()))?;
    let result = state
        .store()
        .write(&user.actor(), async |tx| {
            gongkai_store::letters::issue_letter(
                tx,
                application_id,
                &kind_json,
                &document.title,
                &text,
            )
            .await
        })
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?ok=application_letter#letters",
            case_url(organ_id, application_id)
        ))
        .into_response()),
        Err(e) => {
            let m = user_message(e)?;
            refuse(m).await
        }
    }
}

/// Whether an issued letter goes to the applicant (the 征询函 goes to the third party).
pub fn for_applicant(letter: &IssuedLetter) -> bool {
    serde_json::from_value::<LetterKind>(letter.kind.clone())
        .is_ok_and(|k| k != LetterKind::Consultation)
}

/// The stored letter as a file: `docx` or `pdf`.
pub async fn letter_file(
    state: &AppState,
    letter: &IssuedLetter,
    format: &str,
) -> AppResult<Response> {
    let document = gongkai_letters::convention::to_document(&letter.body_text)
        .map_err(|e| AppError::Internal(format!("告知书内容无法排版：{e}")))?;
    let name = format!("{}.{format}", letter.title);
    match format {
        "docx" => {
            let bytes = gongkai_typeset::to_docx(&document, &gongkai_typeset::DocxStyle::default())
                .map_err(|e| AppError::Internal(format!("生成 Word 文件失败：{e}")))?;
            Ok(download(bytes, DOCX, &name, "private, no-store"))
        }
        "pdf" => {
            let bytes = crate::pdf_render::render(state, document).await?;
            Ok(download(
                bytes,
                "application/pdf",
                &name,
                "private, no-store",
            ))
        }
        _ => Err(AppError::NotFound),
    }
}

/// `GET …/applications/{id}/letters/{letter_id}/{format}` (format `docx` or `pdf`).
pub async fn letter_download(
    State(state): State<AppState>,
    Path((organ_id, application_id, letter_id, format)): Path<(i64, i64, i64, String)>,
) -> AppResult<Response> {
    load_case(&state, organ_id, application_id).await?;
    let letter = state
        .store()
        .letters()
        .letter(application_id, letter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    letter_file(&state, &letter, &format).await
}

/// A line of the case page's letter list.
pub struct LetterLine {
    pub id: i64,
    pub title: String,
    pub issued_on: NaiveDate,
}

pub fn letter_lines(letters: &[IssuedLetter]) -> Vec<LetterLine> {
    letters
        .iter()
        .map(|l| LetterLine {
            id: l.id,
            title: l.title.clone(),
            issued_on: gongkai_store::china_date(l.created_at),
        })
        .collect()
}
