//! The workflow steps posted from the item page. Each parses its form, calls the store step (which
//! checks the state and the user's rights in its transaction) and redirects to the item page with
//! a confirmation — or shows the page again with the reason the step was refused.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_law::{SecrecyCheck, Validity, WithholdBasis};
use gongkai_store::{ApproveInput, NewAttachment, StoreError, WithholdInput};

use super::form::{Fields, parse_date};
use super::show::show_page;
use super::{item_url, load_item, rights_on, user_message};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::uploads::{UploadPolicy, store_upload};
use gongkai_store::{Actor, EditorialRights};

type Ids = Path<(i64, i64)>;

/// One posted step: the item's ids (checked to belong to the route's organ), who is acting, and
/// their rights on this item.
struct Step<'a> {
    state: &'a AppState,
    user: &'a CurrentUser,
    chain: &'a [i64],
    ids: (i64, i64),
    id: i64,
    actor: Actor,
    rights: EditorialRights,
}

async fn begin<'a>(
    state: &'a AppState,
    user: &'a CurrentUser,
    chain: &'a [i64],
    ids: (i64, i64),
) -> AppResult<Step<'a>> {
    let item = load_item(state, ids.0, ids.1).await?;
    Ok(Step {
        state,
        user,
        chain,
        ids,
        id: ids.1,
        actor: user.actor(),
        rights: rights_on(user, chain, &item),
    })
}

impl Step<'_> {
    /// On success, back to the item page with `notice`; on a user-fixable refusal, the item page
    /// with the message.
    async fn finish<T>(self, result: Result<T, StoreError>, notice: &str) -> AppResult<Response> {
        match result {
            Ok(_) => {
                // Publishing, withdrawing or changing an item changes what the public can find.
                self.state.search_changed();
                Ok(
                    Redirect::to(&format!("{}?ok={notice}", item_url(self.ids.0, self.ids.1)))
                        .into_response(),
                )
            }
            Err(e) => {
                let message = user_message(e)?;
                self.refuse(message).await
            }
        }
    }

    async fn refuse(self, message: String) -> AppResult<Response> {
        let (organ_id, item_id) = self.ids;
        show_page(
            self.state,
            self.user,
            self.chain,
            organ_id,
            item_id,
            None,
            Some(message),
        )
        .await
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let r = state.store().items().submit(&c.actor, c.id, c.rights).await;
    c.finish(r, "item_submitted").await
}

pub async fn approve(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let input = ApproveInput {
        checks: f
            .all("checks")
            .into_iter()
            .filter_map(SecrecyCheck::from_key)
            .collect(),
        note: f.opt("note").map(str::to_owned),
        published_on: state.today(),
    };
    let r = state
        .store()
        .items()
        .approve(&c.actor, c.id, c.rights, &input)
        .await;
    c.finish(r, "item_published").await
}

pub async fn reject(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let r = state
        .store()
        .items()
        .reject(&c.actor, c.id, c.rights, f.get("reason"))
        .await;
    c.finish(r, "item_rejected").await
}

pub async fn withhold(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let Some(basis) = WithholdBasis::from_key(f.get("basis")) else {
        return c.refuse("请选择不予公开的依据".to_owned()).await;
    };
    let rereview_on = match parse_date("复查日期", f.get("rereview_on")) {
        Ok(d) => d,
        Err(m) => return c.refuse(m).await,
    };
    let input = WithholdInput {
        basis,
        reason: f.get("reason").to_owned(),
        rereview_on,
    };
    let r = state
        .store()
        .items()
        .withhold(&c.actor, c.id, c.rights, &input)
        .await;
    c.finish(r, "item_withheld").await
}

pub async fn release(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let r = state
        .store()
        .items()
        .release(&c.actor, c.id, c.rights, f.get("note"))
        .await;
    c.finish(r, "item_released").await
}

pub async fn keep_withheld(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let next_on = match parse_date("下次复查日期", f.get("rereview_on")) {
        Ok(d) => d,
        Err(m) => return c.refuse(m).await,
    };
    let r = state
        .store()
        .items()
        .keep_withheld(&c.actor, c.id, c.rights, next_on, f.get("note"))
        .await;
    c.finish(r, "item_kept").await
}

pub async fn withdraw(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let r = state
        .store()
        .items()
        .withdraw(&c.actor, c.id, c.rights, f.get("reason"), state.today())
        .await;
    c.finish(r, "item_withdrawn").await
}

pub async fn change_validity(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let validity = match Validity::parse(f.get("validity")) {
        Ok(v) => v,
        Err(e) => return c.refuse(e.to_string()).await,
    };
    let on = match parse_date("生效日期", f.get("on")) {
        Ok(d) => d,
        Err(m) => return c.refuse(m).await,
    };
    let r = state
        .store()
        .items()
        .change_validity(&c.actor, c.id, c.rights, validity, on, f.get("reason"))
        .await;
    c.finish(r, "item_validity").await
}

/// Uploads an attachment: the bytes are checked against the upload policy (type sniffed from the
/// content, not the name), stored content-addressed, and their text extracted for search.
pub async fn attach(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let c = begin(&state, &user, &chain, ids).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return c.refuse("上传未完成，请重新选择文件上传".to_owned()).await;
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("附件").to_owned();
        match field.bytes().await {
            Ok(bytes) => file = Some((name, bytes.to_vec())),
            Err(_) => {
                return c.refuse("上传未完成，请重新选择文件上传".to_owned()).await;
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return c.refuse("请选择要上传的文件".to_owned()).await;
    };
    let policy = UploadPolicy::default();
    let kind = match policy.check(&[(name.as_str(), bytes.as_slice())]) {
        Ok(kinds) => match kinds.first() {
            Some(k) => *k,
            None => return Err(AppError::Internal("上传类型判断失败".to_owned())),
        },
        Err(e) => return c.refuse(e.to_string()).await,
    };
    let uploads = state.config().data_dir.join("uploads");
    let stored = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || store_upload(&uploads, &bytes, kind))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    };
    let stored = match stored {
        Ok(s) => s,
        Err(e) => return c.refuse(e.to_string()).await,
    };
    // Text for search: documents through the docs crate; images have none. A file whose text
    // cannot be read is still attached (it is published as a file), just not searchable.
    let text = {
        let name = name.clone();
        tokio::task::spawn_blocking(move || attachment_text(&bytes, &name))
            .await
            .unwrap_or_default()
    };
    let new = NewAttachment {
        file_name: name,
        media_type: kind.mime().to_owned(),
        sha256: stored.sha256,
        size_bytes: i64::try_from(stored.size).unwrap_or(i64::MAX),
        text,
    };
    let r = state
        .store()
        .items()
        .add_attachment(&c.actor, c.id, c.rights, &new)
        .await;
    c.finish(r, "item_attached").await
}

/// The searchable text of an attachment (empty when there is none to read).
fn attachment_text(bytes: &[u8], name: &str) -> String {
    if let Ok(table) = gongkai_docs::read_table(bytes, name)
        && name.to_ascii_lowercase().ends_with(".xlsx")
    {
        return table
            .rows
            .iter()
            .map(|r| r.cells.join(" "))
            .collect::<Vec<_>>()
            .join("\n");
    }
    gongkai_docs::read_document(bytes, Some(name))
        .map(|d| d.plain_text())
        .unwrap_or_default()
}
