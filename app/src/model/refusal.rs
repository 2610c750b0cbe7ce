//! Changes a business rule forbids. The model decides and names the rule; the layer that talks
//! to people says it in words.

use super::ids::{FrameworkId, FunctionId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The column (an organisation or a role, by its name) is off its map, so its cells cannot
    /// be edited.
    ColumnRemoved { name: String },
    /// A need's function is outside its analysis's scope.
    OutOfScope { function: FunctionId },
    /// The person a membership change is for is not a member.
    NotAMember,
    /// The change would leave the workspace with no owner.
    LastOwner,
    /// Someone accepting an invitation is a member already.
    AlreadyMember,
    /// No framework with this id is the workspace's to use.
    NoSuchFramework(FrameworkId),
    /// A new framework would take the id of one that exists.
    FrameworkExists(FrameworkId),
    /// A new account would take the email address of one that exists.
    AccountExists { email: String },
    /// Setting up is for the first account only.
    AlreadySetUp,
}

impl Refusal {
    /// Whether the change clashes with something that exists, rather than breaking a rule.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Refusal::FrameworkExists(_) | Refusal::AccountExists { .. } | Refusal::AlreadySetUp)
    }
}

/// A cell of a column may be edited while the column is on its map.
pub fn check_column_editable(name: &str, removed: bool) -> Result<(), Refusal> {
    if removed { Err(Refusal::ColumnRemoved { name: name.to_owned() }) } else { Ok(()) }
}

/// A need may be recorded only for a function its analysis covers.
pub fn check_in_scope(scope: &[FunctionId], function: &FunctionId) -> Result<(), Refusal> {
    if scope.contains(function) { Ok(()) } else { Err(Refusal::OutOfScope { function: function.clone() }) }
}

/// An invitation admits only someone who is not yet a member.
pub fn check_joining(already_member: bool) -> Result<(), Refusal> {
    if already_member { Err(Refusal::AlreadyMember) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removed_column_cannot_be_edited() {
        assert_eq!(check_column_editable("Age UK", false), Ok(()));
        assert_eq!(check_column_editable("Age UK", true), Err(Refusal::ColumnRemoved { name: "Age UK".into() }));
    }

    #[test]
    fn a_need_must_be_in_scope() {
        let (inside, outside): (FunctionId, FunctionId) = ("comm-01".parse().unwrap(), "comm-02".parse().unwrap());
        assert_eq!(check_in_scope(std::slice::from_ref(&inside), &inside), Ok(()));
        assert_eq!(check_in_scope(std::slice::from_ref(&inside), &outside), Err(Refusal::OutOfScope { function: outside.clone() }));
        assert_eq!(check_in_scope(&[], &inside), Err(Refusal::OutOfScope { function: inside.clone() }));
    }

    #[test]
    fn a_member_is_not_invited_again() {
        assert_eq!(check_joining(false), Ok(()));
        assert_eq!(check_joining(true), Err(Refusal::AlreadyMember));
    }
}
