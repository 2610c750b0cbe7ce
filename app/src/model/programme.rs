//! Learning needs and the learning programme (the guide's Appendix 3, rolled up): each person's
//! need per function, archived rather than lost when their role changes, and the roll-up
//! across a workspace's analyses into demand per function and per activity, cohorts of people
//! who need the same activity, and progress.

use super::choices::choices;
use super::framework::Category;
use super::ids::{ActivityId, AnalysisId, FunctionId};
use super::input::InputError;
use super::values::{CalendarDate, Pence, long_text, optional_text};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

choices! {
    /// How pressing a learning need is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
    pub enum Priority in "priority", "Choose none, low, medium or high." {
        #[default]
        None = "none", "None";
        Low = "low", "Low";
        Medium = "medium", "Medium";
        High = "high", "High";
    }
}

impl Priority {
    /// The priority a typed key chooses: its number, 0 to 3, or its initial (N, L, M, H) in
    /// either case; `None` for any other key.
    pub fn from_key(key: &str) -> Option<Priority> {
        match key.to_ascii_lowercase().as_str() {
            "0" | "n" => Some(Priority::None),
            "1" | "l" => Some(Priority::Low),
            "2" | "m" => Some(Priority::Medium),
            "3" | "h" => Some(Priority::High),
            _ => None,
        }
    }
}

choices! {
    /// Where meeting a need stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
    pub enum NeedStatus in "status", "Choose not started, planned, in progress or done." {
        #[default]
        NotStarted = "not-started", "Not started";
        Planned = "planned", "Planned";
        InProgress = "in-progress", "In progress";
        Done = "done", "Done";
    }
}

impl NeedStatus {}

/// The activity that meets a need: one from the workspace's catalogue, or described in words.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Activity {
    Catalogue(ActivityId),
    Described(String),
}

/// One function's learning need for one analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub function_id: FunctionId,
    pub priority: Priority,
    /// The need in words.
    pub need: String,
    pub activity: Option<Activity>,
    pub comment: String,
    pub target: Option<CalendarDate>,
    pub status: NeedStatus,
    /// Set when the function left the analysis's scope: kept and shown, never counted.
    pub archived: bool,
}

impl Need {
    /// A function's need before anything is recorded: no priority, not started.
    pub fn blank(function_id: FunctionId) -> Self {
        Need {
            function_id,
            priority: Priority::None,
            need: String::new(),
            activity: None,
            comment: String::new(),
            target: None,
            status: NeedStatus::NotStarted,
            archived: false,
        }
    }

    /// Parses a need as its form sends it. `activity` is a catalogue activity's id (one of
    /// `catalogue`) or blank; `described` is an activity in words, used when no id is chosen.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        function_id: FunctionId,
        priority: &str,
        need: &str,
        activity: &str,
        described: &str,
        comment: &str,
        target: &str,
        status: &str,
        catalogue: &[ActivityId],
    ) -> Result<Self, InputError> {
        let activity = match (activity.trim(), described.trim()) {
            ("", "") => None,
            ("", words) => Some(Activity::Described(optional_text("described", "the activity", words, 200)?)),
            (id, _) if catalogue.iter().any(|known| known.as_str() == id) => Some(Activity::Catalogue(id.into())),
            _ => return Err(InputError::new("activity", "Choose an activity from the catalogue, or describe one.")),
        };
        Ok(Need {
            function_id,
            priority: Priority::parse(priority)?,
            need: long_text("need", "the learning need", need, 1_000)?,
            activity,
            comment: long_text("comment", "the comment", comment, 1_000)?,
            target: if target.trim().is_empty() { None } else { Some(CalendarDate::parse("target", target.trim())?) },
            status: NeedStatus::parse(status)?,
            archived: false,
        })
    }

    /// The activity as the form's two fields, the inverse of what `parse` reads: a catalogue
    /// activity's id, and an activity in words.
    pub fn activity_fields(&self) -> (String, String) {
        match &self.activity {
            Some(Activity::Catalogue(id)) => (id.to_string(), String::new()),
            Some(Activity::Described(text)) => (String::new(), text.clone()),
            None => (String::new(), String::new()),
        }
    }

    /// A need that counts: not archived, and with some priority.
    fn is_open_demand(&self) -> bool {
        !self.archived && self.priority != Priority::None
    }
}

/// A need as stored, with the version an edit must present: 0 while nothing is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredNeed {
    pub need: Need,
    pub version: i64,
}

/// Moves needs to a new scope, as when a person's role changes: needs for functions outside it
/// are archived (kept, not counted), and archived ones inside it come back. Answers how many
/// were archived.
pub fn rescope(needs: &mut [Need], scope: &[FunctionId]) -> usize {
    let mut archived = 0;
    for need in needs.iter_mut() {
        let inside = scope.contains(&need.function_id);
        if !inside && !need.archived {
            archived += 1;
        }
        need.archived = !inside;
    }
    archived
}

/// A catalogue activity, as far as the programme needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub id: ActivityId,
    pub title: String,
    /// Per person.
    pub cost: Pence,
}

/// One analysis as the programme sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    /// The analysis's id.
    pub id: AnalysisId,
    /// The person, role, team or organisation named by the analysis.
    pub name: String,
    pub team: String,
    pub role: String,
    pub needs: Vec<Need>,
}

/// Which needs a programme counts; `None` counts all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeFilter {
    pub team: Option<String>,
    pub role: Option<String>,
    pub priority: Option<Priority>,
    pub status: Option<NeedStatus>,
}

impl ProgrammeFilter {
    fn admits_learner(&self, learner: &Learner) -> bool {
        self.team.as_ref().is_none_or(|team| &learner.team == team) && self.role.as_ref().is_none_or(|role| &learner.role == role)
    }

    fn admits_need(&self, need: &Need) -> bool {
        self.priority.is_none_or(|priority| need.priority == priority) && self.status.is_none_or(|status| need.status == status)
    }
}

/// How many needs there are at each priority (low, medium, high), how many are done, and who
/// has them (as indices into the programme's learners).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demand {
    pub low: usize,
    pub medium: usize,
    pub high: usize,
    pub done: usize,
    pub people: Vec<usize>,
    pub earliest_target: Option<CalendarDate>,
}

impl Demand {
    pub fn total(&self) -> usize {
        self.low + self.medium + self.high
    }

    fn add(&mut self, learner: usize, need: &Need) {
        match need.priority {
            Priority::Low => self.low += 1,
            Priority::Medium => self.medium += 1,
            Priority::High => self.high += 1,
            Priority::None => return,
        }
        if need.status == NeedStatus::Done {
            self.done += 1;
        }
        if self.people.last() != Some(&learner) {
            self.people.push(learner);
        }
        if let Some(target) = need.target {
            self.earliest_target = Some(self.earliest_target.map_or(target, |earliest| earliest.min(target)));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionDemand {
    pub function_id: FunctionId,
    pub demand: Demand,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDemand {
    pub activity: Activity,
    /// The catalogue title, or the words given.
    pub title: String,
    pub demand: Demand,
    /// The catalogue cost for each person who needs it; nothing for described activities.
    pub total_cost: Pence,
}

/// People with an open need for the same activity, who could learn together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    pub title: String,
    pub people: Vec<usize>,
}

/// Done of total, for a person, a team or a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub name: String,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// Every learner's name, in the order given; demand refers to these by index, and
    /// `per_person` has one entry for each, in the same order.
    pub learners: Vec<String>,
    /// Functions with any need, in framework order.
    pub functions: Vec<FunctionDemand>,
    /// Activities with any need, most needed first.
    pub activities: Vec<ActivityDemand>,
    pub cohorts: Vec<Cohort>,
    pub per_person: Vec<Progress>,
    pub per_team: Vec<Progress>,
    /// Needs per category, for the chart.
    pub per_category: Vec<Progress>,
    pub total_cost: Pence,
}

/// Rolls up the needs of `learners` that `filter` admits. Archived needs and needs of no
/// priority are not counted.
pub fn roll_up(learners: &[Learner], catalogue: &[CatalogueEntry], categories: &[Category], filter: &ProgrammeFilter) -> Programme {
    let order: HashMap<&FunctionId, usize> = categories.iter().flat_map(|c| &c.functions).enumerate().map(|(index, f)| (&f.id, index)).collect();
    let category_of: Vec<usize> = categories.iter().enumerate().flat_map(|(index, c)| std::iter::repeat_n(index, c.functions.len())).collect();
    let costs: HashMap<&str, (&str, Pence)> = catalogue.iter().map(|a| (a.id.as_str(), (a.title.as_str(), a.cost))).collect();
    let mut functions: Vec<Demand> = vec![Demand::default(); order.len()];
    let mut activities: HashMap<&Activity, Demand> = HashMap::new();
    // Who still has to do each activity: the cohorts.
    let mut waiting: HashMap<&Activity, Vec<usize>> = HashMap::new();
    let mut per_category: Vec<(usize, usize)> = vec![(0, 0); categories.len()];
    let mut per_person = Vec::with_capacity(learners.len());
    let mut per_team: Vec<Progress> = Vec::new();
    let mut team_index: HashMap<&str, usize> = HashMap::new();
    for (index, learner) in learners.iter().enumerate() {
        let (mut done, mut total) = (0, 0);
        let admitted = filter.admits_learner(learner);
        for need in learner.needs.iter().filter(|need| admitted && need.is_open_demand() && filter.admits_need(need)) {
            let Some(&position) = order.get(&need.function_id) else { continue };
            functions[position].add(index, need);
            if let Some(activity) = &need.activity {
                activities.entry(activity).or_default().add(index, need);
                let people = waiting.entry(activity).or_default();
                if need.status != NeedStatus::Done && people.last() != Some(&index) {
                    people.push(index);
                }
            }
            let is_done = usize::from(need.status == NeedStatus::Done);
            let category = &mut per_category[category_of[position]];
            *category = (category.0 + is_done, category.1 + 1);
            done += is_done;
            total += 1;
        }
        per_person.push(Progress { name: learner.name.clone(), done, total });
        let team = *team_index.entry(learner.team.as_str()).or_insert_with(|| {
            per_team.push(Progress { name: learner.team.clone(), done: 0, total: 0 });
            per_team.len() - 1
        });
        per_team[team].done += done;
        per_team[team].total += total;
    }
    let functions: Vec<FunctionDemand> = categories
        .iter()
        .flat_map(|c| &c.functions)
        .zip(functions)
        .filter(|(_, demand)| demand.total() > 0)
        .map(|(function, demand)| FunctionDemand { function_id: function.id.clone(), demand })
        .collect();
    let mut activities: Vec<ActivityDemand> = activities
        .into_iter()
        .map(|(activity, demand)| {
            let (title, cost) = match activity {
                Activity::Catalogue(id) => costs.get(id.as_str()).map_or((id.as_str(), Pence(0)), |(t, c)| (*t, *c)),
                Activity::Described(text) => (text.as_str(), Pence(0)),
            };
            let total_cost = Pence(cost.0 * demand.people.len() as i64);
            ActivityDemand { activity: activity.clone(), title: title.to_owned(), demand, total_cost }
        })
        .collect();
    activities.sort_by(|a, b| b.demand.total().cmp(&a.demand.total()).then_with(|| a.title.cmp(&b.title)));
    let cohorts = activities
        .iter()
        .filter_map(|activity| {
            let people = waiting.remove(&activity.activity).filter(|people| people.len() >= 2)?;
            Some(Cohort { title: activity.title.clone(), people })
        })
        .collect();
    let total_cost = Pence::sum(activities.iter().map(|a| &a.total_cost));
    Programme {
        learners: learners.iter().map(|l| l.name.clone()).collect(),
        functions,
        activities,
        cohorts,
        per_person,
        per_team,
        per_category: categories.iter().zip(per_category).map(|(category, (done, total))| Progress { name: category.name.clone(), done, total }).collect(),
        total_cost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CareFunction;

    #[test]
    fn each_priority_has_a_number_and_an_initial() {
        for (keys, priority) in [(["0", "n"], Priority::None), (["1", "L"], Priority::Low), (["2", "m"], Priority::Medium), (["3", "H"], Priority::High)] {
            assert_eq!(keys.map(Priority::from_key), [Some(priority); 2]);
        }
        assert_eq!(Priority::from_key("4"), None);
        assert_eq!(Priority::from_key("Home"), None);
    }

    fn categories() -> Vec<Category> {
        let function = |id: &str| CareFunction { id: id.parse().unwrap(), label: id.into(), statement: format!("{id}.") };
        vec![
            Category { id: "a".parse().unwrap(), name: "A".into(), functions: vec![function("a-1"), function("a-2")] },
            Category { id: "core".parse().unwrap(), name: "Core".into(), functions: vec![function("core-01")] },
        ]
    }

    fn need(function: &str, priority: Priority, activity: Option<Activity>, status: NeedStatus, target: &str) -> Need {
        Need {
            function_id: function.parse().unwrap(),
            priority,
            need: String::new(),
            activity,
            comment: String::new(),
            target: (!target.is_empty()).then(|| CalendarDate::parse("target", target).unwrap()),
            status,
            archived: false,
        }
    }

    fn learner(name: &str, team: &str, needs: Vec<Need>) -> Learner {
        Learner { id: name.to_lowercase().into(), name: name.into(), team: team.into(), role: "Care coordinator".into(), needs }
    }

    fn course() -> Option<Activity> {
        Some(Activity::Catalogue("cpa".into()))
    }

    fn sample() -> Vec<Learner> {
        use NeedStatus::*;
        use Priority::*;
        vec![
            learner(
                "Ann",
                "North",
                vec![
                    need("a-1", High, course(), Planned, "2027-03-01"),
                    need("a-2", Low, Some(Activity::Described("Shadow a duty worker".into())), Done, ""),
                    need("core-01", None, Option::None, NotStarted, ""),
                ],
            ),
            learner("Bob", "North", vec![need("a-1", Medium, course(), NotStarted, "2027-01-15")]),
            learner("Cat", "South", vec![need("a-1", High, course(), Done, "2026-12-01"), need("core-01", Low, Option::None, InProgress, "")]),
        ]
    }

    #[test]
    fn demand_per_function_counts_priorities_people_and_the_earliest_date() {
        let catalogue = [CatalogueEntry { id: "cpa".into(), title: "CPA standards and update".into(), cost: Pence(12_000) }];
        let programme = roll_up(&sample(), &catalogue, &categories(), &ProgrammeFilter::default());
        let a1 = &programme.functions[0];
        assert_eq!(a1.function_id.as_str(), "a-1");
        assert_eq!((a1.demand.low, a1.demand.medium, a1.demand.high, a1.demand.done), (0, 1, 2, 1));
        assert_eq!(a1.demand.people, [0, 1, 2]);
        assert_eq!(a1.demand.earliest_target.unwrap().to_string(), "2026-12-01");
        let ids: Vec<&str> = programme.functions.iter().map(|f| f.function_id.as_str()).collect();
        assert_eq!(ids, ["a-1", "a-2", "core-01"], "framework order; a need of no priority is not demand");

        let course = &programme.activities[0];
        assert_eq!((course.title.as_str(), course.demand.total(), course.total_cost), ("CPA standards and update", 3, Pence(36_000)));
        assert_eq!(programme.total_cost, Pence(36_000), "described activities cost nothing known");
        assert_eq!(programme.cohorts, [Cohort { title: "CPA standards and update".into(), people: vec![0, 1] }], "Cat is done");

        let progress = |list: &[Progress]| list.iter().map(|p| (p.name.clone(), p.done, p.total)).collect::<Vec<_>>();
        assert_eq!(progress(&programme.per_person), [("Ann".into(), 1, 2), ("Bob".into(), 0, 1), ("Cat".into(), 1, 2)]);
        assert_eq!(progress(&programme.per_team), [("North".into(), 1, 3), ("South".into(), 1, 2)]);
        assert_eq!(progress(&programme.per_category), [("A".into(), 2, 4), ("Core".into(), 0, 1)]);
    }

    #[test]
    fn filters_narrow_every_figure() {
        let south = ProgrammeFilter { team: Some("South".into()), ..Default::default() };
        let programme = roll_up(&sample(), &[], &categories(), &south);
        assert_eq!(programme.functions.iter().map(|f| f.demand.total()).sum::<usize>(), 2);
        let high_open = ProgrammeFilter { priority: Some(Priority::High), status: Some(NeedStatus::Planned), ..Default::default() };
        let programme = roll_up(&sample(), &[], &categories(), &high_open);
        assert_eq!(programme.functions.len(), 1);
        assert_eq!(programme.functions[0].demand.people, [0]);
        assert!(programme.cohorts.is_empty());
        let nobody = ProgrammeFilter { role: Some("Team manager".into()), ..Default::default() };
        assert!(roll_up(&sample(), &[], &categories(), &nobody).functions.is_empty());
    }

    #[test]
    fn a_role_change_archives_needs_outside_the_new_scope_and_they_stop_counting() {
        let mut learners = sample();
        let archived = rescope(&mut learners[0].needs, &["a-2".parse().unwrap(), "core-01".parse().unwrap()]);
        assert_eq!(archived, 1);
        assert_eq!(learners[0].needs.len(), 3, "nothing is deleted");
        assert!(learners[0].needs[0].archived && !learners[0].needs[1].archived);
        let programme = roll_up(&learners, &[], &categories(), &ProgrammeFilter::default());
        assert_eq!(programme.functions[0].demand.people, [1, 2], "Ann's archived need is not counted");
        assert_eq!(programme.per_person[0].total, 1);
        // Back in scope, the need returns as it was.
        assert_eq!(rescope(&mut learners[0].needs, &["a-1".parse().unwrap(), "a-2".parse().unwrap(), "core-01".parse().unwrap()]), 0);
        assert!(!learners[0].needs[0].archived);
        assert_eq!(learners[0].needs[0].status, NeedStatus::Planned);
    }

    #[test]
    fn needs_parse_from_their_form() {
        let catalogue = [ActivityId::from("cpa")];
        let parse = |activity: &str, described: &str, target: &str, priority: &str| {
            Need::parse("a-1".parse().unwrap(), priority, "Confidence with CPA reviews", activity, described, "", target, "planned", &catalogue)
        };
        let need = parse("cpa", "ignored when an activity is chosen", "2027-03-31", "high").unwrap();
        assert_eq!((need.activity, need.priority, need.status), (course(), Priority::High, NeedStatus::Planned));
        assert_eq!(need.target.unwrap().to_string(), "2027-03-31");
        assert_eq!(parse("", " Shadow a duty worker ", "", "low").unwrap().activity, Some(Activity::Described("Shadow a duty worker".into())));
        assert_eq!(parse("", "", "", "none").unwrap().activity, None);
        assert_eq!(parse("elsewhere", "", "", "low").unwrap_err().field, "activity");
        assert_eq!(parse("", "", "31/03/2027", "low").unwrap_err().field, "target");
        assert_eq!(parse("", "", "", "urgent").unwrap_err().field, "priority");
    }

    #[test]
    fn a_needs_activity_goes_back_to_the_form_as_it_came() {
        let catalogue = [ActivityId::from("cpa")];
        for (activity, described) in [("cpa", ""), ("", "Shadow a duty worker"), ("", "")] {
            let need = Need::parse("a-1".parse().unwrap(), "low", "", activity, described, "", "", "planned", &catalogue).unwrap();
            assert_eq!(need.activity_fields(), (activity.to_owned(), described.to_owned()));
        }
    }

    #[test]
    fn nothing_to_roll_up_gives_an_empty_programme() {
        let programme = roll_up(&[], &[], &categories(), &ProgrammeFilter::default());
        assert!(programme.functions.is_empty() && programme.activities.is_empty() && programme.cohorts.is_empty());
        assert_eq!(programme.total_cost, Pence(0));
        assert_eq!(programme.per_category.iter().map(|c| c.total).sum::<usize>(), 0);
    }
}
