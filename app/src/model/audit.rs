//! The audit log: who changed what, when, in a workspace.

use super::choices::choices;
use super::ids::PersonId;
use serde::{Deserialize, Serialize};

/// One recorded change of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub at: String,
    pub actor_id: PersonId,
    pub actor_name: String,
    /// What kind of thing changed, e.g. "workspace" or "member".
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

choices! {
    /// What kind of thing a change is to: its code is kept in the log, its label names the kind
    /// in the log's filter.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Entity in "entity", "Choose what changed." {
        Workspace = "workspace", "Workspace";
        Member = "member", "Members";
        Invitation = "invitation", "Invitations";
        OrgMap = "map", "Organisation maps";
        Organisation = "organisation", "Organisations";
        Cell = "cell", "Matrix cells";
        Action = "action", "Plan actions";
        RoleMap = "role map", "Role maps";
        Role = "role", "Roles and job descriptions";
        LearningAnalysis = "learning analysis", "Learning analyses";
        LearningNeed = "learning need", "Learning needs";
        LearningActivity = "learning activity", "Learning activities";
        Framework = "framework", "Frameworks";
    }
}

/// A change to record, before it has a time and an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub entity: Entity,
    pub entity_id: String,
    pub field: &'static str,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl Change {
    pub fn new(entity: Entity, entity_id: impl Into<String>, field: &'static str) -> Self {
        Change { entity, entity_id: entity_id.into(), field, old_value: None, new_value: None }
    }

    pub fn from(mut self, old: impl Into<String>) -> Self {
        self.old_value = Some(old.into());
        self
    }

    pub fn to(mut self, new: impl Into<String>) -> Self {
        self.new_value = Some(new.into());
        self
    }
}

/// Which entries an audit page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub actor_id: Option<PersonId>,
}
