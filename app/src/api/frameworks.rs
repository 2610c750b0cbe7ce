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
    super::answer(async {
        let not_found = || AppError::NotFound(format!("The framework \"{id}\""));
        let Ok(framework_id) = id.parse() else {
            return Err(not_found());
        };
        super::store()?.framework(&framework_id).await?.ok_or_else(not_found)
    }.await)
}
