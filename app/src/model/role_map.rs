//! Role maps (the guide's Appendix 2): which roles in one organisation do which of the functions
//! the service needs. The gap engine is the one every matrix shares; only the rules' words and
//! the overlap threshold (more than one lead) are the role map's own.

use super::framework::{Category, choose_functions};
use super::ids::{FrameworkId, FunctionId, RoleId, RoleMapId, record};
use super::input::InputError;
use super::matrix::{Analysis, Cell, Level, RowStatus, StoredCell, Tone, Weight, analyse, cell_index};
use super::values::{CalendarDate, optional_text, plain_text};
use serde::{Deserialize, Serialize};

/// How far a role takes on a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Involvement {
    #[default]
    None,
    Supports,
    Leads,
}

impl Level for Involvement {
    type Column = record::Role;
    const ALL: [Involvement; 3] = [Involvement::None, Involvement::Supports, Involvement::Leads];
    const CHOOSE: &'static str = "Choose none, supports or leads.";

    fn as_str(self) -> &'static str {
        match self {
            Involvement::None => "none",
            Involvement::Supports => "supports",
            Involvement::Leads => "leads",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Involvement::None => "Not involved",
            Involvement::Supports => "Supports",
            Involvement::Leads => "Leads",
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Involvement::None => "–",
            Involvement::Supports => "◐",
            Involvement::Leads => "●",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Involvement::None => "No",
            Involvement::Supports => "Supports",
            Involvement::Leads => "Leads",
        }
    }

    fn weight(self) -> Weight {
        match self {
            Involvement::None => Weight::None,
            Involvement::Supports => Weight::Partial,
            Involvement::Leads => Weight::Full,
        }
    }

    fn key(self) -> char {
        match self {
            Involvement::None => 'N',
            Involvement::Supports => 'S',
            Involvement::Leads => 'L',
        }
    }
}

/// A role as the employer describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDetails {
    pub title: String,
    /// Empty when not given, as are the others.
    pub team: String,
    pub grade: String,
    pub hours: String,
}

impl RoleDetails {
    /// A role an import adds, known only by its title.
    pub fn imported(title: &str) -> Self {
        RoleDetails { title: title.to_owned(), team: String::new(), grade: String::new(), hours: String::new() }
    }

    pub fn parse(title: &str, team: &str, grade: &str, hours: &str) -> Result<Self, InputError> {
        Ok(RoleDetails {
            title: plain_text("title", "the job title", title, 120)?,
            team: optional_text("team", "the team", team, 120)?,
            grade: optional_text("grade", "the grade or band", grade, 60)?,
            hours: optional_text("hours", "the hours", hours, 60)?,
        })
    }
}

/// A role on a map, with the version an edit must present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub details: RoleDetails,
    pub version: i64,
}

/// What heads a role map: the organisation and the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMapDetails {
    pub organisation: String,
    pub date: CalendarDate,
}

impl RoleMapDetails {
    pub fn parse(organisation: &str, date: &str) -> Result<Self, InputError> {
        Ok(RoleMapDetails { organisation: plain_text("organisation", "the organisation", organisation, 120)?, date: CalendarDate::parse("date", date)? })
    }
}

/// What a list of role maps shows about each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMapSummary {
    pub id: RoleMapId,
    pub details: RoleMapDetails,
    pub frameworks: Vec<FrameworkId>,
    /// The menu: the functions the service needs, in framework order.
    pub needed: Vec<FunctionId>,
    pub role_count: usize,
    /// The version an edit of the details or the menu must present.
    pub version: i64,
}

pub type RoleCellValue = Cell<Involvement>;
pub type StoredRoleCell = StoredCell<Involvement>;

/// A whole role map: every function of its frameworks, the menu, the roles and the cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMap {
    pub summary: RoleMapSummary,
    /// All the functions of the map's frameworks, from which the menu is chosen.
    pub categories: Vec<Category>,
    pub roles: Vec<Role>,
    /// Removed roles, newest first: they can be put back, cells and all.
    pub removed: Vec<Role>,
    pub cells: Vec<StoredRoleCell>,
}

/// The category holding the core functions for all workers.
pub const CORE_CATEGORY: &str = "core";

pub(super) fn is_core(category: &Category) -> bool {
    category.id.as_str() == CORE_CATEGORY
}

impl RoleMap {
    /// The functions the service needs, by category.
    pub fn menu(&self) -> Vec<Category> {
        needed_categories(&self.categories, &self.summary.needed)
    }

    pub fn analysis(&self) -> RoleMapAnalysis {
        analyse_roles(&self.menu(), &self.roles, &self.cells)
    }

    pub fn role(&self, role_id: &RoleId) -> Option<&Role> {
        self.roles.iter().find(|role| &role.id == role_id)
    }

    /// What a role's learning covers: the needed functions it leads or supports, then every
    /// core function of the map's frameworks, in framework order.
    pub fn learning_scope(&self, role_id: &RoleId) -> Vec<FunctionId> {
        let index = cell_index(&self.cells);
        self.categories
            .iter()
            .flat_map(|category| category.functions.iter().map(move |function| (category, function)))
            .filter(|(category, function)| {
                is_core(category)
                    || (self.summary.needed.contains(&function.id) && index.get(&(&function.id, role_id)).is_some_and(|cell| cell.level != Involvement::None))
            })
            .map(|(_, function)| function.id.clone())
            .collect()
    }
}

/// The menu a new role map starts with: the core functions of its frameworks.
pub fn default_menu(categories: &[Category]) -> Vec<FunctionId> {
    categories.iter().filter(|c| is_core(c)).flat_map(|c| c.functions.iter().map(|f| f.id.clone())).collect()
}

/// Parses a menu, space-separated function ids, against the map's functions; answers them in
/// framework order.
pub fn parse_menu(text: &str, categories: &[Category]) -> Result<Vec<FunctionId>, InputError> {
    choose_functions(text, categories, "needed", "Tick at least one function the service needs.")
}

/// More than one role leading a function is overlap.
pub const OVERLAP_THRESHOLD: u32 = 1;

/// A role map's words for a function's status.
pub fn status_label(status: RowStatus) -> &'static str {
    match status {
        RowStatus::Gap => "Gap: no role covers it",
        RowStatus::PartialOnly => "Gap: supported, but no role leads",
        RowStatus::Single | RowStatus::Covered => "Led by one role",
        RowStatus::Duplication => "Overlap: led by more than one role",
    }
}

/// How a status reads on a role map: one role leading a function is what the service wants.
pub fn status_tone(status: RowStatus) -> Tone {
    match status {
        RowStatus::Gap | RowStatus::PartialOnly => Tone::Gap,
        RowStatus::Single | RowStatus::Covered => Tone::Healthy,
        RowStatus::Duplication => Tone::Excess,
    }
}

/// Only the categories and functions the service needs, in framework order.
pub fn needed_categories(all: &[Category], needed: &[FunctionId]) -> Vec<Category> {
    all.iter()
        .filter_map(|category| {
            let functions: Vec<_> = category.functions.iter().filter(|f| needed.contains(&f.id)).cloned().collect();
            (!functions.is_empty()).then(|| Category { functions, ..category.clone() })
        })
        .collect()
}

/// One role's involvement in one function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCell {
    pub role_id: RoleId,
    pub function_id: FunctionId,
    pub level: Involvement,
}

/// How many needed functions a role leads and supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleLoad {
    pub role_id: RoleId,
    pub leads: usize,
    pub supports: usize,
}

/// The gap analysis of a role map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMapAnalysis {
    /// Over the needed functions: gap, supported only, led by one, overlap.
    pub analysis: Analysis,
    /// Work a role does on a function the service does not need.
    pub not_needed: Vec<RoleCell>,
    pub per_role: Vec<RoleLoad>,
}

/// Analyses a role map: `needed` holds the service's menu, as categories.
pub fn analyse_roles(needed: &[Category], roles: &[Role], cells: &[StoredRoleCell]) -> RoleMapAnalysis {
    let index = cell_index(cells);
    let level = |role: &RoleId, function: &FunctionId| index.get(&(function, role)).map_or(Involvement::None, |cell| cell.level);
    let role_ids: Vec<&RoleId> = roles.iter().map(|r| &r.id).collect();
    let analysis = analyse(needed, &role_ids, |function, role| level(role, function).weight(), OVERLAP_THRESHOLD);
    let is_needed = |function: &FunctionId| needed.iter().any(|c| c.functions.iter().any(|f| &f.id == function));
    let not_needed = cells
        .iter()
        .filter(|cell| cell.value.level != Involvement::None && role_ids.contains(&&cell.column_id) && !is_needed(&cell.function_id))
        .map(|cell| RoleCell { role_id: cell.column_id.clone(), function_id: cell.function_id.clone(), level: cell.value.level })
        .collect();
    let per_role = roles
        .iter()
        .map(|role| {
            let count = |wanted: Involvement| needed.iter().flat_map(|c| &c.functions).filter(|f| level(&role.id, &f.id) == wanted).count();
            RoleLoad { role_id: role.id.clone(), leads: count(Involvement::Leads), supports: count(Involvement::Supports) }
        })
        .collect();
    RoleMapAnalysis { analysis, not_needed, per_role }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CareFunction;

    fn categories() -> Vec<Category> {
        let function = |id: &str| CareFunction { id: id.parse().unwrap(), label: id.into(), statement: format!("{id}.") };
        vec![
            Category { id: "a".parse().unwrap(), name: "A".into(), functions: vec![function("a-1"), function("a-2"), function("a-3")] },
            Category { id: "b".parse().unwrap(), name: "B".into(), functions: vec![function("b-1")] },
        ]
    }

    fn role(id: &str) -> Role {
        Role { id: id.into(), details: RoleDetails::parse(id, "", "", "").unwrap(), version: 1 }
    }

    fn cell(role: &str, function: &str, level: Involvement) -> StoredRoleCell {
        StoredRoleCell { column_id: role.into(), function_id: function.parse().unwrap(), value: Cell { level, note: String::new(), version: 1 } }
    }

    #[test]
    fn the_menu_keeps_only_needed_functions() {
        let needed: Vec<FunctionId> = vec!["a-2".parse().unwrap(), "b-1".parse().unwrap()];
        let menu = needed_categories(&categories(), &needed);
        let ids: Vec<&str> = menu.iter().flat_map(|c| &c.functions).map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a-2", "b-1"]);
        assert!(needed_categories(&categories(), &[]).is_empty());
    }

    #[test]
    fn every_role_map_rule() {
        use Involvement::*;
        let needed_ids: Vec<FunctionId> = ["a-1", "a-2", "a-3", "b-1"].iter().map(|id| id.parse().unwrap()).collect();
        let needed = needed_categories(&categories(), &needed_ids[..3]);
        let roles = [role("coordinator"), role("nurse")];
        let cells = [
            // a-1: nobody. a-2: supported only. a-3: led by both (overlap).
            cell("coordinator", "a-2", Supports),
            cell("nurse", "a-2", Supports),
            cell("coordinator", "a-3", Leads),
            cell("nurse", "a-3", Leads),
            // b-1 is not on the menu, but the nurse leads it.
            cell("nurse", "b-1", Leads),
            // Removed roles do not count.
            cell("gone", "a-1", Leads),
        ];
        let result = analyse_roles(&needed, &roles, &cells);
        let statuses: Vec<RowStatus> = result.analysis.rows.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [RowStatus::Gap, RowStatus::PartialOnly, RowStatus::Duplication]);
        assert_eq!(
            statuses.iter().map(|s| status_label(*s)).collect::<Vec<_>>(),
            ["Gap: no role covers it", "Gap: supported, but no role leads", "Overlap: led by more than one role",]
        );
        assert_eq!(result.not_needed, [RoleCell { role_id: "nurse".into(), function_id: "b-1".parse().unwrap(), level: Leads }]);
        assert_eq!(
            result.per_role,
            [RoleLoad { role_id: "coordinator".into(), leads: 1, supports: 1 }, RoleLoad { role_id: "nurse".into(), leads: 1, supports: 1 },]
        );

        // One lead is what a role map wants.
        let result = analyse_roles(&needed, &roles, &[cell("coordinator", "a-1", Leads), cell("nurse", "a-1", Supports)]);
        assert_eq!(result.analysis.rows[0].status, RowStatus::Single);
        assert_eq!(status_label(RowStatus::Single), "Led by one role");
        assert_eq!(status_tone(RowStatus::Single), Tone::Healthy, "one lead is what a role map wants");
        assert_eq!(RowStatus::Single.tone(), Tone::Fragile, "one provider of a function in an area is fragile");
        assert_eq!(result.analysis.overall.covered, 1);
    }

    #[test]
    fn no_roles_means_every_needed_function_is_a_gap() {
        let result = analyse_roles(&categories(), &[], &[]);
        assert_eq!(result.analysis.overall.gaps, 4);
        assert!(result.per_role.is_empty() && result.not_needed.is_empty());
    }

    #[test]
    fn involvement_has_a_key_per_state_and_roles_parse() {
        assert_eq!(Involvement::ALL.map(Involvement::key), ['N', 'S', 'L']);
        assert_eq!(Involvement::from_key("l"), Some(Involvement::Leads));
        for level in Involvement::ALL {
            assert_eq!(Involvement::parse(level.as_str()).unwrap(), level);
        }
        assert_eq!(RoleDetails::parse(" ", "", "", "").unwrap_err().field, "title");
        let role = RoleDetails::parse("Care coordinator", "Community mental health", "Band 6", "37.5 hours").unwrap();
        assert_eq!(role.grade, "Band 6");
    }
}
