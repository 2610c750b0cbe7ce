//! The built-in frameworks, kept as data files beside this module and compiled into the
//! program, so a fresh database is filled without any file to hand.

use crate::model::Framework;
pub use crate::model::{COORDINATING_CARE, CORE_FUNCTIONS};

const SOURCES: [(&str, &str); 3] = [
    ("coordinating-care.toml", include_str!("coordinating-care.toml")),
    ("core-functions.toml", include_str!("core-functions.toml")),
    ("cpa-care-coordinator.toml", include_str!("cpa-care-coordinator.toml")),
];

/// A built-in framework file that does not parse: a defect in the shipped data.
#[derive(Debug, thiserror::Error)]
#[error("built-in framework {file}: {reason}")]
pub struct BuiltinError {
    file: &'static str,
    reason: String,
}

/// Parses every built-in framework, in display order.
pub fn builtin() -> Result<Vec<Framework>, BuiltinError> {
    SOURCES.iter().map(|&(file, text)| toml::from_str::<Framework>(text).map_err(|error| BuiltinError { file, reason: error.to_string() })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn counts(framework: &Framework) -> Vec<(&str, usize)> {
        framework.categories().iter().map(|category| (category.name.as_str(), category.functions.len())).collect()
    }

    fn find<'a>(frameworks: &'a [Framework], id: &str) -> &'a Framework {
        frameworks.iter().find(|f| f.id().as_str() == id).unwrap()
    }

    #[test]
    fn coordinating_care_has_the_guides_five_categories() {
        let frameworks = builtin().unwrap();
        let framework = find(&frameworks, COORDINATING_CARE);
        assert_eq!(
            counts(framework),
            [
                ("Communication", 10),
                ("Activities that support people", 12),
                ("Information management", 8),
                ("Business management activities", 4),
                ("Local knowledge exchange activities", 5),
            ]
        );
        assert_eq!(framework.function_count(), 39);
    }

    #[test]
    fn core_and_cpa_frameworks_are_complete() {
        let frameworks = builtin().unwrap();
        assert_eq!(find(&frameworks, CORE_FUNCTIONS).function_count(), 7);
        let cpa = find(&frameworks, "cpa-care-coordinator");
        assert_eq!(counts(cpa).iter().map(|(_, n)| n).collect::<Vec<_>>(), [&15, &7]);
        let ids: Vec<&str> = cpa.functions().map(|f| f.id.as_str()).collect();
        let expected: Vec<String> = (1..=22).map(|n| format!("cpa-1.{n}")).collect();
        assert_eq!(ids, expected);
    }

    /// Function ids are what saved matrices refer to: renaming one would orphan data.
    #[test]
    fn function_ids_are_stable() {
        let frameworks = builtin().unwrap();
        let ids = |id: &str| -> Vec<String> { find(&frameworks, id).functions().map(|f| f.id.to_string()).collect() };
        let numbered = |prefix: &str, n: usize| -> Vec<String> { (1..=n).map(|i| format!("{prefix}-{i:02}")).collect() };
        let expected: Vec<String> =
            [("comm", 10), ("supp", 12), ("info", 8), ("bus", 4), ("local", 5)].iter().flat_map(|&(prefix, n)| numbered(prefix, n)).collect();
        assert_eq!(ids(COORDINATING_CARE), expected);
        assert_eq!(ids(CORE_FUNCTIONS), numbered("core", 7));
    }

    #[test]
    fn ids_are_unique_across_all_frameworks_and_wording_is_present() {
        let frameworks = builtin().unwrap();
        let mut seen = HashSet::new();
        for function in frameworks.iter().flat_map(Framework::functions) {
            assert!(seen.insert(function.id.clone()), "{} appears twice", function.id);
            assert!(!function.label.trim().is_empty(), "{} has no label", function.id);
            assert!(function.statement.trim().ends_with('.'), "{} statement is not a sentence", function.id);
            assert!(function.label.len() <= function.statement.len() + 20, "{} label longer than statement", function.id);
        }
        assert_eq!(seen.len(), 39 + 7 + 22);
        let framework_ids: HashSet<_> = frameworks.iter().map(|f| f.id().clone()).collect();
        assert_eq!(framework_ids.len(), 3);
    }
}
