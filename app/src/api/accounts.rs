//! First run, signing in and out, and joining by invitation.

use super::AppError;
use crate::model::{Invitation, User};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{answer, session, store},
    crate::auth,
    crate::model::{Email, Password, PersonName},
    crate::store::NewAccount,
};

/// Who is signed in, and whether caremap still needs its first administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    pub user: Option<User>,
    pub needs_setup: bool,
}

#[server(endpoint = "session_info")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn session_info() -> Result<SessionState, AppError> {
    answer(
        async {
            let user = session::signed_in().await?;
            let needs_setup = user.is_none() && store()?.user_count().await? == 0;
            Ok(SessionState { user, needs_setup })
        }
        .await,
    )
}

/// Creates the first administrator while no account exists, and signs them in.
#[server(endpoint = "create_first_admin")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_first_admin(email: String, name: String, password: String) -> Result<(), AppError> {
    answer(
        async {
            let (email, name) = (Email::parse(&email)?, PersonName::parse(&name)?);
            let password = Password::parse(&password, &email, &name)?;
            let store = store()?;
            if store.user_count().await? > 0 {
                return Err(AppError::Conflict(crate::model::ALREADY_SET_UP.into()));
            }
            let hash = hashing(move || auth::hash_password(&password)).await??;
            let user = store.create_user(&email, &name, &hash, NewAccount::FirstOnly).await?;
            tracing::info!(user = %user.id, "first administrator created");
            session::start(&user).await?;
            leptos_axum::redirect("/workspaces");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    answer(
        async {
            let store = store()?;
            // Each attempt is counted before its password is checked, from the address and for the
            // account, so guesses made at once are all counted.
            let client = format!("client {}", session::client_address()?);
            let account = format!("account {}", email.trim().to_lowercase());
            for (subject, throttle) in [(&client, &auth::PER_CLIENT), (&account, &auth::PER_ACCOUNT)] {
                store.count_attempt(subject, throttle).await?.map_err(|wait| AppError::RateLimited { seconds: wait_seconds(wait) })?;
            }
            let credentials = match Email::parse(&email) {
                Ok(email) => store.credentials(&email).await?,
                Err(_) => None,
            };
            let hash = credentials.as_ref().map(|c| c.password_hash.clone());
            let matches = hashing(move || auth::verify_password(&password, hash.as_deref())).await?;
            match credentials.filter(|_| matches) {
                Some(credentials) => {
                    store.forget_attempts(&account).await?;
                    store.forgive_attempt(&client).await?;
                    session::start(&credentials.user).await?;
                    leptos_axum::redirect("/workspaces");
                    Ok(())
                }
                None => {
                    tracing::warn!(%client, "failed sign-in");
                    Err(AppError::Invalid { field: String::new(), message: "The email address or password is wrong.".into() })
                }
            }
        }
        .await,
    )
}

/// A wait in whole seconds, rounded up.
#[cfg(feature = "ssr")]
fn wait_seconds(wait: time::Duration) -> i64 {
    wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0)
}

#[server(endpoint = "sign_out")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_out() -> Result<(), AppError> {
    answer(
        async {
            session::caller().await?;
            session::end().await?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// What an invitation link offers; anyone holding the link may ask.
#[server(endpoint = "invitation_info")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn invitation_info(token: String) -> Result<Invitation, AppError> {
    answer(async { store()?.invitation(&auth::token_hash(&token)).await?.ok_or(AppError::InvitationClosed) }.await)
}

/// Joins the invitation's workspace as the signed-in person.
#[server(endpoint = "accept_invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    answer(
        async {
            let user = session::caller().await?;
            let workspace_id = store()?.accept_invitation(&auth::token_hash(&token), &user.id).await?;
            leptos_axum::redirect(&crate::paths::workspace(&workspace_id));
            Ok(())
        }
        .await,
    )
}

/// Creates an account and joins the invitation's workspace with it, then signs in.
#[server(endpoint = "join_with_new_account")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn join_with_new_account(token: String, email: String, name: String, password: String) -> Result<(), AppError> {
    answer(
        async {
            let (email, name) = (Email::parse(&email)?, PersonName::parse(&name)?);
            let password = Password::parse(&password, &email, &name)?;
            let store = store()?;
            let token_hash = auth::token_hash(&token);
            // The link is checked before the costly hash, and again when it is used.
            store.open_invitation(&token_hash).await?;
            let hash = hashing(move || auth::hash_password(&password)).await??;
            let (user, workspace_id) = store.join_with_new_account(&token_hash, &email, &name, &hash).await?;
            session::start(&user).await?;
            leptos_axum::redirect(&crate::paths::workspace(&workspace_id));
            Ok(())
        }
        .await,
    )
}

/// Runs password hashing, slow and large on purpose, away from the threads that serve other
/// requests, and only a few at a time.
#[cfg(feature = "ssr")]
async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _turn = auth::hashing_turn().await.ok_or(AppError::Busy)?;
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "password hashing task failed");
        AppError::Internal
    })
}
