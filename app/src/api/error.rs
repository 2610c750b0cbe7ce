//! The one error type server functions return. Its messages are written for the person using
//! caremap; internal details are logged on the server and never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

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
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have permission to do that in this workspace.")]
    Forbidden,
    /// A value that cannot be used; `field` names the form field ("" for the form as a whole).
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("Someone else changed this while you were looking: it is now “{current}”. Nothing was saved.")]
    Stale { current: String },
    /// A matrix cell changed since the editor saw it; this is what it holds now.
    #[error("Someone else changed this cell while you were looking: it is now {}. Nothing was saved.", .0.description)]
    StaleCell(crate::model::matrix::StaleCell),
    #[error("Too many sign-in attempts. Wait {}, then try again.", wait_words(*seconds))]
    RateLimited { seconds: i64 },
    #[error("caremap is busy just now. Please try again in a moment.")]
    Busy,
    #[error("The file is over 25 MB, the largest caremap takes.")]
    TooLarge,
    #[error("This invitation link no longer works: it has been used, withdrawn or has expired. Ask whoever sent it for a new one.")]
    InvitationClosed,
}

/// A wait as people say it: "20 seconds", "1 minute", "15 minutes".
fn wait_words(seconds: i64) -> String {
    match seconds {
        ..=1 => "a second".to_owned(),
        2..=59 => format!("{seconds} seconds"),
        _ => match (seconds + 59) / 60 {
            1 => "a minute".to_owned(),
            minutes => format!("{minutes} minutes"),
        },
    }
}

impl AppError {
    /// The HTTP status that goes with the error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Unavailable | AppError::Busy => 503,
            AppError::Internal | AppError::Transport(_) => 500,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::Invalid { .. } => 400,
            AppError::Conflict(_) | AppError::Stale { .. } | AppError::StaleCell(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::InvitationClosed => 410,
            AppError::TooLarge => 413,
        }
    }

    /// The message for one form field, if this error is about it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { field, message } if field == name => Some(message.clone()),
            _ => None,
        }
    }
}

impl From<crate::model::InputError> for AppError {
    fn from(error: crate::model::InputError) -> Self {
        AppError::Invalid { field: error.field, message: error.message }
    }
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
        match error {
            StoreError::Stale(current) => AppError::Stale { current: current.to_string() },
            StoreError::StaleCell(current) => AppError::StaleCell(current),
            StoreError::NotFound(what) => AppError::NotFound(what.to_owned()),
            StoreError::Refused(refusal) if refusal.is_conflict() => AppError::Conflict(refusal.to_string()),
            StoreError::Refused(refusal) => AppError::Invalid { field: String::new(), message: refusal.to_string() },
            StoreError::AmbiguousWorkspace { .. } => AppError::Invalid { field: String::new(), message: error.to_string() },
            StoreError::InvitationClosed => AppError::InvitationClosed,
            StoreError::PendingUploadsFull => AppError::Invalid {
                field: "file".into(),
                message: format!(
                    "This workspace already has {} uploads, or {} MB, waiting to be imported. Import or cancel one of them first; \
                     uploads left waiting are removed after a day.",
                    crate::store::MAX_PENDING_UPLOADS,
                    crate::store::MAX_PENDING_BYTES / (1024 * 1024)
                ),
            },
            StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)) => {
                tracing::error!(%error, "database unavailable");
                AppError::Unavailable
            }
            _ => {
                tracing::error!(%error, "store error");
                AppError::Internal
            }
        }
    }
}

/// What a record holds now, in words for the person whose edit was refused as stale: on a page,
/// or at the command line.
impl std::fmt::Display for crate::model::Current {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::model::Current;
        match self {
            Current::Framework { version: Some(version) } => write!(f, "version {version}"),
            Current::Framework { version: None } => f.write_str("a newer version"),
            Current::WorkspaceName(name) => f.write_str(name),
            Current::OrgMap(map) => write!(f, "{}, {}, threshold {}", map.area, map.date.long(), map.threshold),
            Current::Organisation(organisation) => write!(f, "{} ({}, {})", organisation.name, organisation.sector.label(), organisation.locality),
            Current::Action(action) => write!(f, "{} ({})", action.what, action.status.label()),
            Current::RoleMap { details, needed } => write!(f, "{}, {}, {needed} functions needed", details.organisation, details.date.long()),
            Current::Role(role) => {
                let parts = [role.title.as_str(), role.team.as_str(), role.grade.as_str(), role.hours.as_str()];
                f.write_str(&parts.into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(", "))
            }
            Current::Scope { functions } => write!(f, "{functions} functions in scope"),
            Current::FollowedRole(title) => write!(f, "following the role {title}"),
            Current::Need { priority, status } => write!(f, "priority {priority}, {status}"),
        }
    }
}

/// What a business rule refused, in words for the person who asked: on a page, or at the
/// command line.
impl std::fmt::Display for crate::model::Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::model::Refusal;
        match self {
            Refusal::ColumnRemoved { name } => write!(f, "{name} has been removed from this map."),
            Refusal::OutOfScope { function } => write!(f, "{function} is not in this analysis's scope."),
            Refusal::NotAMember => f.write_str("That person is not a member of this workspace."),
            Refusal::LastOwner => f.write_str("A workspace needs at least one owner: make someone else an owner first."),
            Refusal::AlreadyMember => f.write_str("You are already a member of this workspace."),
            Refusal::NoSuchFramework(framework) => write!(f, "There is no framework “{framework}”."),
            Refusal::FrameworkExists(framework) => write!(f, "There is already a framework “{framework}”."),
            Refusal::AccountExists { email } => write!(f, "There is already an account for {email}."),
            Refusal::AlreadySetUp => f.write_str(crate::model::ALREADY_SET_UP),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::auth::AuthError> for AppError {
    fn from(error: crate::auth::AuthError) -> Self {
        tracing::error!(%error, "authentication machinery failed");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::matrix::StaleCell;
    use crate::model::org_map::{CellValue, Provision};

    #[test]
    fn a_stale_cell_says_what_it_holds_now() {
        let current = CellValue { level: Provision::Partly, note: "Tuesdays only".into(), version: 4 };
        let error = AppError::StaleCell(StaleCell::of(&current));
        assert_eq!(
            error.to_string(),
            "Someone else changed this cell while you were looking: it is now Partly provided (note: “Tuesdays only”). Nothing was saved."
        );
        assert_eq!(error.status(), 409);
    }

    #[test]
    fn waits_are_said_in_seconds_then_minutes() {
        let said = |seconds| AppError::RateLimited { seconds }.to_string();
        assert_eq!(said(1), "Too many sign-in attempts. Wait a second, then try again.");
        assert!(said(30).contains("Wait 30 seconds,"));
        assert!(said(60).contains("Wait a minute,"));
        assert!(said(61).contains("Wait 2 minutes,"));
        assert!(said(900).contains("Wait 15 minutes,"));
    }
}
