//! Register a case and edit it (e.g. to record the 复议决定 or judgment). The form is parsed into
//! a [`ChallengeInput`]; the store checks the dates and links (the law crate's rules) and refuses
//! a stale edit. Refusals show the form again, as typed, with the Chinese reasons (422).

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_law::{ChallengeKind, ChallengeResult};
use gongkai_store::{Challenge, ChallengeFilter, ChallengeInput};
use serde::Deserialize;

use super::{LAW_LINE, case_url, load_case, register_url, user_message};
use crate::error::AppResult;
use crate::pages::items::form::{Fields, parse_date};
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct Entered {
    pub kind: String,
    pub case_no: String,
    pub authority: String,
    pub claimant_name: String,
    pub filed_on: String,
    pub result: String,
    pub decided_on: String,
    pub co_defendant: bool,
    /// The application's tracking number (YSQ…), or empty.
    pub application: String,
    pub follows_id: String,
    pub notes: String,
}

impl Entered {
    fn from_fields(f: &Fields) -> Entered {
        Entered {
            kind: f.get("kind").to_owned(),
            case_no: f.get("case_no").to_owned(),
            authority: f.get("authority").to_owned(),
            claimant_name: f.get("claimant_name").to_owned(),
            filed_on: f.get("filed_on").to_owned(),
            result: f.get("result").to_owned(),
            decided_on: f.get("decided_on").to_owned(),
            co_defendant: f.get("co_defendant_reviewer") == "1",
            application: f.get("application").to_owned(),
            follows_id: f.get("follows_id").to_owned(),
            notes: f.get("notes").to_owned(),
        }
    }

    fn from_case(c: &Challenge, tracking_no: String) -> Entered {
        Entered {
            kind: c.kind.key().to_owned(),
            case_no: c.case_no.clone(),
            authority: c.authority.clone(),
            claimant_name: c.claimant_name.clone(),
            filed_on: c.filed_on.to_string(),
            result: c.result.key().to_owned(),
            decided_on: c.decided_on.map(|d| d.to_string()).unwrap_or_default(),
            co_defendant: c.co_defendant_reviewer,
            application: tracking_no,
            follows_id: c.follows_id.map(|i| i.to_string()).unwrap_or_default(),
            notes: c.notes.clone(),
        }
    }
}

/// Reads the form into the store's input; every problem the form itself shows is collected.
async fn parse(state: &AppState, e: &Entered) -> AppResult<Result<ChallengeInput, Vec<String>>> {
    let mut errors = Vec::new();
    let kind = ChallengeKind::from_key(&e.kind)
        .map_err(|_| errors.push("请选择类别：行政复议、未经复议直接起诉或复议后起诉".to_owned()))
        .ok();
    let result = match e.result.trim() {
        "" => Some(ChallengeResult::Pending),
        r => ChallengeResult::from_key(r)
            .map_err(|err| errors.push(err.to_string()))
            .ok(),
    };
    let filed_label = kind.map_or("申请复议或立案日期", ChallengeKind::filed_label);
    let filed_on = parse_date(filed_label, &e.filed_on)
        .map_err(|m| errors.push(m))
        .ok();
    let decided_on = match e.decided_on.trim() {
        "" => None,
        t => parse_date("审结日期", t).map_err(|m| errors.push(m)).ok(),
    };
    let follows_id = match e.follows_id.trim() {
        "" => None,
        t => t
            .parse::<i64>()
            .map_err(|_| errors.push("关联的行政复议案件无效，请从列表中选择".to_owned()))
            .ok(),
    };
    let application_id = match e.application.trim() {
        "" => None,
        no => match state
            .store()
            .challenges()
            .application_by_tracking_no(no)
            .await?
        {
            Some((id, _)) => Some(id),
            None => {
                errors.push(format!(
                    "未找到申请编号“{no}”：请核对（形如 YSQ2026K7M2QX），不涉及具体申请的请留空"
                ));
                None
            }
        },
    };
    Ok(match (kind, result, filed_on, errors.is_empty()) {
        (Some(kind), Some(result), Some(filed_on), true) => Ok(ChallengeInput {
            application_id,
            follows_id,
            kind,
            case_no: e.case_no.clone(),
            authority: e.authority.clone(),
            claimant_name: e.claimant_name.clone(),
            filed_on,
            result,
            decided_on,
            co_defendant_reviewer: e.co_defendant,
            notes: e.notes.clone(),
        }),
        _ => Err(errors),
    })
}

#[derive(Template)]
#[template(path = "challenge_form.html")]
struct FormPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    heading: String,
    action: String,
    /// The version being edited (empty for a new case).
    version: String,
    form: Entered,
    kinds: Vec<(&'static str, &'static str)>,
    results: Vec<(&'static str, &'static str, &'static str)>,
    /// This organ's reconsideration cases a 复议后起诉 may follow: (id, 案号).
    reconsiderations: Vec<(String, String)>,
    errors: Vec<String>,
}

struct Frame<'a> {
    state: &'a AppState,
    user: &'a CurrentUser,
    organ_id: i64,
    /// `None` for a new case.
    case: Option<(i64, i64)>,
}

impl Frame<'_> {
    async fn render(&self, form: Entered, errors: Vec<String>) -> AppResult<Response> {
        let organ = crate::pages::organs::load(self.state, self.organ_id).await?;
        let reconsiderations = self
            .state
            .store()
            .challenges()
            .list(
                self.organ_id,
                ChallengeFilter {
                    year: None,
                    kind: Some(ChallengeKind::Reconsideration),
                },
            )
            .await?
            .into_iter()
            .filter(|c| Some(c.id) != self.case.map(|(id, _)| id))
            .map(|c| (c.id.to_string(), c.case_no))
            .collect();
        let (heading, action, version) = match self.case {
            Some((id, version)) => (
                "修改行政复议、行政诉讼案件".to_owned(),
                format!("{}/edit", case_url(self.organ_id, id)),
                version.to_string(),
            ),
            None => (
                "登记行政复议、行政诉讼案件".to_owned(),
                format!("{}/new", register_url(self.organ_id)),
                String::new(),
            ),
        };
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = FormPage {
            layout: Layout::admin(heading.clone(), self.user),
            law: LAW_LINE,
            organ_id: self.organ_id,
            organ_name: organ.name,
            heading,
            action,
            version,
            form,
            kinds: ChallengeKind::ALL
                .iter()
                .map(|k| (k.key(), k.label()))
                .collect(),
            results: ChallengeResult::ALL
                .iter()
                .map(|r| (r.key(), r.label(), r.hint()))
                .collect(),
            reconsiderations,
            errors,
        };
        Ok((status, html(&page)?).into_response())
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    application_id: String,
}

/// `GET …/challenges/new[?application_id=N]`: the form, pre-filled with the application when
/// opened from its case page.
pub async fn new_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let mut form = Entered {
        result: ChallengeResult::Pending.key().to_owned(),
        ..Entered::default()
    };
    if let Ok(application_id) = q.application_id.trim().parse::<i64>() {
        // Only an application of this organ (another organ's is "not found").
        let app = crate::pages::applications::load_case(&state, organ_id, application_id).await?;
        form.application = app.tracking_no;
        form.claimant_name = app.applicant_name;
    }
    let frame = Frame {
        state: &state,
        user: &user,
        organ_id,
        case: None,
    };
    frame.render(form, Vec::new()).await
}

/// `POST …/challenges/new`.
pub async fn new_submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let form = Entered::from_fields(&Fields::parse(&body));
    let frame = Frame {
        state: &state,
        user: &user,
        organ_id,
        case: None,
    };
    let input = match parse(&state, &form).await? {
        Ok(input) => input,
        Err(errors) => return frame.render(form, errors).await,
    };
    match state
        .store()
        .challenges()
        .create(&user.actor(), organ_id, &input)
        .await
    {
        Ok(c) => {
            Ok(Redirect::to(&format!("{}?ok=created", case_url(organ_id, c.id))).into_response())
        }
        Err(e) => {
            let message = user_message(e)?;
            frame.render(form, vec![message]).await
        }
    }
}

/// `GET …/challenges/{challenge_id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, challenge_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let case = load_case(&state, organ_id, challenge_id).await?;
    let tracking_no = match case.application_id {
        Some(id) => state
            .store()
            .applications()
            .get(id)
            .await?
            .map(|a| a.tracking_no)
            .unwrap_or_default(),
        None => String::new(),
    };
    let frame = Frame {
        state: &state,
        user: &user,
        organ_id,
        case: Some((challenge_id, case.version)),
    };
    frame
        .render(Entered::from_case(&case, tracking_no), Vec::new())
        .await
}

/// `POST …/challenges/{challenge_id}/edit`: saved only if nobody changed the case since the form
/// was opened (its version travels in the form).
pub async fn edit_submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, challenge_id)): Path<(i64, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    let case = load_case(&state, organ_id, challenge_id).await?;
    let fields = Fields::parse(&body);
    let form = Entered::from_fields(&fields);
    let version = fields.get("version").trim().parse::<i64>().ok();
    let frame = Frame {
        state: &state,
        user: &user,
        organ_id,
        case: Some((challenge_id, version.unwrap_or(case.version))),
    };
    let Some(version) = version else {
        return frame
            .render(
                form,
                vec!["表单缺少案件版本，请刷新页面后重新修改".to_owned()],
            )
            .await;
    };
    let input = match parse(&state, &form).await? {
        Ok(input) => input,
        Err(errors) => return frame.render(form, errors).await,
    };
    match state
        .store()
        .challenges()
        .update(&user.actor(), challenge_id, &input, version)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("{}?ok=saved", case_url(organ_id, challenge_id))).into_response(),
        ),
        Err(e) => {
            let message = user_message(e)?;
            frame.render(form, vec![message]).await
        }
    }
}
