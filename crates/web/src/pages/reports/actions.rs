//! The form actions of the report workspace. Each carries the version of the report the user
//! saw (a stale form is refused, nothing written); a refusal shows the workspace again with the
//! reasons (422), a success redirects back with a confirmation.

use std::collections::BTreeMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_annual::figures_import::{SheetRow, apply_rows};
use gongkai_annual::workflow;
use gongkai_store::annual_reports::FigureKey;
use gongkai_store::{FigureEntry, Narrative, ReportFigures};

use super::{annual_messages, parse_year, report_url, show::render, user_message};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::pages::items::form::Fields;
use crate::session::CurrentUser;
use crate::state::AppState;

/// What every action needs to answer.
struct Ctx<'a> {
    state: &'a AppState,
    user: &'a CurrentUser,
    chain: &'a [i64],
    organ_id: i64,
    year: i32,
}

impl Ctx<'_> {
    async fn refused(&self, errors: Vec<String>) -> AppResult<Response> {
        render(
            self.state,
            self.user,
            self.chain,
            self.organ_id,
            self.year,
            None,
            errors,
        )
        .await
    }

    fn done(&self, code: &str) -> Response {
        Redirect::to(&format!(
            "{}?ok={code}",
            report_url(self.organ_id, self.year)
        ))
        .into_response()
    }

    /// The stored report's id, or a refusal when it was never opened.
    async fn report_id(&self) -> AppResult<Result<i64, Vec<String>>> {
        Ok(
            match self
                .state
                .store()
                .annual_reports()
                .get(self.organ_id, self.year)
                .await?
            {
                Some(r) => Ok(r.id),
                None => Err(vec![format!(
                    "{}年度报告尚未建立：请先点击“建立 {} 年度报告”",
                    self.year, self.year
                )]),
            },
        )
    }

    /// Turns a store result into the redirect or the refusal page.
    async fn finish<T>(&self, result: gongkai_store::Result<T>, code: &str) -> AppResult<Response> {
        match result {
            Ok(_) => Ok(self.done(code)),
            Err(e) => {
                let message = user_message(e)?;
                self.refused(vec![message]).await
            }
        }
    }
}

impl Ctx<'_> {
    /// The posted form, the stored report's id and the version the user saw; or the page
    /// that refuses the action (no version, report never opened).
    async fn form_of(&self, body: &Bytes) -> AppResult<Result<(Fields, i64, i64), Response>> {
        let fields = Fields::parse(body);
        let Some(version) = version_of(&fields) else {
            return Ok(Err(self.refused(vec![NO_VERSION.to_owned()]).await?));
        };
        Ok(match self.report_id().await? {
            Ok(id) => Ok((fields, id, version)),
            Err(e) => Err(self.refused(e).await?),
        })
    }
}

fn version_of(fields: &Fields) -> Option<i64> {
    fields.get("version").trim().parse().ok()
}

const NO_VERSION: &str = "表单缺少报告版本，请刷新页面后重新操作";

/// `POST …/reports`: opens (creates) the report of the year in the form.
pub async fn open(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let fields = Fields::parse(&body);
    let year = parse_year(fields.get("year"))?;
    state
        .store()
        .annual_reports()
        .open(&user.actor(), organ_id, year)
        .await?;
    Ok(Redirect::to(&format!("{}?ok=report_opened", report_url(organ_id, year))).into_response())
}

macro_rules! ctx {
    ($state:ident, $user:ident, $chain:ident, $organ_id:ident, $year:ident) => {
        Ctx {
            state: &$state,
            user: &$user,
            chain: &$chain,
            organ_id: $organ_id,
            year: parse_year(&$year)?,
        }
    };
}

/// `POST …/reports/{year}/narrative`.
pub async fn narrative(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let cx = ctx!(state, user, chain, organ_id, year);
    let (fields, id, version) = match cx.form_of(&body).await? {
        Ok(form) => form,
        Err(refused) => return Ok(refused),
    };
    let text = Narrative {
        overview: fields.get("overview").to_owned(),
        proactive: fields.get("proactive").to_owned(),
        applications: fields.get("applications").to_owned(),
        challenges: fields.get("challenges").to_owned(),
        problems: fields.get("problems").to_owned(),
        other: fields.get("other").to_owned(),
    };
    let result = state
        .store()
        .annual_reports()
        .save_narrative(&user.actor(), id, &text, version)
        .await;
    cx.finish(result, "report_saved").await
}

/// `POST …/reports/{year}/figures`.
pub async fn figures(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let cx = ctx!(state, user, chain, organ_id, year);
    let (fields, id, version) = match cx.form_of(&body).await? {
        Ok(form) => form,
        Err(refused) => return Ok(refused),
    };
    let mut figures = ReportFigures::default();
    for key in FigureKey::ALL {
        *figures.get_mut(key) = FigureEntry::new(
            fields.get(&format!("{}_value", key.key())),
            fields.get(&format!("{}_source", key.key())),
        );
    }
    let result = state
        .store()
        .annual_reports()
        .save_figures(&user.actor(), id, &figures, version)
        .await;
    cx.finish(result, "report_figures").await
}

/// `POST …/reports/{year}/explanations`: pairs of `key` and `explanation`, in form order.
pub async fn explanations(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let cx = ctx!(state, user, chain, organ_id, year);
    let (fields, id, version) = match cx.form_of(&body).await? {
        Ok(form) => form,
        Err(refused) => return Ok(refused),
    };
    let keys = fields.all("key");
    let texts = fields.all("explanation");
    if keys.len() != texts.len() {
        return cx
            .refused(vec!["表单不完整，请刷新页面后重新填写说明".to_owned()])
            .await;
    }
    // Explanations of warnings no longer raised are kept: the problem may come back.
    let mut all: BTreeMap<String, String> = state
        .store()
        .annual_reports()
        .get(organ_id, cx.year)
        .await?
        .map(|r| r.explanations)
        .unwrap_or_default();
    for (k, t) in keys.into_iter().zip(texts) {
        all.insert(k.to_owned(), t.to_owned());
    }
    let result = state
        .store()
        .annual_reports()
        .save_explanations(&user.actor(), id, &all, version)
        .await;
    cx.finish(result, "report_saved").await
}

/// An uploaded file of a multipart form, with the version field.
struct Upload {
    file: Option<(String, Vec<u8>)>,
    version: Option<i64>,
    remove: bool,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!(
            "上传的表单无法读取（{e}）。请返回上一页，重新选择文件后提交"
        ))
    };
    let mut out = Upload {
        file: None,
        version: None,
        remove: false,
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
                    .unwrap_or_default();
                let bytes = field.bytes().await.map_err(bad)?;
                if !bytes.is_empty() {
                    out.file = Some((name, bytes.to_vec()));
                }
            }
            Some("version") => {
                out.version = field.text().await.map_err(bad)?.trim().parse().ok();
            }
            Some("remove") => out.remove = true,
            _ => {}
        }
    }
    Ok(out)
}

/// `POST …/reports/{year}/figures/import` (multipart: file, version).
pub async fn figures_import(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    multipart: Multipart,
) -> AppResult<Response> {
    let cx = ctx!(state, user, chain, organ_id, year);
    let upload = read_upload(multipart).await?;
    let Some(version) = upload.version else {
        return cx.refused(vec![NO_VERSION.to_owned()]).await;
    };
    let Some((file_name, bytes)) = upload.file else {
        return cx
            .refused(vec![
                "没有收到文件：请选择 Excel（.xlsx）或 CSV 文件后再导入".to_owned(),
            ])
            .await;
    };
    let Some(report) = state
        .store()
        .annual_reports()
        .get(organ_id, cx.year)
        .await?
    else {
        return cx
            .refused(vec![format!("{}年度报告尚未建立", cx.year)])
            .await;
    };
    let table = match gongkai_docs::read_table(&bytes, &file_name) {
        Ok(t) => t,
        Err(e) => return cx.refused(vec![format!("{file_name}：{e}")]).await,
    };
    let rows: Vec<SheetRow<'_>> = table
        .rows
        .iter()
        .map(|r| (r.line, r.cells.as_slice()))
        .collect();
    let figures = match apply_rows(&report.figures, &rows, &file_name) {
        Ok((f, _)) => f,
        Err(errors) => {
            let mut all = vec![format!("{file_name} 未导入（没有改动任何数字）：")];
            all.extend(errors);
            return cx.refused(all).await;
        }
    };
    let result = state
        .store()
        .annual_reports()
        .save_figures(&user.actor(), report.id, &figures, version)
        .await;
    cx.finish(result, "report_figures").await
}

/// `POST …/reports/{year}/previous` (multipart: file, version; or `remove`): reads last year's
/// published report with the auditor and keeps its tables for the cross-year checks.
pub async fn previous(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    multipart: Multipart,
) -> AppResult<Response> {
    let cx = ctx!(state, user, chain, organ_id, year);
    let upload = read_upload(multipart).await?;
    let Some(version) = upload.version else {
        return cx.refused(vec![NO_VERSION.to_owned()]).await;
    };
    let id = match cx.report_id().await? {
        Ok(id) => id,
        Err(e) => return cx.refused(e).await,
    };
    let reports = state.store().annual_reports();
    if upload.remove {
        let result = reports
            .save_previous(&user.actor(), id, None, "", version)
            .await;
        return cx.finish(result, "report_previous").await;
    }
    let Some((file_name, bytes)) = upload.file else {
        return cx
            .refused(vec![
                "没有收到文件：请选择上一年度报告的 Word、PDF、网页或文本文件".to_owned(),
            ])
            .await;
    };
    let read = tokio::task::spawn_blocking({
        let file_name = file_name.clone();
        move || gongkai_docs::read_document(&bytes, Some(&file_name))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let document = match read {
        Ok(d) => d,
        Err(e) => return cx.refused(vec![format!("{file_name}：{e}")]).await,
    };
    let extraction = gongkai_report::extract::extract(&document);
    let tables = extraction.tables;
    if tables.table3.is_none() && tables.table2.is_none() {
        return cx
            .refused(vec![format!(
                "{file_name} 中没有找到年度报告的表格：请确认这是上一年度的政府信息公开工作年度报告"
            )])
            .await;
    }
    if let Some(found) = tables.year
        && found != cx.year - 1
    {
        return cx
            .refused(vec![format!(
                "{file_name} 是 {found} 年度的报告，不是 {} 年度的：请选择上一年度的报告",
                cx.year - 1
            )])
            .await;
    }
    let json = serde_json::to_value(&tables).map_err(|e| AppError::Internal(e.to_string()))?;
    let source = format!("{file_name}（{} 导入）", state.today());
    let result = reports
        .save_previous(&user.actor(), id, Some(&json), &source, version)
        .await;
    cx.finish(result, "report_previous").await
}

/// The two steps the annual crate gates (checks, blockers): submit and publish.
#[derive(Clone, Copy)]
enum Gated {
    Submit,
    Publish,
}

async fn gated(cx: Ctx<'_>, body: &Bytes, step: Gated) -> AppResult<Response> {
    let fields = Fields::parse(body);
    let Some(version) = version_of(&fields) else {
        return cx.refused(vec![NO_VERSION.to_owned()]).await;
    };
    let (store, calendar, actor) = (cx.state.store(), cx.state.calendar(), cx.user.actor());
    let local = cx.state.config().report_deadline_grassroots;
    let result = match step {
        Gated::Submit => workflow::submit(
            store,
            calendar,
            &actor,
            cx.organ_id,
            cx.year,
            local,
            version,
        )
        .await
        .map(|_| "report_submitted"),
        Gated::Publish => workflow::publish(
            store,
            calendar,
            &actor,
            cx.organ_id,
            cx.year,
            local,
            version,
        )
        .await
        .map(|_| "report_published"),
    };
    match result {
        Ok(code) => Ok(cx.done(code)),
        Err(e) => {
            let messages = annual_messages(e)?;
            cx.refused(messages).await
        }
    }
}

/// `POST …/reports/{year}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    gated(
        ctx!(state, user, chain, organ_id, year),
        &body,
        Gated::Submit,
    )
    .await
}

/// `POST …/reports/{year}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    gated(
        ctx!(state, user, chain, organ_id, year),
        &body,
        Gated::Publish,
    )
    .await
}

/// `POST …/reports/{year}/send-back` (note).
pub async fn send_back(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let cx = ctx!(state, user, chain, organ_id, year);
    let (fields, id, version) = match cx.form_of(&body).await? {
        Ok(form) => form,
        Err(refused) => return Ok(refused),
    };
    let result = state
        .store()
        .annual_reports()
        .send_back(&user.actor(), id, fields.get("note"), version)
        .await;
    cx.finish(result, "report_sent_back").await
}

/// `POST …/reports/{year}/revise` (reason).
pub async fn revise(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, year)): Path<(i64, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let cx = ctx!(state, user, chain, organ_id, year);
    let (fields, id, version) = match cx.form_of(&body).await? {
        Ok(form) => form,
        Err(refused) => return Ok(refused),
    };
    let result = state
        .store()
        .annual_reports()
        .revise(&user.actor(), id, fields.get("reason"), version)
        .await;
    cx.finish(result, "report_revising").await
}
