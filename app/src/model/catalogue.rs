//! A workspace's catalogue of learning activities: what they are, who provides them, how long
//! they take, what they cost and which functions they address. New workspaces start with
//! examples drawn from the guide's own training list (seeds/000), marked as examples.

use super::choices::choices;
use super::ids::{ActivityId, FunctionId};
use super::input::InputError;
use super::values::{Pence, optional_text, plain_text};
use serde::{Deserialize, Serialize};

choices! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ActivityKind in "kind", "Choose course, e-learning, shadowing, supervision, reading or other." {
        Course = "course", "Course";
        ELearning = "e-learning", "E-learning";
        Shadowing = "shadowing", "Shadowing";
        Supervision = "supervision", "Supervision";
        Reading = "reading", "Reading";
        Other = "other", "Other";
    }
}

impl ActivityKind {}

/// What describes a learning activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDetails {
    pub title: String,
    pub kind: ActivityKind,
    /// Empty when not known, as is the duration.
    pub provider: String,
    pub duration: String,
    /// Per person.
    pub cost: Pence,
    /// The functions it addresses, in the order given, each once.
    pub functions: Vec<FunctionId>,
}

impl ActivityDetails {
    /// Parses an activity; `functions` is space-separated ids, each one of `known`.
    pub fn parse(title: &str, kind: &str, provider: &str, duration: &str, cost: &str, functions: &str, known: &[FunctionId]) -> Result<Self, InputError> {
        let mut ids: Vec<FunctionId> = Vec::new();
        for word in functions.split_whitespace() {
            let id = known
                .iter()
                .find(|id| id.as_str() == word)
                .ok_or_else(|| InputError::new("functions", format!("“{word}” is not one of the workspace's functions.")))?;
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        if ids.is_empty() {
            return Err(InputError::new("functions", "Choose at least one function the activity addresses."));
        }
        Ok(ActivityDetails {
            title: plain_text("title", "the title", title, 160)?,
            kind: ActivityKind::parse(kind)?,
            provider: optional_text("provider", "the provider", provider, 120)?,
            duration: optional_text("duration", "the duration", duration, 60)?,
            cost: Pence::parse("cost", cost)?,
            functions: ids,
        })
    }
}

/// An activity in a workspace's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueActivity {
    pub id: ActivityId,
    pub details: ActivityDetails,
    /// One of the examples a new workspace starts with.
    pub example: bool,
    pub version: i64,
}

/// The examples a new workspace's catalogue starts with, as the fields a form would send:
/// title, kind, provider, duration, cost, functions. Titles are the guide's training list.
pub const EXAMPLES: [[&str; 6]; 6] = [
    ["CPA Standards and Update (CPA level 1)", "course", "Trust learning and development team", "1 day", "0", "comm-04 supp-06 info-04 info-05"],
    [
        "Care Co-ordinators Underpinning Knowledge (CPA level 2)",
        "course",
        "Trust learning and development team",
        "2 days",
        "0",
        "supp-01 supp-02 supp-05 supp-06 info-01 info-02",
    ],
    ["Safeguarding Level 3 training", "course", "Local safeguarding partnership", "1 day", "95", "core-05 core-06"],
    ["Bite size training: Care Co-ordination", "e-learning", "", "1 hour", "0", "comm-01 comm-06 info-02"],
    ["Effective Care Co-ordination for CPA", "course", "", "half a day", "120", "comm-01 comm-02 comm-03 supp-02 info-01"],
    ["Shadowing an experienced care co-ordinator", "shadowing", "", "2 sessions", "0", "comm-01 comm-02 supp-02 supp-05"],
];

/// The example activities, parsed against the workspace's functions; an example naming a
/// function the workspace lacks keeps the rest of its functions.
pub fn examples(known: &[FunctionId]) -> Vec<ActivityDetails> {
    EXAMPLES
        .iter()
        .filter_map(|[title, kind, provider, duration, cost, functions]| {
            let present: Vec<&str> = functions.split_whitespace().filter(|id| known.iter().any(|k| k.as_str() == *id)).collect();
            ActivityDetails::parse(title, kind, provider, duration, cost, &present.join(" "), known).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_functions() -> Vec<FunctionId> {
        let wanted = [crate::frameworks::COORDINATING_CARE, crate::frameworks::CORE_FUNCTIONS];
        crate::frameworks::builtin()
            .unwrap()
            .into_iter()
            .filter(|f| wanted.contains(&f.id().as_str()))
            .flat_map(|f| f.functions().map(|function| function.id.clone()).collect::<Vec<_>>())
            .collect()
    }

    #[test]
    fn every_example_is_valid_against_the_default_functions() {
        let examples = examples(&default_functions());
        assert_eq!(examples.len(), EXAMPLES.len());
        for (example, fields) in examples.iter().zip(EXAMPLES) {
            assert_eq!(example.functions.len(), fields[5].split_whitespace().count(), "{} keeps every function", example.title);
        }
        assert_eq!(examples[2].title, "Safeguarding Level 3 training");
        assert_eq!(examples[2].cost, Pence(9_500));
        assert_eq!(examples[3].kind, ActivityKind::ELearning);
    }

    #[test]
    fn examples_keep_the_functions_a_workspace_has() {
        let core_only: Vec<FunctionId> = default_functions().into_iter().filter(|id| id.as_str().starts_with("core-")).collect();
        let examples = examples(&core_only);
        assert_eq!(examples.len(), 1, "only safeguarding addresses core functions");
        assert_eq!(examples[0].functions.len(), 2);
    }

    #[test]
    fn activities_are_checked_field_by_field() {
        let known = default_functions();
        let parse =
            |title: &str, kind: &str, cost: &str, functions: &str| ActivityDetails::parse(title, kind, "", "", cost, functions, &known).map_err(|e| e.field);
        let ok = parse("Motivational interviewing", "course", "£1,250", "comm-10 comm-10 supp-07").unwrap();
        assert_eq!((ok.cost, ok.functions.len()), (Pence(125_000), 2), "each function once");
        assert_eq!(parse("", "course", "0", "comm-10").unwrap_err(), "title");
        assert_eq!(parse("X", "webinar", "0", "comm-10").unwrap_err(), "kind");
        assert_eq!(parse("X", "course", "ten pounds", "comm-10").unwrap_err(), "cost");
        assert_eq!(parse("X", "course", "0", "").unwrap_err(), "functions");
        assert_eq!(parse("X", "course", "0", "nope-1").unwrap_err(), "functions");
    }
}
