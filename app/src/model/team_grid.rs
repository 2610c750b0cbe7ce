//! A team's learning needs as one grid: the team's named people across, every function any of
//! them covers down, and each person's need for each function in their scope.

use super::framework::Category;
use super::ids::{AnalysisId, FunctionId};
use super::learning::{AnalysisLevel, AnalysisSummary};
use super::programme::{Need, StoredNeed};
use super::role_map::needed_categories;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A person in a team's grid: their analysis and a need for each function in its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub summary: AnalysisSummary,
    pub needs: Vec<StoredNeed>,
}

/// Each distinct, non-blank team of named people's analyses, in the order first met.
pub fn teams_of(analyses: &[AnalysisSummary]) -> Vec<String> {
    let mut teams: Vec<String> = Vec::new();
    for analysis in analyses.iter().filter(|a| a.details.level == AnalysisLevel::Person && !a.details.team.is_empty()) {
        if !teams.contains(&analysis.details.team) {
            teams.push(analysis.details.team.clone());
        }
    }
    teams
}

/// The team asked for (a blank one is the first team there is) and its named people's analyses.
pub fn team_members(analyses: Vec<AnalysisSummary>, asked: &str, teams: &[String]) -> (String, Vec<AnalysisSummary>) {
    let team = if asked.trim().is_empty() { teams.first().cloned().unwrap_or_default() } else { asked.trim().to_owned() };
    let members = analyses.into_iter().filter(|a| a.details.level == AnalysisLevel::Person && a.details.team == team).collect();
    (team, members)
}

/// Every function in `scope` with its need (blank where none is recorded), then the archived
/// needs.
pub fn needs_in_scope(scope: &[FunctionId], stored: Vec<(Need, i64)>) -> (Vec<StoredNeed>, Vec<StoredNeed>) {
    let (archived, current): (Vec<_>, Vec<_>) = stored.into_iter().partition(|(need, _)| need.archived);
    let needs = scope
        .iter()
        .map(|id| {
            current
                .iter()
                .find(|(need, _)| &need.function_id == id)
                .map(|(need, version)| StoredNeed { need: need.clone(), version: *version })
                .unwrap_or_else(|| StoredNeed { need: Need::blank(id.clone()), version: 0 })
        })
        .collect();
    (needs, archived.into_iter().map(|(need, version)| StoredNeed { need, version }).collect())
}

/// The grid of `members`: each with their needs (from `needs`, by analysis id), and the
/// categories of `all` narrowed to the functions in anyone's scope.
pub fn team_grid(members: Vec<AnalysisSummary>, mut needs: HashMap<AnalysisId, Vec<(Need, i64)>>, all: &[Category]) -> (Vec<TeamMember>, Vec<Category>) {
    let in_any_scope: Vec<FunctionId> =
        all.iter().flat_map(|c| &c.functions).filter(|f| members.iter().any(|m| m.scope.contains(&f.id))).map(|f| f.id.clone()).collect();
    let categories = needed_categories(all, &in_any_scope);
    let people = members
        .into_iter()
        .map(|summary| {
            let (needs, _) = needs_in_scope(&summary.scope, needs.remove(&summary.id).unwrap_or_default());
            TeamMember { summary, needs }
        })
        .collect();
    (people, categories)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CalendarDate;
    use crate::model::learning::AnalysisDetails;
    use crate::model::programme::Priority;

    fn analysis(id: &str, level: AnalysisLevel, team: &str, scope: &[&str]) -> AnalysisSummary {
        AnalysisSummary {
            id: id.into(),
            details: AnalysisDetails {
                level,
                organisation: "Northshire".into(),
                name: id.into(),
                team: team.into(),
                date: CalendarDate::new(2026, 11, 30).unwrap(),
            },
            frameworks: vec![],
            scope: scope.iter().map(|f| f.parse().unwrap()).collect(),
            role_id: None,
            version: 1,
        }
    }

    fn categories() -> Vec<Category> {
        crate::frameworks::builtin().unwrap().into_iter().find(|f| f.id().as_str() == "coordinating-care").unwrap().categories().to_vec()
    }

    #[test]
    fn a_team_is_its_named_people_and_a_blank_choice_is_the_first_team() {
        let analyses = vec![
            analysis("whole", AnalysisLevel::Organisation, "", &[]),
            analysis("asha", AnalysisLevel::Person, "Discharge", &[]),
            analysis("team", AnalysisLevel::Team, "Discharge", &[]),
            analysis("ben", AnalysisLevel::Person, "Visits", &[]),
            analysis("cai", AnalysisLevel::Person, "Discharge", &[]),
        ];
        let teams = teams_of(&analyses);
        assert_eq!(teams, ["Discharge", "Visits"]);
        let (team, members) = team_members(analyses.clone(), " ", &teams);
        assert_eq!((team.as_str(), members.iter().map(|m| m.id.as_str()).collect::<Vec<_>>()), ("Discharge", vec!["asha", "cai"]));
        let (team, members) = team_members(analyses, "Visits", &teams);
        assert_eq!((team.as_str(), members.len()), ("Visits", 1));
    }

    #[test]
    fn the_grid_covers_every_function_in_anyones_scope_and_fills_blank_needs() {
        let categories = categories();
        let first = categories[0].functions[0].id.clone();
        let second = categories[1].functions[0].id.clone();
        let members = vec![
            analysis("asha", AnalysisLevel::Person, "Discharge", &[first.as_str()]),
            analysis("cai", AnalysisLevel::Person, "Discharge", &[first.as_str(), second.as_str()]),
        ];
        let mut recorded = Need::blank(first.clone());
        recorded.priority = Priority::High;
        let needs = HashMap::from([("cai".into(), vec![(recorded.clone(), 3)])]);
        let (people, shown) = team_grid(members, needs, &categories);
        let functions: Vec<&FunctionId> = shown.iter().flat_map(|c| &c.functions).map(|f| &f.id).collect();
        assert_eq!(functions, [&first, &second]);
        assert_eq!(people[0].needs, [StoredNeed { need: Need::blank(first.clone()), version: 0 }]);
        assert_eq!(people[1].needs, [StoredNeed { need: recorded, version: 3 }, StoredNeed { need: Need::blank(second), version: 0 }]);
    }
}
