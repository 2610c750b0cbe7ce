//! What a record holds now, when an edit made from an older view of it was refused: the
//! store answers it, and the layer that talks to people puts it in words.

use super::org_map::{ActionDetails, MapDetails, OrganisationDetails};
use super::role_map::{RoleDetails, RoleMapDetails};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Current {
    /// A workspace's own framework: its stored version, or `None` when a newer one was saved
    /// meanwhile.
    Framework {
        version: Option<u32>,
    },
    WorkspaceName(String),
    OrgMap(MapDetails),
    Organisation(OrganisationDetails),
    Action(ActionDetails),
    RoleMap {
        details: RoleMapDetails,
        needed: usize,
    },
    Role(RoleDetails),
    /// An analysis's scope, by its size.
    Scope {
        functions: usize,
    },
    /// The title of the role an analysis follows ("" for none).
    FollowedRole(String),
    /// A learning need's priority and status, as their codes.
    Need {
        priority: String,
        status: String,
    },
}
