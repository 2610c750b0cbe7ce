//! Who is asking: the session cookie, the signed-in person, and their role in a workspace.

use super::{AppError, store};
use crate::auth;
use crate::model::WorkspaceId;
use crate::model::{User, WorkspaceRole, WorkspaceSummary};
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

fn request() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("no request parts in the server function context");
        AppError::Internal
    })
}

/// The session token the request carries, if any.
pub fn token() -> Result<Option<String>, AppError> {
    let parts = request()?;
    Ok(parts.headers.get_all(http::header::COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(auth::token_from_cookies).map(str::to_owned))
}

/// The signed-in person, if any.
pub async fn signed_in() -> Result<Option<User>, AppError> {
    match token()? {
        Some(token) => Ok(store()?.session_user(&auth::token_hash(&token)).await?),
        None => Ok(None),
    }
}

/// The signed-in person, or 401.
pub async fn caller() -> Result<User, AppError> {
    signed_in().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in person and their membership of `workspace_id`, if their role includes
/// `needed`. Someone who is not a member learns nothing, not even that the workspace exists.
pub async fn member(workspace_id: &WorkspaceId, needed: WorkspaceRole) -> Result<(User, WorkspaceSummary), AppError> {
    let user = caller().await?;
    let membership = store()?.membership(workspace_id, &user.id).await?.ok_or_else(|| AppError::NotFound("The workspace".into()))?;
    if !membership.role.allows(needed) {
        return Err(AppError::Forbidden);
    }
    Ok((user, membership))
}

/// Starts a session for `user`: stores it and sets the cookie.
pub async fn start(user: &User) -> Result<(), AppError> {
    let token = auth::new_token()?;
    store()?.create_session(&auth::token_hash(&token), &user.id, auth::expires_in(auth::SESSION_LIFETIME)).await?;
    set_cookie(&auth::session_cookie(Some(&token), served_over_https()?));
    Ok(())
}

/// Ends the current session on the server and clears the cookie.
pub async fn end() -> Result<(), AppError> {
    if let Some(token) = token()? {
        store()?.delete_session(&auth::token_hash(&token)).await?;
    }
    set_cookie(&auth::session_cookie(None, served_over_https()?));
    Ok(())
}

fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), http::HeaderValue::from_str(cookie)) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Whether the browser reached caremap over https, directly or through a proxy that says so.
fn served_over_https() -> Result<bool, AppError> {
    let parts = request()?;
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    Ok(parts.uri.scheme_str() == Some("https") || header("x-forwarded-proto").eq_ignore_ascii_case("https") || header("origin").starts_with("https://"))
}

/// The client's address, for counting failed sign-ins.
pub fn client_address() -> Result<String, AppError> {
    let parts = request()?;
    Ok(parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip().to_string()).unwrap_or_else(|| "unknown".to_owned()))
}
