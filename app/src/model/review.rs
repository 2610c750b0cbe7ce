//! The guide's stage 4, review: a map compared with an earlier one (its baseline).

use super::framework::Category;
use super::ids::{CategoryId, FunctionId};
use super::matrix::{Analysis, Coverage, RowCounts, RowStatus};
use serde::{Deserialize, Serialize};

/// What happened to one function between the two maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    /// Fully provided by someone now; not before.
    Gained,
    /// Fully provided by someone before; not now.
    Lost,
    /// Provided either way, but by a different number, or its status changed.
    Changed,
    Unchanged,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Gained => "Gained",
            ChangeKind::Lost => "Lost",
            ChangeKind::Changed => "Changed",
            ChangeKind::Unchanged => "No change",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionChange {
    pub function_id: FunctionId,
    pub label: String,
    pub category: String,
    /// `None` when the function is not in that map's frameworks.
    pub before: Option<(RowStatus, RowCounts)>,
    pub after: Option<(RowStatus, RowCounts)>,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChange {
    pub category_id: CategoryId,
    pub name: String,
    pub before: Coverage,
    pub after: Coverage,
}

impl CategoryChange {
    /// The change in coverage, in percentage points.
    pub fn points(&self) -> i64 {
        i64::from(self.after.percent()) - i64::from(self.before.percent())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Every function of either map: the later map's order first, then any only in the baseline.
    pub functions: Vec<FunctionChange>,
    pub categories: Vec<CategoryChange>,
    pub overall: CategoryChange,
}

impl Review {
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.functions.iter().filter(|change| change.kind == kind).count()
    }
}

/// One side of a comparison: a map's functions and its analysis.
pub struct Side<'a> {
    pub categories: &'a [Category],
    pub analysis: &'a Analysis,
}

/// Compares `after` with its baseline `before`, function by function and category by category.
pub fn compare(before: Side<'_>, after: Side<'_>) -> Review {
    let status = |side: &Side<'_>, id: &FunctionId| side.analysis.row(id).map(|row| (row.status, row.counts));
    let mut functions = Vec::new();
    for side in [&after, &before] {
        for category in side.categories {
            for function in &category.functions {
                if functions.iter().any(|change: &FunctionChange| change.function_id == function.id) {
                    continue;
                }
                let (was, now) = (status(&before, &function.id), status(&after, &function.id));
                functions.push(FunctionChange {
                    function_id: function.id.clone(),
                    label: function.label.clone(),
                    category: category.name.clone(),
                    before: was,
                    after: now,
                    kind: kind_of(was, now),
                });
            }
        }
    }
    let coverage =
        |side: &Side<'_>, id: &CategoryId| side.analysis.categories.iter().find(|c| &c.category_id == id).map(|c| c.coverage.clone()).unwrap_or_default();
    let mut categories: Vec<CategoryChange> = Vec::new();
    for side in [&after, &before] {
        for category in &side.analysis.categories {
            if categories.iter().any(|c| c.category_id == category.category_id) {
                continue;
            }
            categories.push(CategoryChange {
                category_id: category.category_id.clone(),
                name: category.name.clone(),
                before: coverage(&before, &category.category_id),
                after: coverage(&after, &category.category_id),
            });
        }
    }
    let overall = CategoryChange {
        category_id: "overall".parse().expect("a valid id"),
        name: "All functions".into(),
        before: before.analysis.overall.clone(),
        after: after.analysis.overall.clone(),
    };
    Review { functions, categories, overall }
}

fn kind_of(before: Option<(RowStatus, RowCounts)>, after: Option<(RowStatus, RowCounts)>) -> ChangeKind {
    let provided = |side: Option<(RowStatus, RowCounts)>| side.is_some_and(|(status, _)| !status.is_gap());
    match (provided(before), provided(after)) {
        (false, true) => ChangeKind::Gained,
        (true, false) => ChangeKind::Lost,
        _ if before == after => ChangeKind::Unchanged,
        _ => ChangeKind::Changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CareFunction;
    use crate::model::matrix::{Weight, analyse};

    fn categories(ids: &[&str]) -> Vec<Category> {
        let functions = ids.iter().map(|id| CareFunction { id: id.parse().unwrap(), label: id.to_string(), statement: format!("{id}.") }).collect();
        vec![Category { id: "c".parse().unwrap(), name: "C".into(), functions }]
    }

    /// A one-column matrix where each function has the given weight.
    fn analysis(categories: &[Category], weights: &[(&str, Weight)]) -> Analysis {
        let columns = ["org".to_owned()];
        analyse(categories, &columns, |function, _| weights.iter().find(|(id, _)| *id == function.as_str()).map_or(Weight::None, |(_, w)| *w), 3)
    }

    #[test]
    fn functions_are_gained_lost_changed_or_unchanged() {
        use Weight::*;
        let cats = categories(&["gain", "lose", "change", "same", "partial"]);
        let before = analysis(&cats, &[("lose", Full), ("change", Partial), ("same", Full), ("partial", None)]);
        let after = analysis(&cats, &[("gain", Full), ("change", None), ("same", Full), ("partial", Partial)]);
        let review = compare(Side { categories: &cats, analysis: &before }, Side { categories: &cats, analysis: &after });
        let kinds: Vec<(&str, ChangeKind)> = review.functions.iter().map(|c| (c.function_id.as_str(), c.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("gain", ChangeKind::Gained),
                ("lose", ChangeKind::Lost),
                ("change", ChangeKind::Changed),
                ("same", ChangeKind::Unchanged),
                ("partial", ChangeKind::Changed),
            ]
        );
        assert_eq!(review.count(ChangeKind::Gained), 1);
        assert_eq!(review.categories.len(), 1);
        assert_eq!((review.categories[0].before.percent(), review.categories[0].after.percent()), (40, 40));
        assert_eq!(review.overall.points(), 0);
    }

    #[test]
    fn functions_in_only_one_map_are_listed_once() {
        let old = categories(&["a", "b"]);
        let new = categories(&["b", "c"]);
        let before = analysis(&old, &[("a", Weight::Full)]);
        let after = analysis(&new, &[("c", Weight::Full)]);
        let review = compare(Side { categories: &old, analysis: &before }, Side { categories: &new, analysis: &after });
        let listed: Vec<(&str, ChangeKind)> = review.functions.iter().map(|c| (c.function_id.as_str(), c.kind)).collect();
        assert_eq!(listed, [("b", ChangeKind::Unchanged), ("c", ChangeKind::Gained), ("a", ChangeKind::Lost)]);
        assert_eq!(review.functions[2].after, None);
        assert_eq!(review.overall.points(), 0, "half covered before and after");
    }
}
