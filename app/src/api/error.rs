//! The one error type server functions return. Its messages are written for the person using
//! caremap; internal details are logged on the server and never sent.

use serde::{Deserialize, Serialize};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist; the text names it, e.g. "The framework \"x\"".
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("caremap cannot reach its database just now. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong on the server, and it has been logged. Please try again.")]
    Internal,
    /// The request did not reach the server function or its answer did not come back.
    #[error("The request could not be completed ({0}). Check your connection and try again.")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        AppError::Transport(error.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(error: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        tracing::error!(%error, "store error");
        match error {
            StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)) => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }
}
