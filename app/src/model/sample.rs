//! A realistic sample area, so a newcomer sees a filled organisation map, with gaps, fragile
//! spots and duplication, in one click.

use super::ids::FunctionId;
use super::org_map::{ActionFields, OrganisationDetails, Provision};

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
            "Northshire Adult Social Care team", "statutory", "Northshire", "",
            "comm-01 comm-02 comm-03 comm-04 comm-05 supp-01 supp-02 supp-03 supp-04 supp-05 supp-06 supp-10 \
             info-01 info-02 info-04 info-05 bus-01 bus-02",
            "comm-07 comm-08 supp-09 supp-11 local-02", "",
        ),
        organisation(
            "Community Mental Health Team", "statutory", "Northshire East", "",
            "comm-01 comm-02 comm-03 comm-04 supp-01 supp-02 supp-05 supp-06 info-01 info-02 info-04 local-02",
            "comm-09 comm-10 supp-07 info-05", "",
        ),
        organisation(
            "Riverside GP Practice", "independent", "Riverside", "",
            "comm-01 comm-04 info-02 info-04 info-06 core-01 core-02 core-05",
            "comm-03 supp-05 supp-06 info-03", "",
        ),
        organisation(
            "Northshire General Hospital discharge team", "statutory", "Northshire", "",
            "comm-01 comm-03 supp-12 info-01 info-04",
            "comm-05 supp-04 info-06", "supp-12",
        ),
        organisation(
            "Northshire Carers' Centre", "voluntary", "Northshire", "",
            "comm-01 comm-02 comm-07 supp-07 supp-09 info-03 local-05 core-01 core-04",
            "supp-08 local-01 bus-04", "local-05",
        ),
        organisation(
            "Age UK Northshire", "voluntary", "Northshire", "https://www.ageuk.org.uk",
            "comm-01 comm-02 comm-07 supp-07 supp-08 supp-11 info-03 info-07 local-01 local-05 core-01 core-04 core-06",
            "comm-08 supp-09 bus-04 info-08", "info-07 supp-11",
        ),
        organisation(
            "Homeward Housing Support", "private", "Riverside", "",
            "supp-07 info-03 core-01",
            "comm-02 supp-11", "",
        ),
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
            action("local-03", "Appoint a local area coordinator as the starting point for integrated care", "Age UK Northshire, the integrated care board", "38000", "2027-03-31", "planned"),
            action("info-07", "Fund the local services directory for three years", "Age UK Northshire", "12000", "2026-12-31", "planned"),
        ],
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
        ids(self.fully)
            .chain(ids(core))
            .map(|id| (id, Provision::Fully))
            .chain(ids(self.partly).map(|id| (id, Provision::Partly)))
            .collect()
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
    fn the_baseline_lacks_only_what_was_taken_on_since() {
        let sample = sample_area();
        let age_uk = &sample.organisations[5];
        assert_eq!(age_uk.cells().len() - age_uk.baseline_cells().len(), 2);
        assert!(!age_uk.baseline_cells().iter().any(|(id, _)| id.as_str() == "info-07"));
    }
}
