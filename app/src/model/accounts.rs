//! People, workspaces and what each member may do. Inputs are parsed into these types at the
//! edge, so a value of one is always valid.

use super::choices::choices;
use super::ids::{InvitationId, PersonId, WorkspaceId};
use super::input::InputError;
use super::refusal::Refusal;
use super::values::plain_text;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a second first administrator cannot be made.
pub const ALREADY_SET_UP: &str = "caremap is already set up: sign in instead.";

/// An email address, trimmed and lower-cased so each person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, InputError> {
        let email = plain_text("email", "an email address", text, 254)?.to_lowercase();
        let well_formed = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.contains(char::is_whitespace)
            }
            None => false,
        };
        if !well_formed {
            return Err(InputError::new("email", "Enter an email address like name@example.org."));
        }
        Ok(Email(email))
    }

    /// The part before the "@".
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or(self.0.as_str(), |(local, _)| local)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name as they want it shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(text: &str) -> Result<Self, InputError> {
        plain_text("name", "a name", text, 100).map(PersonName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least 12 characters. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    const MAX_CHARS: usize = 1000;

    /// A new password for the account of `email` and `name`: long enough, and not one that
    /// is guessed first.
    pub fn parse(text: &str, email: &Email, name: &PersonName) -> Result<Self, InputError> {
        let count = text.chars().count();
        let refuse = |message: &str| Err(InputError::new("password", message));
        if count < Self::MIN_CHARS {
            return refuse(&format!("Use a password of at least {} characters; a few unrelated words work well.", Self::MIN_CHARS));
        }
        if count > Self::MAX_CHARS {
            return refuse("Use a password of 1000 characters or fewer.");
        }
        // Compared lower-cased and without spaces, as people vary both.
        let squeeze = |value: &str| value.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect::<String>();
        let squeezed = squeeze(text);
        if squeezed.is_empty() {
            return refuse("Use a password with characters other than spaces.");
        }
        if [email.as_str(), email.local_part(), name.as_str()].into_iter().any(|own| squeezed == squeeze(own)) {
            return refuse("Use a password that is not your email address or name.");
        }
        if is_commonly_guessed(&squeezed) {
            return refuse("That password is one of the first that people guess. Use a few unrelated words instead.");
        }
        Ok(Password(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether a password, lower-cased and without spaces, is among those guessed first: one
/// character repeated, a run along the digits or the keyboard, or a well-known one.
fn is_commonly_guessed(password: &str) -> bool {
    const RUNS: [&str; 4] = ["12345678901234567890", "09876543210987654321", "qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz"];
    const KNOWN: [&str; 16] = [
        "password", "passw0rd", "letmein", "welcome", "iloveyou", "qwerty", "abc123", "123456", "monkey", "dragon", "sunshine", "football", "princess",
        "admin", "caremap", "changeme",
    ];
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return true;
    }
    if RUNS.iter().any(|run| run.contains(password)) {
        return true;
    }
    // A well-known word with only digits or punctuation around it, or itself repeated.
    KNOWN.iter().any(|known| {
        let rest = password.replace(known, "");
        password.contains(known) && rest.chars().all(|c| !c.is_alphabetic())
    })
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// A workspace's name, e.g. "Northshire adult social care".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    pub fn parse(text: &str) -> Result<Self, InputError> {
        plain_text("name", "a workspace name", text, 100).map(WorkspaceName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

choices! {
    /// What a member may do in a workspace.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum WorkspaceRole in "role", "Choose owner, editor or viewer." {
        /// Reads everything.
        Viewer = "viewer", "Viewer";
        /// Reads and changes the workspace's data.
        Editor = "editor", "Editor";
        /// Also invites people, changes roles, removes members and renames the workspace.
        Owner = "owner", "Owner";
    }
}

impl WorkspaceRole {
    /// Whether this role includes everything `needed` allows.
    pub fn allows(self, needed: WorkspaceRole) -> bool {
        self >= needed
    }
}

/// One person's membership, as a workspace's member list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: PersonId,
    pub name: String,
    pub email: String,
    pub role: WorkspaceRole,
}

/// A change to a workspace's membership, checked against the rule that a workspace always
/// keeps an owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange<'a> {
    ChangeRole { user_id: &'a PersonId, role: WorkspaceRole },
    Remove { user_id: &'a PersonId },
}

pub fn check_membership_change(members: &[Member], change: MembershipChange<'_>) -> Result<(), Refusal> {
    let (user_id, new_role) = match change {
        MembershipChange::ChangeRole { user_id, role } => (user_id, Some(role)),
        MembershipChange::Remove { user_id } => (user_id, None),
    };
    let Some(target) = members.iter().find(|m| &m.user_id == user_id) else {
        return Err(Refusal::NotAMember);
    };
    let owners = members.iter().filter(|m| m.role == WorkspaceRole::Owner).count();
    let loses_owner = target.role == WorkspaceRole::Owner && new_role != Some(WorkspaceRole::Owner);
    if loses_owner && owners == 1 {
        return Err(Refusal::LastOwner);
    }
    Ok(())
}

/// A signed-in person, as the rest of the program sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: PersonId,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
}

/// A workspace in a list of one person's workspaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSummary {
    pub id: WorkspaceId,
    pub name: String,
    pub role: WorkspaceRole,
}

/// What an invitation link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    pub role: WorkspaceRole,
    pub expires_at: String,
}

/// An open invitation as its workspace's owners see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    /// What identifies it to the workspace's owners, who may withdraw it; not the link.
    pub id: InvitationId,
    pub role: WorkspaceRole,
    pub created_by: String,
    pub expires_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ann.Smith@Example.ORG ").unwrap().as_str(), "ann.smith@example.org");
        for bad in ["", "ann", "ann@", "@example.org", "ann@example", "ann@@example.org", "a b@example.org", "ann@.org"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(Email::parse("x").unwrap_err().field, "email");
    }

    #[test]
    fn passwords_need_twelve_characters_and_are_never_printed() {
        let (email, name) = (Email::parse("ann.smith@example.org").unwrap(), PersonName::parse("Ann Smith").unwrap());
        let parse = |text: &str| Password::parse(text, &email, &name);
        assert!(parse("elevenchars").is_err());
        assert!(parse("twelve chars").is_ok());
        // Characters, not bytes: twelve accented letters are enough.
        assert!(parse("éèêëéèêëéèêë").is_ok());
        assert_eq!(format!("{:?}", parse("correct horse battery").unwrap()), "Password(…)");
    }

    #[test]
    fn passwords_guessed_first_are_refused_with_the_reason() {
        let (email, name) = (Email::parse("ann.smith@example.org").unwrap(), PersonName::parse("Ann Smith-Jones").unwrap());
        let refusal = |text: &str| Password::parse(text, &email, &name).unwrap_err().message;
        assert!(refusal("            ").contains("other than spaces"));
        assert!(refusal("Ann.Smith@Example.org").contains("not your email address or name"));
        assert!(refusal("ann smith-jones").contains("not your email address or name"));
        assert!(refusal("ann.smith@example.org").contains("not your email address"));
        for common in ["password1234", "Password 2026!", "123456789012", "qwertyuiopas", "aaaaaaaaaaaa", "letmeinletmein", "abcdefghijklm"] {
            assert!(refusal(common).contains("first that people guess"), "{common}");
        }
        for fine in ["correct horse battery staple", "riverside kettle 42", "my password is long enough"] {
            assert!(Password::parse(fine, &email, &name).is_ok(), "{fine}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  Ann Smith ").unwrap().as_str(), "Ann Smith");
        assert_eq!(PersonName::parse("   ").unwrap_err().message, "Enter a name.");
        assert!(PersonName::parse(&"x".repeat(101)).is_err());
        assert!(WorkspaceName::parse("Line\nbreak").is_err());
        assert_eq!(WorkspaceName::parse("").unwrap_err().message, "Enter a workspace name.");
    }

    #[test]
    fn roles_are_ordered_by_what_they_allow() {
        use WorkspaceRole::*;
        assert!(Owner.allows(Editor) && Owner.allows(Viewer) && Editor.allows(Viewer));
        assert!(!Viewer.allows(Editor) && !Editor.allows(Owner));
        for role in WorkspaceRole::ALL {
            assert_eq!(WorkspaceRole::parse(role.as_str()).unwrap(), role);
        }
        assert!(WorkspaceRole::parse("admin").is_err());
    }

    fn member(id: &str, role: WorkspaceRole) -> Member {
        Member { user_id: id.into(), name: id.into(), email: format!("{id}@example.org"), role }
    }

    #[test]
    fn the_last_owner_can_be_neither_removed_nor_demoted() {
        use WorkspaceRole::*;
        let one_owner = [member("a", Owner), member("b", Editor)];
        assert_eq!(check_membership_change(&one_owner, MembershipChange::Remove { user_id: &"a".into() }), Err(Refusal::LastOwner));
        assert!(check_membership_change(&one_owner, MembershipChange::ChangeRole { user_id: &"a".into(), role: Viewer }).is_err());
        assert!(check_membership_change(&one_owner, MembershipChange::ChangeRole { user_id: &"a".into(), role: Owner }).is_ok());
        assert!(check_membership_change(&one_owner, MembershipChange::Remove { user_id: &"b".into() }).is_ok());
        assert_eq!(check_membership_change(&one_owner, MembershipChange::Remove { user_id: &"z".into() }), Err(Refusal::NotAMember));

        let two_owners = [member("a", Owner), member("b", Owner)];
        assert!(check_membership_change(&two_owners, MembershipChange::Remove { user_id: &"a".into() }).is_ok());
        assert!(check_membership_change(&two_owners, MembershipChange::ChangeRole { user_id: &"b".into(), role: Editor }).is_ok());
    }
}
