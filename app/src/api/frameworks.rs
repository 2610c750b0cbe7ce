//! Reading the function frameworks.

use super::AppError;
use crate::model::{Framework, FrameworkSummary};
use leptos::prelude::*;

#[server(endpoint = "list_frameworks")]
pub async fn list_frameworks() -> Result<Vec<FrameworkSummary>, AppError> {
    super::answer(async { Ok(super::store()?.list_frameworks().await?) }.await)
}

#[server(endpoint = "get_framework")]
pub async fn get_framework(id: String) -> Result<Framework, AppError> {
    super::answer(framework(&id).await)
}

#[cfg(feature = "ssr")]
async fn framework(id: &str) -> Result<Framework, AppError> {
    let not_found = || AppError::NotFound(format!("The framework \"{id}\""));
    let Ok(framework_id) = id.parse() else {
        return Err(not_found());
    };
    super::store()?.framework(&framework_id).await?.ok_or_else(not_found)
}

/// A framework as a spreadsheet, for anyone: its name and bytes.
#[cfg(feature = "ssr")]
pub async fn framework_file(id: String) -> Result<(String, Vec<u8>), AppError> {
    let framework = framework(&id).await?;
    let bytes = super::written("a framework", crate::sheets::write::framework_workbook(&framework))?;
    Ok((super::download_name(&format!("Framework - {}", framework.name()), "xlsx"), bytes))
}
