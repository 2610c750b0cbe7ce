//! A job description composed from a role's functions: purpose, key responsibilities (what the
//! role leads, then what it supports, as full statements by category), the core functions, a
//! person specification, interview questions and a short advert. Edits people make to the
//! generated text are kept and survive regeneration where the function is unchanged.

use super::document::Block;
use super::framework::{CareFunction, Category};
use super::ids::FunctionId;
use super::input::InputError;
use super::matrix::cell_index;
use super::role_map::{Involvement, Role, RoleDetails, RoleMap, is_core};
use super::values::{long_text, plain_text};
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

/// A job description's editable text as a form sends it. Blank keeps the generated text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDescriptionText {
    pub purpose: String,
    /// One quality a line.
    pub person_specification: String,
    /// One question a line, each as "FUNCTION-ID: question".
    pub questions: String,
    pub advert: String,
}

impl JobDescriptionText {
    /// The text of a job description, as its form shows it.
    pub fn of(description: &JobDescription) -> Self {
        JobDescriptionText {
            purpose: description.purpose.clone(),
            person_specification: description.person_specification.join("\n"),
            questions: description
                .interview_questions
                .iter()
                .flat_map(|f| f.questions.iter().map(move |q| format!("{}: {q}", f.function_id)))
                .collect::<Vec<_>>()
                .join("\n"),
            advert: description.advert.clone(),
        }
    }
}

impl JobDescriptionEdits {
    /// The edits `text` makes to `generated` (composed with no edits): only what differs is
    /// kept, so text left as generated follows later changes to the role.
    pub fn from_text(generated: &JobDescription, text: &JobDescriptionText) -> Result<Self, InputError> {
        let changed = |new: String, old: &String| (!new.is_empty() && &new != old).then_some(new);
        let purpose = long_text("purpose", "the purpose", &text.purpose, 2_000)?;
        let advert = long_text("advert", "the advert", &text.advert, 2_000)?;
        let qualities = lines("person_specification", "each quality", &text.person_specification)?;
        let person_specification = (!qualities.is_empty() && qualities != generated.person_specification).then_some(qualities);
        let mut interview_questions: Vec<FunctionQuestions> = Vec::new();
        for line in lines("questions", "each question", &text.questions)? {
            let (id, question) = line.split_once(':').unwrap_or(("", &line));
            let Some(function) = generated.interview_questions.iter().find(|f| f.function_id.as_str() == id.trim()) else {
                return Err(InputError::new("questions", format!("“{line}” does not start with one of the led functions, as “comm-01: question”.")));
            };
            let question = plain_text("questions", "each question", question, 500)?;
            match interview_questions.iter_mut().find(|f| f.function_id == function.function_id) {
                Some(edited) => edited.questions.push(question),
                None => interview_questions.push(FunctionQuestions { questions: vec![question], ..function.clone() }),
            }
        }
        interview_questions.retain(|edited| !generated.interview_questions.contains(edited));
        Ok(JobDescriptionEdits {
            purpose: changed(purpose, &generated.purpose),
            person_specification,
            interview_questions,
            advert: changed(advert, &generated.advert),
        })
    }
}

/// The non-blank lines of `text`, each trimmed and at most 500 characters.
fn lines(field: &str, what: &str, text: &str) -> Result<Vec<String>, InputError> {
    text.lines().filter(|line| !line.trim().is_empty()).map(|line| plain_text(field, what, line, 500)).collect()
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
            edits.interview_questions.iter().find(|edited| edited.function_id == function.id && edited.statement == function.statement).cloned().unwrap_or_else(
                || FunctionQuestions {
                    function_id: function.id.clone(),
                    label: function.label.clone(),
                    statement: function.statement.clone(),
                    questions: questions_for(function),
                },
            )
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
        person_specification: edits.person_specification.clone().unwrap_or_else(|| QUALITIES.iter().map(|q| q.to_string()).collect()),
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
        (Some(first), Some(second)) if !second.is_uppercase() => first.to_lowercase().chain(trimmed[first.len_utf8()..].chars()).collect(),
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
    /// The job description as a document: headed, with responsibilities numbered throughout.
    pub fn document(&self) -> Vec<Block> {
        let role = &self.role;
        let mut blocks = vec![Block::Title(format!("Job description: {}", role.title)), Block::Paragraph(self.organisation.clone())];
        for (name, value) in [("Team", &role.team), ("Grade or band", &role.grade), ("Hours", &role.hours)] {
            if !value.is_empty() {
                blocks.push(Block::Paragraph(format!("{name}: {value}")));
            }
        }
        blocks.push(Block::Heading("Purpose of the role".into()));
        blocks.extend(paragraphs(&self.purpose));
        blocks.push(Block::Heading("Key responsibilities".into()));
        for (heading, sections) in [("The role leads on", &self.leads), ("The role supports", &self.supports)] {
            if sections.is_empty() {
                continue;
            }
            blocks.push(Block::Subheading(heading.into()));
            for section in sections {
                blocks.push(Block::Minor(section.category.clone()));
                blocks.extend(section.statements.iter().cloned().map(Block::Numbered));
            }
        }
        blocks.push(Block::Heading("Core functions for all social and health care workers".into()));
        blocks.extend(self.core.iter().cloned().map(Block::Bullet));
        blocks.push(Block::Heading("Person specification".into()));
        blocks.extend(self.person_specification.iter().cloned().map(Block::Bullet));
        blocks.push(Block::Heading("Interview questions".into()));
        for function in &self.interview_questions {
            blocks.push(Block::Minor(function.label.clone()));
            blocks.extend(function.questions.iter().cloned().map(Block::Bullet));
        }
        blocks.push(Block::Heading("Job advert".into()));
        blocks.extend(paragraphs(&self.advert));
        blocks
    }

    /// The job description as plain text, headed and numbered as in the document.
    pub fn plain_text(&self) -> String {
        Block::plain_text(&self.document())
    }
}

/// One paragraph a line of `text`.
fn paragraphs(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.lines().filter(|line| !line.trim().is_empty()).map(|line| Block::Paragraph(line.trim().to_owned()))
}

// Composed here, from the map, so that the map itself needs nothing of job descriptions.
impl RoleMap {
    /// A role's job description, keeping `edits` where they still apply.
    pub fn job_description(&self, role: &Role, edits: &JobDescriptionEdits) -> JobDescription {
        let menu = self.menu();
        let core: Vec<_> = menu.iter().filter(|c| is_core(c)).flat_map(|c| c.functions.iter().cloned()).collect();
        let index = cell_index(&self.cells);
        let involvement = |function: &FunctionId| index.get(&(function, &role.id)).map_or(Involvement::None, |cell| cell.level);
        let source =
            RoleFunctions { organisation: &self.summary.details.organisation, role: &role.details, needed: &menu, core: &core, involvement: &involvement };
        compose(&source, edits)
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
        assert_eq!(
            jd.leads,
            [
                Section { category: "Communication".into(), statements: vec!["Follow up to make sure referrals have happened.".into()] },
                Section { category: "Information management".into(), statements: vec!["Complete accurate, timely and objective recording.".into()] },
            ]
        );
        assert_eq!(
            jd.supports,
            [Section { category: "Communication".into(), statements: vec!["Build strong relationships with people who access care and support.".into()] }]
        );
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
        assert_eq!(
            jd.interview_questions[0].questions,
            [
                "Tell us about a time you had to build strong relationships with people who access care and support. What did you do, and what difference did it make to the person?",
                "In this role, how would you build strong relationships with people who access care and support? How would you know it had gone well?",
            ]
        );
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
    fn only_text_that_differs_from_the_generated_is_an_edit() {
        use Involvement::Leads;
        let generated = compose_with(&[("comm-01", Leads), ("comm-06", Leads)], &JobDescriptionEdits::default());
        let unchanged = JobDescriptionText::of(&generated);
        assert_eq!(JobDescriptionEdits::from_text(&generated, &unchanged).unwrap(), JobDescriptionEdits::default());

        let text = JobDescriptionText {
            purpose: "  To be the person's single point of contact.  ".into(),
            person_specification: "Patience\n\n  Good humour ".into(),
            questions: format!(
                "{}\ncomm-06: How do you check a referral arrived?\ncomm-06: Who do you tell?",
                unchanged.questions.lines().take(2).collect::<Vec<_>>().join("\n")
            ),
            advert: String::new(),
        };
        let edits = JobDescriptionEdits::from_text(&generated, &text).unwrap();
        assert_eq!(edits.purpose.as_deref(), Some("To be the person's single point of contact."));
        assert_eq!(edits.person_specification, Some(vec!["Patience".to_owned(), "Good humour".to_owned()]));
        assert_eq!(edits.advert, None, "blank keeps the generated advert");
        assert_eq!(edits.interview_questions.len(), 1, "comm-01's questions are as generated");
        assert_eq!(edits.interview_questions[0].function_id.as_str(), "comm-06");
        assert_eq!(edits.interview_questions[0].statement, "Follow up to make sure referrals have happened.");
        assert_eq!(edits.interview_questions[0].questions, ["How do you check a referral arrived?", "Who do you tell?"]);
        let again = compose_with(&[("comm-01", Leads), ("comm-06", Leads)], &edits);
        assert_eq!(JobDescriptionEdits::from_text(&generated, &JobDescriptionText::of(&again)).unwrap(), edits, "saving again changes nothing");

        let wrong = JobDescriptionText { questions: "info-04: Not a led function".into(), ..unchanged.clone() };
        assert_eq!(JobDescriptionEdits::from_text(&generated, &wrong).unwrap_err().field, "questions");
        let long = JobDescriptionText { purpose: "x".repeat(2_001), ..unchanged };
        assert_eq!(JobDescriptionEdits::from_text(&generated, &long).unwrap_err().field, "purpose");
    }

    #[test]
    fn the_plain_text_numbers_responsibilities_across_sections() {
        use Involvement::*;
        let text = compose_with(&[("comm-06", Leads), ("comm-01", Supports)], &JobDescriptionEdits::default()).plain_text();
        assert!(text.starts_with("Job description: Care coordinator\nNorthshire NHS Trust\nTeam: Community mental health team\n"));
        assert!(text.contains("\nKey responsibilities\nThe role leads on\n  Communication\n  1. Follow up to make sure referrals have happened.\n"));
        assert!(text.contains("The role supports\n  Communication\n  2. Build strong relationships"));
        assert!(text.contains("\nPerson specification\n  - Good communication skills"));
        assert!(text.contains("\nJob advert\nNorthshire NHS Trust is looking for"));
    }
}
