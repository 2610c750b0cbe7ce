//! `caremap user …`, `caremap workspace …` and `caremap demo`: administration from the command line, doing
//! what the web does.

use crate::cli::{UserCommand, WorkspaceCommand};
use app::auth;
use app::model::{Email, InputError, Password, PersonName, WorkspaceName};
use app::store::{NewAccount, Store, StoreError};
use std::io::Read;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Auth(#[from] auth::AuthError),
    #[error("cannot read the password from standard input: {0}")]
    Stdin(std::io::Error),
    #[error("there is no account for {0}: create it with `caremap user add` first")]
    NoSuchUser(String),
}

pub async fn user(database_url: &str, command: UserCommand) -> Result<(), AdminError> {
    let UserCommand::Add { email, name, password_stdin: _ } = command;
    let (email, name) = (Email::parse(&email)?, PersonName::parse(&name)?);
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).map_err(AdminError::Stdin)?;
    // A trailing newline from `echo` or a terminal is not part of the password.
    let password = Password::parse(password.strip_suffix('\n').unwrap_or(&password).trim_end_matches('\r'), &email, &name)?;
    let hash = auth::hash_password(&password)?;
    let store = Store::connect(database_url).await?;
    let user = store.create_user(&email, &name, &hash, NewAccount::Any).await?;
    store.close().await;
    let kind = if user.is_admin { "administrator" } else { "account" };
    println!("Created the {kind} {} ({}).", user.email, user.name);
    Ok(())
}

pub async fn workspace(database_url: &str, command: WorkspaceCommand) -> Result<(), AdminError> {
    let WorkspaceCommand::Create { name, owner } = command;
    let (name, owner) = (WorkspaceName::parse(&name)?, Email::parse(&owner)?);
    let store = Store::connect(database_url).await?;
    let user = store.user_by_email(&owner).await?.ok_or_else(|| AdminError::NoSuchUser(owner.to_string()))?;
    let id = store.create_workspace(&name, &user.id).await?;
    store.close().await;
    println!("Created the workspace \"{}\" ({id}), owned by {}.", name.as_str(), user.email);
    Ok(())
}

/// Creates the sample workspace for `owner`.
pub async fn demo(database_url: &str, owner: &str) -> Result<(), AdminError> {
    let owner = Email::parse(owner)?;
    let store = Store::connect(database_url).await?;
    let user = store.user_by_email(&owner).await?.ok_or_else(|| AdminError::NoSuchUser(owner.to_string()))?;
    let sample = app::model::sample::sample_area();
    let id = store.create_sample(&user.id, &sample, app::api::today()).await?;
    store.close().await;
    println!("Created the workspace \"{}\" ({id}) with the sample area, owned by {}.", sample.workspace_name, user.email);
    Ok(())
}

/// Prints every page route and registered server function, sorted.
pub fn endpoints() {
    let pages = leptos_axum::generate_route_list(app::App).into_iter().map(|route| format!("GET {}", route.path()));
    let functions = leptos::server_fn::axum::server_fn_paths().map(|(path, method)| format!("{method} {path}"));
    let downloads = crate::downloads::ROUTES.into_iter().map(|path| format!("GET {path}"));
    let uploads = crate::uploads::ROUTES.into_iter().map(|path| format!("POST {path}"));
    let mut endpoints: Vec<String> = pages.chain(functions).chain(downloads).chain(uploads).collect();
    endpoints.sort();
    endpoints.dedup();
    for endpoint in endpoints {
        println!("{endpoint}");
    }
}
