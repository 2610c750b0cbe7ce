//! Learning and development needs analyses (the guide's Appendix 3). An analysis covers one
//! organisation, team, role or named person, and a scope of functions: by default a role's own
//! functions plus the core functions, never one list for everyone.

use super::choices::choices;
use super::framework::{Category, choose_functions};
use super::ids::{AnalysisId, FrameworkId, FunctionId, RoleId, RoleMapId};
use super::input::InputError;
use super::role_map::{Role, RoleMap};
use super::values::{CalendarDate, optional_text, plain_text};
use serde::{Deserialize, Serialize};

choices! {
    /// Whom an analysis is for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum AnalysisLevel in "level", "Choose organisation, team, role or named person." {
        Organisation = "organisation", "Organisation";
        Team = "team", "Team";
        Role = "role", "Role";
        Person = "person", "Named person";
    }
}

impl AnalysisLevel {}

/// Whom an analysis is for, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisDetails {
    pub level: AnalysisLevel,
    pub organisation: String,
    /// The organisation, team, role or person's name, as the level says.
    pub name: String,
    /// The team the analysis belongs to, for the programme's filter and the team grid; blank
    /// when none.
    pub team: String,
    pub date: CalendarDate,
}

impl AnalysisDetails {
    /// Parses an analysis's fields as its form sends them. An organisation's analysis is named
    /// after the organisation unless given a name, and a team's belongs to that team.
    pub fn parse(level: &str, organisation: &str, name: &str, team: &str, date: &str) -> Result<Self, InputError> {
        let level = AnalysisLevel::parse(level)?;
        let organisation = plain_text("organisation", "the organisation", organisation, 120)?;
        let name = match level {
            AnalysisLevel::Organisation if name.trim().is_empty() => organisation.clone(),
            AnalysisLevel::Organisation => plain_text("name", "a name", name, 120)?,
            AnalysisLevel::Team => plain_text("name", "the team's name", name, 120)?,
            AnalysisLevel::Role => plain_text("name", "the role's title", name, 120)?,
            AnalysisLevel::Person => plain_text("name", "the person's name", name, 120)?,
        };
        let team = match level {
            AnalysisLevel::Team if team.trim().is_empty() => name.clone(),
            _ => optional_text("team", "the team", team, 120)?,
        };
        Ok(AnalysisDetails { level, organisation, name, team, date: CalendarDate::parse("date", date)? })
    }

    /// An analysis that follows `role`: the form's fields, each left blank taken from the role
    /// (its title names a role's analysis; its team is the team) or its map (the organisation).
    pub fn following_role(level: &str, organisation: &str, name: &str, team: &str, date: &str, role: &FollowedRole<'_>) -> Result<Self, InputError> {
        let or = |given: &str, default: &str| if given.trim().is_empty() { default.to_owned() } else { given.to_owned() };
        let name = if level == AnalysisLevel::Role.as_str() { or(name, role.title) } else { name.to_owned() };
        Self::parse(level, &or(organisation, role.organisation), &name, &or(team, role.team), date)
    }

    /// The analysis a role's "plan learning" starts: that role's, dated `today`, every other
    /// field from the role.
    pub fn of_role(role: &FollowedRole<'_>, today: CalendarDate) -> Result<Self, InputError> {
        Self::following_role(AnalysisLevel::Role.as_str(), "", "", "", &today.to_string(), role)
    }

    /// The analysis an imported person new to the workspace gets: a person's, in
    /// `organisation`, dated `today`; the store names it after the person.
    pub fn imported_person(organisation: &str, today: CalendarDate) -> Self {
        AnalysisDetails { level: AnalysisLevel::Person, organisation: organisation.to_owned(), name: String::new(), team: String::new(), date: today }
    }
}

/// The role an analysis follows, as its defaults need it.
pub struct FollowedRole<'a> {
    /// The organisation of the role's map.
    pub organisation: &'a str,
    pub title: &'a str,
    pub team: &'a str,
}

impl<'a> FollowedRole<'a> {
    /// `role`, on `map`.
    pub fn on(map: &'a RoleMap, role: &'a Role) -> Self {
        FollowedRole { organisation: &map.summary.details.organisation, title: &role.details.title, team: &role.details.team }
    }
}

/// What heads an analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisSummary {
    pub id: AnalysisId,
    pub details: AnalysisDetails,
    pub frameworks: Vec<FrameworkId>,
    /// The functions the analysis covers, in framework order.
    pub scope: Vec<FunctionId>,
    /// The role it follows, if any: its scope starts as that role's functions.
    pub role_id: Option<RoleId>,
    pub version: i64,
}

/// The frameworks `analyses` use, each once, in the order first used.
pub fn frameworks_used(analyses: &[AnalysisSummary]) -> Vec<FrameworkId> {
    let mut frameworks: Vec<FrameworkId> = Vec::new();
    for id in analyses.iter().flat_map(|a| &a.frameworks) {
        if !frameworks.contains(id) {
            frameworks.push(id.clone());
        }
    }
    frameworks
}

/// The frameworks a workspace's learning matrix lists the functions of: those its analyses
/// use, or the default ones while there are none.
pub fn learning_matrix_frameworks(analyses: &[AnalysisSummary]) -> Vec<FrameworkId> {
    let used = frameworks_used(analyses);
    if used.is_empty() { super::org_map::default_map_frameworks() } else { used }
}

/// Parses an analysis's scope, space-separated function ids, against its frameworks' functions.
pub fn parse_scope(text: &str, categories: &[Category]) -> Result<Vec<FunctionId>, InputError> {
    choose_functions(text, categories, "scope", "Tick at least one function for the analysis to cover.")
}

/// The scope of an analysis that follows no role: the core functions for all workers, to which
/// its author adds the functions this organisation, team or person does.
pub fn default_scope(categories: &[Category]) -> Vec<FunctionId> {
    super::role_map::default_menu(categories)
}

/// An analysis with every function of its frameworks, by category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningAnalysis {
    pub summary: AnalysisSummary,
    pub categories: Vec<Category>,
}

impl LearningAnalysis {
    /// The functions in scope, by category.
    pub fn scope_categories(&self) -> Vec<Category> {
        super::role_map::needed_categories(&self.categories, &self.summary.scope)
    }
}

/// A role of one of the workspace's role maps, as a person's analysis can follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub map_id: RoleMapId,
    pub role_id: RoleId,
    /// The role map's organisation.
    pub organisation: String,
    pub title: String,
    pub team: String,
}

impl RoleChoice {
    /// How a form names the choice: the map's id and the role's, joined by a slash.
    pub fn key(&self) -> String {
        format!("{}/{}", self.map_id, self.role_id)
    }

    pub fn label(&self) -> String {
        if self.team.is_empty() { format!("{} ({})", self.title, self.organisation) } else { format!("{} ({}, {})", self.title, self.team, self.organisation) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_parse_by_level() {
        let organisation = AnalysisDetails::parse("organisation", " Northshire Trust ", "", "", "2026-11-02").unwrap();
        assert_eq!((organisation.name.as_str(), organisation.team.as_str()), ("Northshire Trust", ""));
        let team = AnalysisDetails::parse("team", "Northshire Trust", "North CMHT", "", "2026-11-02").unwrap();
        assert_eq!(team.team, "North CMHT", "a team's analysis belongs to the team");
        let person = AnalysisDetails::parse("person", "Northshire Trust", "Asha Patel", "North CMHT", "2026-11-02").unwrap();
        assert_eq!((person.level, person.team.as_str()), (AnalysisLevel::Person, "North CMHT"));
        assert_eq!(AnalysisDetails::parse("person", "Trust", " ", "", "2026-11-02").unwrap_err().message, "Enter the person's name.");
        assert_eq!(AnalysisDetails::parse("everyone", "Trust", "A", "", "2026-11-02").unwrap_err().field, "level");
        assert_eq!(AnalysisDetails::parse("team", "", "A", "", "2026-11-02").unwrap_err().field, "organisation");
        assert_eq!(AnalysisDetails::parse("team", "Trust", "A", "", "2/11/2026").unwrap_err().field, "date");
    }

    #[test]
    fn a_scope_is_chosen_from_the_frameworks_in_their_order() {
        let function = |id: &str| super::super::CareFunction { id: id.parse().unwrap(), label: id.into(), statement: String::new() };
        let categories = vec![
            Category { id: "comm".parse().unwrap(), name: "Communication".into(), functions: vec![function("comm-01"), function("comm-02")] },
            Category { id: "core".parse().unwrap(), name: "Core".into(), functions: vec![function("core-01")] },
        ];
        let ids = |scope: Vec<FunctionId>| scope.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(parse_scope("core-01 comm-02", &categories).unwrap()), ["comm-02", "core-01"]);
        assert_eq!(parse_scope("comm-09", &categories).unwrap_err().message, "“comm-09” is not one of these frameworks' functions.");
        assert_eq!(parse_scope(" ", &categories).unwrap_err().field, "scope");
        assert_eq!(ids(default_scope(&categories)), ["core-01"], "without a role, the core functions");
    }

    #[test]
    fn an_analysis_following_a_role_fills_its_blanks_from_the_role() {
        let role = FollowedRole { organisation: "Northshire Council", title: "Care coordinator", team: "Hospital discharge" };
        let filled = AnalysisDetails::following_role("role", "", " ", "", "2026-11-30", &role).unwrap();
        assert_eq!(
            (filled.organisation.as_str(), filled.name.as_str(), filled.team.as_str()),
            ("Northshire Council", "Care coordinator", "Hospital discharge")
        );
        let given = AnalysisDetails::following_role("person", "Age UK", "Sam Patel", "Visits", "2026-11-30", &role).unwrap();
        assert_eq!((given.organisation.as_str(), given.name.as_str(), given.team.as_str()), ("Age UK", "Sam Patel", "Visits"));
        // A person's analysis is not named after the role.
        assert_eq!(AnalysisDetails::following_role("person", "", "", "", "2026-11-30", &role).unwrap_err().field, "name");
        let today = CalendarDate::new(2026, 11, 30).unwrap();
        assert_eq!(AnalysisDetails::of_role(&role, today).unwrap(), filled);
    }
}
