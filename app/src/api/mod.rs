//! Server functions, grouped by area. Each is thin: find the store, ask it, answer.

mod error;
pub mod frameworks;

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
