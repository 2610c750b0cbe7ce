//! The one error of parsing a form value, shared by every model type that parses one.

use serde::{Deserialize, Serialize};

/// A form value that cannot be used, with the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    pub field: String,
    pub message: String,
}

impl InputError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        InputError { field: field.to_owned(), message: message.into() }
    }
}
