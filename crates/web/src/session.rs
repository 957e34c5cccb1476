//! Who is asking: the session cookie → the store's session (idle and absolute expiry are the
//! store's) → the user and their roles.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use gongkai_store::{RoleGrant, User};

use crate::cookies;
use crate::error::AppResult;
use crate::state::AppState;

/// The logged-in user of a request, put into the request extensions by the guard.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub roles: Vec<RoleGrant>,
    /// The session's synchroniser token for the forms of this page.
    pub csrf_token: String,
    /// The client address (recorded in audit entries).
    pub ip: Option<IpAddr>,
}

impl CurrentUser {
    pub fn actor(&self) -> gongkai_store::Actor {
        gongkai_store::Actor::user(self.user.id, self.ip)
    }
}

/// The client address of a request, when the server recorded it.
pub fn client_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// The logged-in user, or `None` (no cookie, unknown, expired or deactivated).
pub async fn current_user(
    state: &AppState,
    headers: &HeaderMap,
    ip: Option<IpAddr>,
) -> AppResult<Option<CurrentUser>> {
    let Some(token) = cookies::get(headers, cookies::SESSION) else {
        return Ok(None);
    };
    if token.is_empty() || token.len() > 256 {
        return Ok(None);
    }
    let Some(active) = state.store().sessions().load(&token).await? else {
        return Ok(None);
    };
    if !active.user.active {
        return Ok(None);
    }
    let roles = state.store().users().roles(active.user.id).await?;
    Ok(Some(CurrentUser {
        user: active.user,
        roles,
        csrf_token: active.session.csrf_token,
        ip,
    }))
}
