//! The pure domain: no I/O, no web framework, no database. Compiled for the server and the
//! browser alike, and unit-tested here.

mod accounts;
mod audit;
pub mod catalogue;
pub(crate) mod choices;
pub mod document;
mod framework;
pub mod framework_import;
mod ids;
pub mod import;
mod input;
pub mod job_description;
pub mod learning;
pub mod matrix;
pub mod org_map;
pub mod programme;
mod refusal;
pub mod review;
pub mod role_map;
pub mod sample;
pub mod sheet;
mod stale;
pub mod team_grid;
mod values;

pub use accounts::{
    ALREADY_SET_UP, Email, Invitation, Member, MembershipChange, Password, PendingInvitation, PersonName, User, WorkspaceName, WorkspaceRole, WorkspaceSummary,
    check_membership_change,
};
pub use audit::{AuditEntry, AuditFilter, Change, Entity};
pub use framework::{COORDINATING_CARE, CORE_FUNCTIONS, CareFunction, Category, Framework, FrameworkError, FrameworkSummary, function_label};
pub use ids::{
    ActionId, ActivityId, AnalysisId, CategoryId, FrameworkId, FunctionId, Id, IdError, ImportId, InvitationId, OrgMapId, OrganisationId, PersonId, RoleId,
    RoleMapId, WorkspaceId, record,
};
pub use input::InputError;
pub use matrix::{Analysis, RowStatus};
pub use refusal::{Refusal, check_column_editable, check_in_scope, check_joining};
pub use stale::Current;
pub use values::{CalendarDate, Pence};
