//! Identifiers are parsed once, at the edge, so the rest of the code can trust them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

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

/// The id of one stored record of kind `R` (a person, a workspace, a map…), made by the store.
/// Each kind is its own type, so one cannot be passed where another is meant; on the wire and
/// in the database it is plain text.
pub struct Id<R>(String, PhantomData<fn() -> R>);

impl<R> Id<R> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<R> From<String> for Id<R> {
    fn from(text: String) -> Self {
        Self(text, PhantomData)
    }
}

impl<R> From<&str> for Id<R> {
    fn from(text: &str) -> Self {
        Self::from(text.to_owned())
    }
}

impl<R> From<&Id<R>> for String {
    fn from(id: &Id<R>) -> String {
        id.0.clone()
    }
}

// An id reads as the text it is wherever text is asked for; only making one from text is
// explicit.
impl<R> std::ops::Deref for Id<R> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<R> From<Id<R>> for String {
    fn from(id: Id<R>) -> String {
        id.0
    }
}

// Written out rather than derived: derives would ask the same of the marker `R`.
impl<R> Clone for Id<R> {
    fn clone(&self) -> Self {
        Self::from(self.0.clone())
    }
}

impl<R> PartialEq for Id<R> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<R> Eq for Id<R> {}

impl<R> PartialOrd for Id<R> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<R> Ord for Id<R> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl<R> std::hash::Hash for Id<R> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl<R> fmt::Debug for Id<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<R> fmt::Display for Id<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<R> Serialize for Id<R> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, R> Deserialize<'de> for Id<R> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// The kinds of stored record, each named only to tell their ids apart.
pub mod record {
    macro_rules! records {
        ($($name:ident),*) => {
            $(
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum $name {}
            )*
        };
    }
    records!(Person, Workspace, Invitation, OrgMap, Organisation, Action, RoleMap, Role, Analysis, Activity, Import);
}

pub type PersonId = Id<record::Person>;
pub type WorkspaceId = Id<record::Workspace>;
pub type InvitationId = Id<record::Invitation>;
pub type OrgMapId = Id<record::OrgMap>;
pub type OrganisationId = Id<record::Organisation>;
pub type ActionId = Id<record::Action>;
pub type RoleMapId = Id<record::RoleMap>;
pub type RoleId = Id<record::Role>;
pub type AnalysisId = Id<record::Analysis>;
pub type ActivityId = Id<record::Activity>;
pub type ImportId = Id<record::Import>;

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
    fn a_record_id_is_plain_text_on_the_wire() {
        let id: WorkspaceId = serde_json::from_str("\"0192-abc\"").unwrap();
        assert_eq!(id.as_str(), "0192-abc");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"0192-abc\"");
        assert_eq!(id.to_string(), "0192-abc");
    }

    #[test]
    fn deserialising_parses() {
        let id: CategoryId = serde_json::from_str("\"communication\"").unwrap();
        assert_eq!(id.as_str(), "communication");
        assert!(serde_json::from_str::<CategoryId>("\"Not OK\"").is_err());
    }
}
