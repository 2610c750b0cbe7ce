//! Identifiers are parsed once, at the edge, so the rest of the code can trust them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a text is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an identifier cannot be empty")]
    Empty,
    #[error("the identifier \"{0}\" is longer than 64 characters")]
    TooLong(String),
    #[error(
        "the identifier \"{0}\" may hold only lower-case letters, digits, '-' and '.', \
         and must start with a letter or digit"
    )]
    BadCharacter(String),
}

const MAX_LEN: usize = 64;

/// Checks the shared identifier rules: stable, URL-safe, readable slugs such as `comm-01`.
fn parse_slug(text: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    if text.len() > MAX_LEN {
        return Err(IdError::TooLong(text.chars().take(MAX_LEN).collect()));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    let starts_well = text.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !starts_well || !text.chars().all(allowed) {
        return Err(IdError::BadCharacter(text.to_owned()));
    }
    Ok(())
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                parse_slug(&text)?;
                Ok(Self(text))
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                Self::try_from(text.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// A framework's stable identifier, e.g. `coordinating-care`.
    FrameworkId
);
slug_id!(
    /// A category's identifier, unique within its framework, e.g. `communication`.
    CategoryId
);
slug_id!(
    /// A function's identifier, unique within its framework and stable across versions, e.g.
    /// `comm-01`. It is what links the three matrices.
    FunctionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_readable_slugs() {
        for ok in ["comm-01", "cpa-1.22", "core", "a", "2nd-edition"] {
            assert_eq!(ok.parse::<FunctionId>().unwrap().as_str(), ok);
        }
    }

    #[test]
    fn rejects_anything_else_with_a_reason() {
        assert_eq!("".parse::<FunctionId>(), Err(IdError::Empty));
        for bad in ["Comm-01", "-x", ".x", "comm 01", "comm_01", "é", "x/y"] {
            assert!(matches!(bad.parse::<FunctionId>(), Err(IdError::BadCharacter(_))), "{bad} should be refused");
        }
        let long = "x".repeat(65);
        assert!(matches!(long.parse::<FrameworkId>(), Err(IdError::TooLong(_))));
        assert!("x".repeat(64).parse::<FrameworkId>().is_ok());
    }

    #[test]
    fn deserialising_parses() {
        let id: CategoryId = serde_json::from_str("\"communication\"").unwrap();
        assert_eq!(id.as_str(), "communication");
        assert!(serde_json::from_str::<CategoryId>("\"Not OK\"").is_err());
    }
}
