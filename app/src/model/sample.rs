//! A realistic sample area, so a newcomer sees a filled organisation map, with gaps, fragile
//! spots and duplication, in one click.

use super::ids::FunctionId;
use super::org_map::{ActionFields, OrganisationDetails, Provision};
use super::role_map::{Involvement, RoleDetails};

/// One sample organisation and the functions it provides, as space-separated ids.
pub struct SampleOrganisation {
    pub details: OrganisationDetails,
    fully: &'static str,
    partly: &'static str,
    /// Functions it took on since the baseline a year earlier.
    new_since_baseline: &'static str,
}

pub struct SampleArea {
    pub workspace_name: &'static str,
    pub area: &'static str,
    pub organisations: Vec<SampleOrganisation>,
    /// Notes on cells: (organisation index, function id, note).
    pub notes: Vec<(usize, &'static str, &'static str)>,
    pub actions: Vec<ActionFields>,
    pub role_map: SampleRoleMap,
}

/// A sample service's role map: its menu and its roles with the functions each leads and
/// supports, as space-separated ids.
pub struct SampleRoleMap {
    pub organisation: &'static str,
    needed: &'static str,
    pub roles: Vec<(RoleDetails, &'static str, &'static str)>,
}

impl SampleRoleMap {
    pub fn needed(&self) -> Vec<FunctionId> {
        ids(self.needed).collect()
    }

    /// Each role's cells: what it leads, then what it supports.
    pub fn cells(&self, role: usize) -> Vec<(FunctionId, Involvement)> {
        let (_, leads, supports) = &self.roles[role];
        ids(leads).map(|id| (id, Involvement::Leads)).chain(ids(supports).map(|id| (id, Involvement::Supports))).collect()
    }
}

fn sample_role_map() -> SampleRoleMap {
    let role = |title: &str, grade: &str, hours: &str, leads: &'static str, supports: &'static str| {
        let details = RoleDetails::parse(title, "Community Mental Health Team", grade, hours).expect("sample roles are valid");
        (details, leads, supports)
    };
    SampleRoleMap {
        organisation: "Northshire Community Mental Health Team",
        needed: "comm-01 comm-02 comm-03 comm-04 comm-05 comm-06 comm-07 comm-10 supp-01 supp-02 supp-05 supp-06 supp-07 \
                 supp-09 supp-11 info-01 info-02 info-04 info-06 bus-02 local-02 core",
        roles: vec![
            role(
                "Care coordinator",
                "Band 6",
                "37.5 hours a week",
                "comm-01 comm-02 comm-06 supp-01 supp-02 supp-05 supp-06 info-01 info-04",
                "comm-03 comm-04 supp-09 local-02 core",
            ),
            role("Support time and recovery worker", "Band 4", "37.5 hours a week", "supp-05 supp-07 supp-11", "comm-01 comm-03 comm-07 info-04 info-06 core"),
            role("Team administrator", "Band 3", "30 hours a week", "comm-05 info-06", "comm-04 info-02 info-04 core"),
            // The manager leads the core functions for the team: supervision, training, standards.
            role("Team manager", "Band 7", "37.5 hours a week", "bus-02 local-02 supp-09 core", "comm-07 info-01 info-05"),
        ],
    }
}

/// Every core function, which all these organisations' staff carry out.
const ALL_CORE: &str = "core-01 core-02 core-03 core-04 core-05 core-06 core-07";

fn organisation(
    name: &str,
    sector: &str,
    locality: &str,
    website: &str,
    fully: &'static str,
    partly: &'static str,
    new_since_baseline: &'static str,
) -> SampleOrganisation {
    SampleOrganisation {
        details: OrganisationDetails::parse(name, sector, locality, website, "").expect("sample organisations are valid"),
        fully,
        partly,
        new_since_baseline,
    }
}

pub fn sample_area() -> SampleArea {
    let organisations = vec![
        organisation(
            "Northshire Adult Social Care team",
            "statutory",
            "Northshire",
            "",
            "comm-01 comm-02 comm-03 comm-04 comm-05 supp-01 supp-02 supp-03 supp-04 supp-05 supp-06 supp-10 \
             info-01 info-02 info-04 info-05 bus-01 bus-02",
            "comm-07 comm-08 supp-09 supp-11 local-02",
            "",
        ),
        organisation(
            "Community Mental Health Team",
            "statutory",
            "Northshire East",
            "",
            "comm-01 comm-02 comm-03 comm-04 supp-01 supp-02 supp-05 supp-06 info-01 info-02 info-04 local-02",
            "comm-09 comm-10 supp-07 info-05",
            "",
        ),
        organisation(
            "Riverside GP Practice",
            "independent",
            "Riverside",
            "",
            "comm-01 comm-04 info-02 info-04 info-06 core-01 core-02 core-05",
            "comm-03 supp-05 supp-06 info-03",
            "",
        ),
        organisation(
            "Northshire General Hospital discharge team",
            "statutory",
            "Northshire",
            "",
            "comm-01 comm-03 supp-12 info-01 info-04",
            "comm-05 supp-04 info-06",
            "supp-12",
        ),
        organisation(
            "Northshire Carers' Centre",
            "voluntary",
            "Northshire",
            "",
            "comm-01 comm-02 comm-07 supp-07 supp-09 info-03 local-05 core-01 core-04",
            "supp-08 local-01 bus-04",
            "local-05",
        ),
        organisation(
            "Age UK Northshire",
            "voluntary",
            "Northshire",
            "https://www.ageuk.org.uk",
            "comm-01 comm-02 comm-07 supp-07 supp-08 supp-11 info-03 info-07 local-01 local-05 core-01 core-04 core-06",
            "comm-08 supp-09 bus-04 info-08",
            "info-07 supp-11",
        ),
        organisation("Homeward Housing Support", "private", "Riverside", "", "supp-07 info-03 core-01", "comm-02 supp-11", ""),
    ];
    let action = |function: &str, what: &str, with_whom: &str, cost: &str, due: &str, status: &str| ActionFields {
        function_id: function.into(),
        what: what.into(),
        with_whom: with_whom.into(),
        how: String::new(),
        cost: cost.into(),
        due: due.into(),
        communication: "Report to the integrated care partnership board; share with all providers.".into(),
        risks: String::new(),
        status: status.into(),
    };
    SampleArea {
        workspace_name: "Sample: Northshire",
        area: "Northshire",
        organisations,
        notes: vec![
            (3, "supp-12", "Weekdays only; weekend discharges go through the on-call social worker."),
            (5, "info-07", "The only up-to-date directory of local services; funded year to year."),
            (1, "comm-10", "Two practitioners trained; no cover when they are away."),
        ],
        actions: vec![
            ActionFields {
                how: "Add a follow-up step to the shared referral form and check it at the weekly huddle.".into(),
                risks: "Extra workload for duty staff. Mitigation: rotate the check across teams.".into(),
                ..action(
                    "comm-06",
                    "Agree who follows up referrals between agencies",
                    "Adult Social Care, Community Mental Health Team, Riverside GP Practice",
                    "1500",
                    "2026-09-30",
                    "in-progress",
                )
            },
            action(
                "local-03",
                "Appoint a local area coordinator as the starting point for integrated care",
                "Age UK Northshire, the integrated care board",
                "38000",
                "2027-03-31",
                "planned",
            ),
            action("info-07", "Fund the local services directory for three years", "Age UK Northshire", "12000", "2026-12-31", "planned"),
        ],
        role_map: sample_role_map(),
    }
}

fn ids(text: &str) -> impl Iterator<Item = FunctionId> + '_ {
    let expanded = text.split_whitespace().flat_map(|word| if word == "core" { ALL_CORE.split_whitespace().collect() } else { vec![word] });
    expanded.map(|id| id.parse().expect("sample function ids are valid"))
}

impl SampleOrganisation {
    /// This organisation's cells now; the statutory teams carry out every core function.
    pub fn cells(&self) -> Vec<(FunctionId, Provision)> {
        let core = if self.details.sector == super::org_map::Sector::Statutory { "core" } else { "" };
        ids(self.fully).chain(ids(core)).map(|id| (id, Provision::Fully)).chain(ids(self.partly).map(|id| (id, Provision::Partly))).collect()
    }

    /// This organisation's cells in the baseline a year earlier: without what it took on since.
    pub fn baseline_cells(&self) -> Vec<(FunctionId, Provision)> {
        let new: Vec<FunctionId> = ids(self.new_since_baseline).collect();
        self.cells().into_iter().filter(|(id, _)| !new.contains(id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frameworks::builtin;
    use crate::model::matrix::{Level, RowStatus, analyse};
    use crate::model::{Category, FunctionId};
    use std::collections::HashMap;

    fn default_categories() -> Vec<Category> {
        builtin()
            .unwrap()
            .into_iter()
            .filter(|f| super::super::org_map::default_map_frameworks().contains(f.id()))
            .flat_map(|f| f.categories().to_vec())
            .collect()
    }

    #[test]
    fn the_sample_shows_every_kind_of_finding() {
        let categories = default_categories();
        let known: Vec<&FunctionId> = categories.iter().flat_map(|c| &c.functions).map(|f| &f.id).collect();
        let sample = sample_area();
        let mut cells = HashMap::new();
        for (index, organisation) in sample.organisations.iter().enumerate() {
            for (function, level) in organisation.cells() {
                assert!(known.contains(&&function), "{function} is not a mapped function");
                assert!(cells.insert((function, index), level).is_none(), "{} lists a function twice", organisation.details.name);
            }
        }
        for (_, function, _) in &sample.notes {
            assert!(known.iter().any(|id| id.as_str() == *function));
        }
        let columns: Vec<usize> = (0..sample.organisations.len()).collect();
        let analysis = analyse(&categories, &columns, |f, o| cells.get(&(f.clone(), *o)).map_or(Default::default(), |l| l.weight()), 3);
        let statuses: Vec<RowStatus> = analysis.rows.iter().map(|r| r.status).collect();
        for status in [RowStatus::Gap, RowStatus::PartialOnly, RowStatus::Single, RowStatus::Covered, RowStatus::Duplication] {
            assert!(statuses.contains(&status), "the sample has no {status:?}");
        }
        // Every sample action answers a gap or a fragile function.
        for action in &sample.actions {
            let row = analysis.rows.iter().find(|r| r.function_id.as_str() == action.function_id).unwrap();
            assert!(row.status.is_gap() || row.status == RowStatus::Single, "{}", action.function_id);
        }
    }

    #[test]
    fn the_sample_role_map_has_gaps_overlap_and_work_not_needed() {
        use crate::model::matrix::{Cell, StoredCell};
        use crate::model::role_map::{Role, RoleMap, RoleMapDetails, RoleMapSummary};
        let sample = sample_area().role_map;
        let roles: Vec<Role> = sample
            .roles
            .iter()
            .enumerate()
            .map(|(index, (details, _, _))| Role { id: format!("role-{index}").into(), details: details.clone(), version: 1 })
            .collect();
        let cells = (0..roles.len())
            .flat_map(|index| {
                sample.cells(index).into_iter().map(move |(function_id, level)| StoredCell {
                    column_id: format!("role-{index}").into(),
                    function_id,
                    value: Cell { level, note: String::new(), version: 1 },
                })
            })
            .collect();
        let map = RoleMap {
            summary: RoleMapSummary {
                id: "sample".into(),
                details: RoleMapDetails::parse(sample.organisation, "2026-11-21").unwrap(),
                frameworks: super::super::org_map::default_map_frameworks(),
                needed: sample.needed(),
                role_count: roles.len(),
                version: 1,
            },
            categories: default_categories(),
            roles,
            removed: Vec::new(),
            cells,
        };
        let analysis = map.analysis();
        let status = |id: &str| analysis.analysis.rows.iter().find(|r| r.function_id.as_str() == id).unwrap().status;
        assert_eq!(status("comm-10"), RowStatus::Gap);
        assert_eq!(status("comm-07"), RowStatus::PartialOnly);
        assert_eq!(status("supp-05"), RowStatus::Duplication, "led by two roles");
        assert_eq!(status("comm-06"), RowStatus::Single);
        assert_eq!(status("core-01"), RowStatus::Single, "the manager leads the core functions, the others support them");
        assert_eq!(analysis.not_needed.len(), 1, "the manager supports info-05, which is not on the menu");
        assert_eq!(analysis.per_role[0].leads, 9);

        let coordinator = map.role(&"role-0".into()).unwrap();
        let text = map.job_description(coordinator, &Default::default()).plain_text();
        assert!(text.starts_with("Job description: Care coordinator\nNorthshire Community Mental Health Team\nTeam: Community Mental Health Team\nGrade or band: Band 6\nHours: 37.5 hours a week\n"), "{text}");
        assert!(text.contains("  1. Build strong relationships with people"), "{text}");
        assert!(text.contains("\nCore functions for all social and health care workers\n  - Work in a person-centred way"), "{text}");
        let scope = map.learning_scope(&"role-0".into());
        assert_eq!(scope.len(), 13 + 7, "its 13 functions and the 7 core functions");
        // Printed so the whole text can be read with `cargo test -- --nocapture`.
        println!("{text}");
    }

    #[test]
    fn the_baseline_lacks_only_what_was_taken_on_since() {
        let sample = sample_area();
        let age_uk = &sample.organisations[5];
        assert_eq!(age_uk.cells().len() - age_uk.baseline_cells().len(), 2);
        assert!(!age_uk.baseline_cells().iter().any(|(id, _)| id.as_str() == "info-07"));
    }
}
