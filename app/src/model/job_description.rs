//! A job description composed from a role's functions: purpose, key responsibilities (what the
//! role leads, then what it supports, as full statements by category), the core functions, a
//! person specification, interview questions and a short advert. Edits people make to the
//! generated text are kept and survive regeneration where the function is unchanged.

use super::framework::{CareFunction, Category};
use super::ids::FunctionId;
use super::role_map::{Involvement, RoleDetails};
use serde::{Deserialize, Serialize};

/// Responsibilities under one category heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub category: String,
    pub statements: Vec<String>,
}

/// The questions for one function the role leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionQuestions {
    pub function_id: FunctionId,
    pub label: String,
    /// The statement the questions were written for: an edit is kept only while it matches.
    pub statement: String,
    pub questions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDescription {
    pub organisation: String,
    pub role: RoleDetails,
    pub purpose: String,
    pub leads: Vec<Section>,
    pub supports: Vec<Section>,
    pub core: Vec<String>,
    pub person_specification: Vec<String>,
    pub interview_questions: Vec<FunctionQuestions>,
    pub advert: String,
}

/// What people changed in a generated job description; `None` keeps the generated text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDescriptionEdits {
    pub purpose: Option<String>,
    pub person_specification: Option<Vec<String>>,
    pub interview_questions: Vec<FunctionQuestions>,
    pub advert: Option<String>,
}

/// The qualities people who use services value in a care co-ordinator.
pub const QUALITIES: [&str; 5] = [
    "Good communication skills: keeps everyone involved in a person's care up to date, clearly and in good time.",
    "Organisation and time-keeping: makes sure people have regular, timely, well-scheduled appointments.",
    "Active listening: listens to people's needs and experiences, and uses what they hear in decisions about their care.",
    "Friendly and approachable: builds a comfortable, professional relationship in which people can say what they really need.",
    "Accessible: agrees with people how to make contact between appointments, and responds within an agreed time.",
];

/// What a role's job description is made from.
pub struct RoleFunctions<'a> {
    pub organisation: &'a str,
    pub role: &'a RoleDetails,
    /// The functions the service needs, by category.
    pub needed: &'a [Category],
    /// The core functions for all workers.
    pub core: &'a [CareFunction],
    /// The role's involvement in each needed function.
    pub involvement: &'a dyn Fn(&FunctionId) -> Involvement,
}

/// Composes the job description, keeping `edits` where they still apply.
pub fn compose(source: &RoleFunctions<'_>, edits: &JobDescriptionEdits) -> JobDescription {
    let sections = |wanted: Involvement| -> Vec<Section> {
        source
            .needed
            .iter()
            .filter_map(|category| {
                let statements: Vec<String> = category
                    .functions
                    .iter()
                    .filter(|f| (source.involvement)(&f.id) == wanted && !source.core.iter().any(|c| c.id == f.id))
                    .map(|f| f.statement.clone())
                    .collect();
                (!statements.is_empty()).then(|| Section { category: category.name.clone(), statements })
            })
            .collect()
    };
    let (leads, supports) = (sections(Involvement::Leads), sections(Involvement::Supports));
    let led: Vec<&CareFunction> = source
        .needed
        .iter()
        .flat_map(|c| &c.functions)
        .filter(|f| (source.involvement)(&f.id) == Involvement::Leads && !source.core.iter().any(|c| c.id == f.id))
        .collect();
    let interview_questions = led
        .iter()
        .map(|function| {
            edits
                .interview_questions
                .iter()
                .find(|edited| edited.function_id == function.id && edited.statement == function.statement)
                .cloned()
                .unwrap_or_else(|| FunctionQuestions {
                    function_id: function.id.clone(),
                    label: function.label.clone(),
                    statement: function.statement.clone(),
                    questions: questions_for(function),
                })
        })
        .collect();
    let count = |sections: &[Section]| sections.iter().map(|s| s.statements.len()).sum::<usize>();
    let title = &source.role.title;
    let purpose = edits.purpose.clone().unwrap_or_else(|| {
        format!(
            "The {title} coordinates care and support for the people {organisation} serves, so that they experience it as \
             one joined-up service. The role leads {} coordinating-care functions and supports {} more, working with \
             the people who use services, their families and carers, and other organisations.",
            count(&leads),
            count(&supports),
            organisation = source.organisation,
        )
    });
    let advert = edits.advert.clone().unwrap_or_else(|| advert(source, &led));
    JobDescription {
        organisation: source.organisation.to_owned(),
        role: source.role.clone(),
        purpose,
        leads,
        supports,
        core: source.core.iter().map(|f| f.statement.clone()).collect(),
        person_specification: edits
            .person_specification
            .clone()
            .unwrap_or_else(|| QUALITIES.iter().map(|q| q.to_string()).collect()),
        interview_questions,
        advert,
    }
}

/// Two questions drawn from a function's statement: one about experience, one about approach.
pub fn questions_for(function: &CareFunction) -> Vec<String> {
    let action = as_clause(&function.statement);
    vec![
        format!("Tell us about a time you had to {action}. What did you do, and what difference did it make to the person?"),
        format!("In this role, how would you {action}? How would you know it had gone well?"),
    ]
}

/// A statement as the middle of a sentence: first letter lower-cased (unless it starts an
/// abbreviation such as "CPA") and the full stop dropped.
fn as_clause(statement: &str) -> String {
    let trimmed = statement.trim().trim_end_matches('.');
    let mut chars = trimmed.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(trimmed[first.len_utf8()..].chars()).collect()
        }
        _ => trimmed.to_owned(),
    }
}

fn advert(source: &RoleFunctions<'_>, led: &[&CareFunction]) -> String {
    let role = source.role;
    let extras: Vec<&str> = [role.team.as_str(), role.grade.as_str(), role.hours.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    let extras = if extras.is_empty() { String::new() } else { format!(" ({})", extras.join(", ")) };
    let mut lines = vec![format!("{} is looking for a {}{extras}.", source.organisation, role.title)];
    if !led.is_empty() {
        let named: Vec<String> = led.iter().take(3).map(|f| as_clause(&f.label)).collect();
        let more = if led.len() > 3 { format!(", among {} functions you will lead", led.len()) } else { String::new() };
        lines.push(format!("You will {}{more}.", join_words(&named)));
    }
    lines.push(
        "People who use our services tell us what matters: good communication, good time-keeping, listening well, \
         being friendly and approachable, and being easy to reach."
            .into(),
    );
    lines.push("The full job description and person specification say more.".into());
    lines.join(" ")
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl JobDescription {
    /// The job description as plain text, headed and numbered as in the document.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let role = &self.role;
        out.push_str(&format!("Job description: {}\n{}\n", role.title, self.organisation));
        for (name, value) in [("Team", &role.team), ("Grade or band", &role.grade), ("Hours", &role.hours)] {
            if !value.is_empty() {
                out.push_str(&format!("{name}: {value}\n"));
            }
        }
        out.push_str(&format!("\nPurpose of the role\n{}\n", self.purpose));
        out.push_str("\nKey responsibilities\n");
        let mut number = 0;
        for (heading, sections) in [("The role leads on", &self.leads), ("The role supports", &self.supports)] {
            if sections.is_empty() {
                continue;
            }
            out.push_str(&format!("{heading}:\n"));
            for section in sections {
                out.push_str(&format!("  {}\n", section.category));
                for statement in &section.statements {
                    number += 1;
                    out.push_str(&format!("  {number}. {statement}\n"));
                }
            }
        }
        out.push_str("\nCore functions for all social and health care workers\n");
        for statement in &self.core {
            out.push_str(&format!("  - {statement}\n"));
        }
        out.push_str("\nPerson specification\n");
        for quality in &self.person_specification {
            out.push_str(&format!("  - {quality}\n"));
        }
        out.push_str("\nInterview questions\n");
        for function in &self.interview_questions {
            out.push_str(&format!("  {}\n", function.label));
            for question in &function.questions {
                out.push_str(&format!("  - {question}\n"));
            }
        }
        out.push_str(&format!("\nJob advert\n{}\n", self.advert));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn function(id: &str, label: &str, statement: &str) -> CareFunction {
        CareFunction { id: id.parse().unwrap(), label: label.into(), statement: statement.into() }
    }

    fn needed() -> Vec<Category> {
        vec![
            Category {
                id: "communication".parse().unwrap(),
                name: "Communication".into(),
                functions: vec![
                    function("comm-01", "Build strong relationships", "Build strong relationships with people who access care and support."),
                    function("comm-06", "Follow up referrals", "Follow up to make sure referrals have happened."),
                ],
            },
            Category {
                id: "information".parse().unwrap(),
                name: "Information management".into(),
                functions: vec![function("info-04", "Recording", "Complete accurate, timely and objective recording.")],
            },
        ]
    }

    fn core() -> Vec<CareFunction> {
        vec![function("core-01", "Person-centred support", "Work in a person-centred way.")]
    }

    fn compose_with(levels: &[(&str, Involvement)], edits: &JobDescriptionEdits) -> JobDescription {
        let levels: HashMap<String, Involvement> = levels.iter().map(|(id, l)| (id.to_string(), *l)).collect();
        let involvement = |id: &FunctionId| levels.get(id.as_str()).copied().unwrap_or_default();
        let role = RoleDetails::parse("Care coordinator", "Community mental health team", "Band 6", "37.5 hours a week").unwrap();
        let (needed, core) = (needed(), core());
        compose(&RoleFunctions { organisation: "Northshire NHS Trust", role: &role, needed: &needed, core: &core, involvement: &involvement }, edits)
    }

    #[test]
    fn responsibilities_are_led_then_supported_functions_as_statements_by_category() {
        use Involvement::*;
        let jd = compose_with(&[("comm-06", Leads), ("info-04", Leads), ("comm-01", Supports)], &JobDescriptionEdits::default());
        assert_eq!(jd.leads, [
            Section { category: "Communication".into(), statements: vec!["Follow up to make sure referrals have happened.".into()] },
            Section { category: "Information management".into(), statements: vec!["Complete accurate, timely and objective recording.".into()] },
        ]);
        assert_eq!(jd.supports, [Section {
            category: "Communication".into(),
            statements: vec!["Build strong relationships with people who access care and support.".into()],
        }]);
        assert_eq!(jd.core, ["Work in a person-centred way."]);
        assert_eq!(jd.person_specification.len(), 5);
        assert!(jd.purpose.contains("leads 2 coordinating-care functions and supports 1 more"));
        assert!(jd.advert.starts_with("Northshire NHS Trust is looking for a Care coordinator (Community mental health team, Band 6, 37.5 hours a week)."));
        assert!(jd.advert.contains("You will follow up referrals and recording."), "{}", jd.advert);
    }

    #[test]
    fn questions_come_from_each_led_function_statement() {
        let jd = compose_with(&[("comm-01", Involvement::Leads)], &JobDescriptionEdits::default());
        assert_eq!(jd.interview_questions.len(), 1);
        assert_eq!(jd.interview_questions[0].questions, [
            "Tell us about a time you had to build strong relationships with people who access care and support. What did you do, and what difference did it make to the person?",
            "In this role, how would you build strong relationships with people who access care and support? How would you know it had gone well?",
        ]);
        assert_eq!(as_clause("CPA reviews are held."), "CPA reviews are held");
    }

    #[test]
    fn edits_survive_regeneration_while_their_function_is_unchanged() {
        use Involvement::Leads;
        let first = compose_with(&[("comm-01", Leads), ("comm-06", Leads)], &JobDescriptionEdits::default());
        let mut edited = first.interview_questions.clone();
        edited[0].questions = vec!["What does a strong relationship look like to you?".into()];
        edited[1].statement = "An older wording of the statement.".into();
        edited[1].questions = vec!["Stale question".into()];
        let edits = JobDescriptionEdits {
            purpose: Some("To be the person's single point of contact.".into()),
            person_specification: Some(vec!["Patience".into()]),
            interview_questions: edited,
            advert: None,
        };
        // The role now also leads recording; comm-06's wording changed since its edit.
        let again = compose_with(&[("comm-01", Leads), ("comm-06", Leads), ("info-04", Leads)], &edits);
        assert_eq!(again.purpose, "To be the person's single point of contact.");
        assert_eq!(again.person_specification, ["Patience"]);
        assert_eq!(again.interview_questions[0].questions, ["What does a strong relationship look like to you?"]);
        assert_eq!(again.interview_questions[1].questions, questions_for(&needed()[0].functions[1]), "regenerated");
        assert_eq!(again.interview_questions.len(), 3);
        // A function the role no longer leads loses its questions.
        let fewer = compose_with(&[("comm-06", Leads)], &edits);
        assert_eq!(fewer.interview_questions.len(), 1);
    }

    #[test]
    fn the_plain_text_numbers_responsibilities_across_sections() {
        use Involvement::*;
        let text = compose_with(&[("comm-06", Leads), ("comm-01", Supports)], &JobDescriptionEdits::default()).plain_text();
        assert!(text.starts_with("Job description: Care coordinator\nNorthshire NHS Trust\nTeam: Community mental health team\n"));
        assert!(text.contains("The role leads on:\n  Communication\n  1. Follow up to make sure referrals have happened.\n"));
        assert!(text.contains("The role supports:\n  Communication\n  2. Build strong relationships"));
        assert!(text.contains("\nPerson specification\n  - Good communication skills"));
        assert!(text.contains("\nJob advert\nNorthshire NHS Trust is looking for"));
    }
}
