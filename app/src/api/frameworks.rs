//! Reading the function frameworks: the built-in ones are public; a workspace's local ones
//! (imported from spreadsheets) are for its members only.

use super::AppError;
use crate::model::{Framework, FrameworkSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::session,
    crate::model::WorkspaceRole,
    crate::store::{FrameworkOwner, Visible},
};

/// The built-in frameworks, and the local ones of the signed-in person's workspaces.
#[server(endpoint = "list_frameworks")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_frameworks() -> Result<Vec<FrameworkSummary>, AppError> {
    super::answer(
        async {
            let user = session::signed_in().await?;
            let visible = user.as_ref().map_or(Visible::BuiltInOnly, |user| Visible::ToUser(&user.id));
            Ok(super::store()?.list_frameworks(visible).await?)
        }
        .await,
    )
}

#[server(endpoint = "get_framework")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_framework(id: String) -> Result<Framework, AppError> {
    super::answer(framework(&id).await)
}

/// A framework anyone may see, or a local one the caller's workspace holds; to anyone else a
/// local framework does not exist.
#[cfg(feature = "ssr")]
async fn framework(id: &str) -> Result<Framework, AppError> {
    let not_found = || AppError::NotFound(format!("The framework \"{id}\""));
    let Ok(framework_id) = id.parse() else {
        return Err(not_found());
    };
    let (framework, owner) = super::store()?.framework_and_owner(&framework_id).await?.ok_or_else(not_found)?;
    if let FrameworkOwner::Workspace(workspace_id) = owner {
        session::member(&workspace_id, WorkspaceRole::Viewer).await.map_err(|_| not_found())?;
    }
    Ok(framework)
}

/// A framework as a spreadsheet, for whoever may see it: its name and bytes.
#[cfg(feature = "ssr")]
pub async fn framework_file(id: String) -> Result<(String, Vec<u8>), AppError> {
    let framework = framework(&id).await?;
    let bytes = super::written("a framework", crate::sheets::write::framework_workbook(&framework))?;
    Ok((super::download_name(&format!("Framework - {}", framework.name()), "xlsx"), bytes))
}
