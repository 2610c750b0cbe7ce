//! Server functions, grouped by area. Each is thin: find out who is asking, ask the store and
//! the model, answer. Every one has a fixed endpoint (`/api/NAME`), so tests can list them.

pub mod accounts;
mod error;
pub mod frameworks;
pub mod imports;
pub mod learning;
#[cfg(feature = "ssr")]
mod matrix;
pub mod org_maps;
pub mod role_maps;
#[cfg(feature = "ssr")]
mod session;
pub mod workspaces;

pub use error::AppError;

#[cfg(feature = "ssr")]
use crate::store::Store;

/// The store the server provided for this request.
#[cfg(feature = "ssr")]
fn store() -> Result<Store, AppError> {
    leptos::prelude::use_context::<Store>().ok_or_else(|| {
        tracing::error!("no store in the request context");
        AppError::Internal
    })
}

/// Today's date in UTC, which is England's date but for an hour a night in summer: the one
/// clock every dated record is made from.
#[cfg(feature = "ssr")]
pub fn today() -> crate::model::CalendarDate {
    let now = time::OffsetDateTime::now_utc().date();
    crate::model::CalendarDate::new(now.year() as u16, now.month() as u8, now.day()).expect("today is a valid date")
}

/// Passes a server function's result on, giving an error its HTTP status.
#[cfg(feature = "ssr")]
fn answer<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_response_status(error);
    }
    result
}

/// Gives the response being made the HTTP status that goes with `error`.
#[cfg(feature = "ssr")]
pub(crate) fn set_response_status(error: &AppError) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        let status = http::StatusCode::from_u16(error.status());
        response.set_status(status.unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
}

/// A file name people can keep: the title with anything unsafe in a file name replaced.
#[cfg(feature = "ssr")]
fn download_name(title: &str, extension: &str) -> String {
    let name: String = title.chars().map(|c| if c.is_ascii_alphanumeric() || c == ' ' || c == '-' { c } else { '_' }).collect();
    format!("{name}.{extension}")
}

/// A written file, or the error logged and kept from the person asking.
#[cfg(feature = "ssr")]
fn written<E: std::fmt::Display>(what: &str, result: Result<Vec<u8>, E>) -> Result<Vec<u8>, AppError> {
    result.map_err(|error| {
        tracing::error!(%error, "could not write {what}");
        AppError::Internal
    })
}
