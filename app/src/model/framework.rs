//! Function frameworks: a framework holds categories, a category holds functions.

use super::ids::{CategoryId, FrameworkId, FunctionId};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The built-in framework of the Skills for Care guide's coordinating-care functions.
pub const COORDINATING_CARE: &str = "coordinating-care";
/// The built-in framework of the core functions for all social and health care workers.
pub const CORE_FUNCTIONS: &str = "core-functions";

/// One function of coordinating care, e.g. "Build strong relationships with people who access
/// care and support". Its id links the organisation, role and learning matrices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareFunction {
    pub id: FunctionId,
    /// The short wording used as a matrix row label.
    pub label: String,
    /// The fuller statement used in job descriptions and learning plans.
    pub statement: String,
}

impl CareFunction {
    /// Whether every word of `query` appears in the function's id, label or statement, ignoring
    /// case. An empty query matches everything.
    pub fn matches(&self, query: &str) -> bool {
        let haystack = format!("{} {} {}", self.id, self.label, self.statement).to_lowercase();
        query.to_lowercase().split_whitespace().all(|word| haystack.contains(word))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub functions: Vec<CareFunction>,
}

/// A checked framework: non-empty names and wording, unique category and function ids.
/// Deserialising runs the same checks, so a `Framework` value is always a valid one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedFramework")]
pub struct Framework {
    id: FrameworkId,
    name: String,
    version: u32,
    description: String,
    categories: Vec<Category>,
}

#[derive(Deserialize)]
struct UncheckedFramework {
    id: FrameworkId,
    name: String,
    version: u32,
    description: String,
    categories: Vec<Category>,
}

/// Why a framework definition cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameworkError {
    #[error("framework {framework}: the name is empty")]
    EmptyName { framework: String },
    #[error("framework {framework}: it has no categories")]
    NoCategories { framework: String },
    #[error("framework {framework}: the version must be 1 or more")]
    ZeroVersion { framework: String },
    #[error("framework {framework}, category {category}: the name is empty")]
    EmptyCategoryName { framework: String, category: String },
    #[error("framework {framework}, category {category}: it has no functions")]
    EmptyCategory { framework: String, category: String },
    #[error("framework {framework}: the category id {category} is used twice")]
    DuplicateCategory { framework: String, category: String },
    #[error("framework {framework}: the function id {function} is used twice")]
    DuplicateFunction { framework: String, function: String },
    #[error("framework {framework}, function {function}: the {field} is empty")]
    EmptyFunctionText { framework: String, function: String, field: &'static str },
}

impl TryFrom<UncheckedFramework> for Framework {
    type Error = FrameworkError;

    fn try_from(raw: UncheckedFramework) -> Result<Self, FrameworkError> {
        let framework = raw.id.to_string();
        if raw.name.trim().is_empty() {
            return Err(FrameworkError::EmptyName { framework });
        }
        if raw.version == 0 {
            return Err(FrameworkError::ZeroVersion { framework });
        }
        if raw.categories.is_empty() {
            return Err(FrameworkError::NoCategories { framework });
        }
        let mut category_ids = HashSet::new();
        let mut function_ids = HashSet::new();
        for category in &raw.categories {
            let category_name = category.id.to_string();
            if !category_ids.insert(&category.id) {
                return Err(FrameworkError::DuplicateCategory { framework, category: category_name });
            }
            if category.name.trim().is_empty() {
                return Err(FrameworkError::EmptyCategoryName { framework, category: category_name });
            }
            if category.functions.is_empty() {
                return Err(FrameworkError::EmptyCategory { framework, category: category_name });
            }
            for function in &category.functions {
                if !function_ids.insert(&function.id) {
                    let function = function.id.to_string();
                    return Err(FrameworkError::DuplicateFunction { framework, function });
                }
                for (field, text) in [("label", &function.label), ("statement", &function.statement)] {
                    if text.trim().is_empty() {
                        let function = function.id.to_string();
                        return Err(FrameworkError::EmptyFunctionText { framework, function, field });
                    }
                }
            }
        }
        Ok(Framework { id: raw.id, name: raw.name, version: raw.version, description: raw.description, categories: raw.categories })
    }
}

impl Framework {
    /// Checks the parts of a framework and puts them together.
    pub fn new(id: FrameworkId, name: String, version: u32, description: String, categories: Vec<Category>) -> Result<Self, FrameworkError> {
        UncheckedFramework { id, name, version, description, categories }.try_into()
    }

    pub fn id(&self) -> &FrameworkId {
        &self.id
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// Every function, in framework order.
    pub fn functions(&self) -> impl Iterator<Item = &CareFunction> {
        self.categories.iter().flat_map(|category| category.functions.iter())
    }

    pub fn function_count(&self) -> usize {
        self.functions().count()
    }

    /// The categories and, within each, the functions matching `query`; categories left
    /// empty by the filter are dropped, unless the category's own name matches, in which case
    /// all its functions are kept.
    pub fn filter(&self, query: &str) -> Vec<Category> {
        let query_lower = query.to_lowercase();
        self.categories
            .iter()
            .filter_map(|category| {
                let name = category.name.to_lowercase();
                let whole_category = !query_lower.trim().is_empty() && query_lower.split_whitespace().all(|word| name.contains(word));
                let functions: Vec<CareFunction> = category.functions.iter().filter(|function| whole_category || function.matches(query)).cloned().collect();
                (!functions.is_empty()).then(|| Category { functions, ..category.clone() })
            })
            .collect()
    }
}

/// What a list of frameworks shows about each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkSummary {
    pub id: FrameworkId,
    pub name: String,
    pub version: u32,
    pub description: String,
    pub category_count: usize,
    pub function_count: usize,
    /// Imported by a workspace, rather than built in.
    pub local: bool,
}

/// A function as lists name it, "comm-01 Build strong relationships…", or its id alone if
/// `categories` do not hold it.
pub fn function_label(categories: &[Category], id: &FunctionId) -> String {
    categories.iter().flat_map(|c| &c.functions).find(|f| &f.id == id).map_or_else(|| id.to_string(), |f| format!("{id} {}", f.label))
}

/// Parses a choice of functions, space-separated ids, against `categories`; answers them in
/// framework order. An unknown id is refused by name, and so is choosing none.
pub fn choose_functions(text: &str, categories: &[Category], field: &str, none_chosen: &str) -> Result<Vec<FunctionId>, super::InputError> {
    let chosen: Vec<&str> = text.split_whitespace().collect();
    let known = |id: &&str| categories.iter().flat_map(|c| &c.functions).any(|f| f.id.as_str() == *id);
    if let Some(unknown) = chosen.iter().find(|id| !known(id)) {
        return Err(super::InputError::new(field, format!("“{unknown}” is not one of these frameworks' functions.")));
    }
    let functions: Vec<FunctionId> = categories.iter().flat_map(|c| &c.functions).filter(|f| chosen.contains(&f.id.as_str())).map(|f| f.id.clone()).collect();
    if functions.is_empty() {
        return Err(super::InputError::new(field, none_chosen));
    }
    Ok(functions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(id: &str, label: &str) -> CareFunction {
        CareFunction { id: id.parse().unwrap(), label: label.into(), statement: format!("{label}, in full.") }
    }

    fn category(id: &str, name: &str, functions: Vec<CareFunction>) -> Category {
        Category { id: id.parse().unwrap(), name: name.into(), functions }
    }

    fn framework(categories: Vec<Category>) -> Result<Framework, FrameworkError> {
        Framework::new("test".parse().unwrap(), "Test".into(), 1, String::new(), categories)
    }

    fn sample() -> Framework {
        framework(vec![
            category("talk", "Communication", vec![function("talk-01", "Build strong relationships"), function("talk-02", "Follow up referrals")]),
            category("info", "Information management", vec![function("info-01", "Book appointments")]),
        ])
        .unwrap()
    }

    #[test]
    fn a_valid_framework_counts_its_functions() {
        let framework = sample();
        assert_eq!(framework.function_count(), 3);
        assert_eq!(framework.categories().len(), 2);
    }

    #[test]
    fn duplicate_function_ids_are_refused_across_categories() {
        let result = framework(vec![category("a", "A", vec![function("x-01", "One")]), category("b", "B", vec![function("x-01", "Two")])]);
        assert_eq!(result, Err(FrameworkError::DuplicateFunction { framework: "test".into(), function: "x-01".into() }));
    }

    #[test]
    fn empty_parts_are_refused() {
        assert!(matches!(framework(vec![]), Err(FrameworkError::NoCategories { .. })));
        assert!(matches!(framework(vec![category("a", "A", vec![])]), Err(FrameworkError::EmptyCategory { .. })));
        assert!(matches!(framework(vec![category("a", " ", vec![function("x", "X")])]), Err(FrameworkError::EmptyCategoryName { .. })));
        assert!(matches!(framework(vec![category("a", "A", vec![function("x", "  ")])]), Err(FrameworkError::EmptyFunctionText { field: "label", .. })));
        assert!(matches!(
            framework(vec![category("a", "A", vec![function("x", "X")]), category("a", "B", vec![function("y", "Y")])]),
            Err(FrameworkError::DuplicateCategory { .. })
        ));
    }

    #[test]
    fn deserialising_checks_the_framework() {
        let json = serde_json::to_string(&sample()).unwrap();
        assert_eq!(serde_json::from_str::<Framework>(&json).unwrap(), sample());
        let broken = json.replace("talk-02", "talk-01");
        let error = serde_json::from_str::<Framework>(&broken).unwrap_err().to_string();
        assert!(error.contains("talk-01 is used twice"), "{error}");
    }

    #[test]
    fn filter_keeps_matching_functions_and_drops_empty_categories() {
        let framework = sample();
        let found = framework.filter("REFERRALS");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].functions.len(), 1);
        assert_eq!(found[0].functions[0].id.as_str(), "talk-02");
        // Every word must match, in any order.
        assert_eq!(framework.filter("strong build").len(), 1);
        assert!(framework.filter("strong appointments").is_empty());
    }

    #[test]
    fn filter_by_category_name_keeps_the_whole_category() {
        let found = sample().filter("information");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].functions.len(), 1);
    }

    #[test]
    fn an_empty_filter_keeps_everything() {
        let framework = sample();
        assert_eq!(framework.filter("  "), framework.categories().to_vec());
    }
}
