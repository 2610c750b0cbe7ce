//! The gap engine shared by every function matrix: functions down, columns (organisations or
//! roles) across, and in each cell how much of the function that column takes on.

use super::framework::Category;
use super::ids::{CategoryId, FunctionId, Id};
use super::input::InputError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How much of a function one column takes on, whatever the matrix calls it (partly provided
/// or supports; fully provided or leads).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub enum Weight {
    #[default]
    None,
    Partial,
    Full,
}

/// One matrix's cell states and their words, e.g. not provided / partly / fully.
pub trait Level: Copy + Eq + Default + fmt::Debug + Send + Sync + 'static {
    /// The record a cell's column is: an organisation, a role.
    type Column: Copy + Eq + fmt::Debug + Send + Sync + 'static;
    /// Every state, from nothing to the most.
    const ALL: [Self; 3];
    /// The stored and transmitted code, e.g. "partly".
    fn as_str(self) -> &'static str;
    /// The state in words, e.g. "Partly provided".
    fn label(self) -> &'static str;
    /// A mark that reads without colour.
    fn symbol(self) -> &'static str;
    /// A word short enough for a narrow cell.
    fn short(self) -> &'static str;
    fn weight(self) -> Weight;
    /// The letter that chooses this state from the keyboard, e.g. 'P' for partly.
    fn key(self) -> char;

    /// The state a typed key chooses, in either case; `None` for any other key.
    fn from_key(key: &str) -> Option<Self> {
        let mut letters = key.chars();
        let (Some(letter), None) = (letters.next(), letters.next()) else { return None };
        Self::ALL.into_iter().find(|level| level.key().eq_ignore_ascii_case(&letter))
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == code)
    }

    /// What a form is told to choose from, e.g. "Choose not provided, partly or fully."
    const CHOOSE: &'static str;

    /// A form's code, or what to choose.
    fn parse(text: &str) -> Result<Self, InputError> {
        Self::from_code(text).ok_or_else(|| InputError::new("level", Self::CHOOSE))
    }
}

/// One cell: its state, a note, and the version it was read at (0 for never set), which an
/// edit must present so that a change made on a stale view is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell<L> {
    pub level: L,
    pub note: String,
    pub version: i64,
}

impl<L: Level> Cell<L> {
    /// The cell in words, for messages: "Partly provided (note: “Tuesdays only”)".
    pub fn describe(&self) -> String {
        if self.note.is_empty() { self.level.label().to_owned() } else { format!("{} (note: “{}”)", self.level.label(), self.note) }
    }
}

/// A cell as stored, with where it sits: its column (an organisation or a role) and function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCell<L: Level> {
    pub column_id: Id<L::Column>,
    pub function_id: FunctionId,
    pub value: Cell<L>,
}

/// Cells looked up by (function, column).
pub fn cell_index<L: Level>(cells: &[StoredCell<L>]) -> std::collections::HashMap<(&FunctionId, &Id<L::Column>), &Cell<L>> {
    cells.iter().map(|cell| ((&cell.function_id, &cell.column_id), &cell.value)).collect()
}

/// A cell as it stands when an edit of it was refused as stale: the level as its code, so one
/// shape serves every kind of matrix, and the whole cell in that matrix's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleCell {
    pub level: String,
    pub note: String,
    pub version: i64,
    pub description: String,
}

impl StaleCell {
    pub fn of<L: Level>(cell: &Cell<L>) -> Self {
        StaleCell { level: cell.level.as_str().to_owned(), note: cell.note.clone(), version: cell.version, description: cell.describe() }
    }

    /// The cell itself, if its level is one of `L`'s.
    pub fn cell<L: Level>(&self) -> Option<Cell<L>> {
        Some(Cell { level: L::from_code(&self.level)?, note: self.note.clone(), version: self.version })
    }
}

/// How many columns take a function on fully, and how many partly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCounts {
    pub full: usize,
    pub partial: usize,
}

/// Where one function stands. Ordered from worst to best-served, then over-served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RowStatus {
    /// Nobody takes it on at all.
    Gap,
    /// Nobody takes it on fully; some partly.
    PartialOnly,
    /// Exactly one column takes it on fully: it rests on one provider.
    Single,
    /// Fully taken on by more than one, and not more than the duplication threshold.
    Covered,
    /// Fully taken on by more columns than the duplication threshold.
    Duplication,
}

impl RowStatus {
    /// A gap in the wide sense: nobody takes the function on fully.
    pub fn is_gap(self) -> bool {
        matches!(self, RowStatus::Gap | RowStatus::PartialOnly)
    }

    pub const ALL: [RowStatus; 5] = [RowStatus::Gap, RowStatus::PartialOnly, RowStatus::Single, RowStatus::Covered, RowStatus::Duplication];

    pub fn from_code(code: &str) -> Option<RowStatus> {
        RowStatus::ALL.into_iter().find(|status| status.as_str() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Gap => "gap",
            RowStatus::PartialOnly => "partial",
            RowStatus::Single => "single",
            RowStatus::Covered => "covered",
            RowStatus::Duplication => "duplication",
        }
    }

    /// How the status reads on an organisation map: one provider is fragile, more are healthy.
    pub fn tone(self) -> Tone {
        match self {
            RowStatus::Gap | RowStatus::PartialOnly => Tone::Gap,
            RowStatus::Single => Tone::Fragile,
            RowStatus::Covered => Tone::Healthy,
            RowStatus::Duplication => Tone::Excess,
        }
    }

    /// The status as a matrix's status column shows it.
    pub fn label(self) -> &'static str {
        match self {
            RowStatus::Gap => "Gap: nobody provides it",
            RowStatus::PartialOnly => "Gap: only partly provided",
            RowStatus::Single => "One provider only",
            RowStatus::Covered => "Covered",
            RowStatus::Duplication => "Possible duplication",
        }
    }
}

/// How a function's status reads at a glance, and so its colour; its words always go with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Gap,
    Fragile,
    Healthy,
    Excess,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Gap => "gap",
            Tone::Fragile => "fragile",
            Tone::Healthy => "healthy",
            Tone::Excess => "excess",
        }
    }
}

/// The smallest and largest duplication threshold a map accepts.
pub const THRESHOLD_RANGE: std::ops::RangeInclusive<u32> = 1..=50;
/// The duplication threshold of a new map: more than three full providers may be duplication.
pub const DEFAULT_THRESHOLD: u32 = 3;

/// Classifies one function by its counts: more than `threshold` full providers is duplication.
pub fn classify(counts: RowCounts, threshold: u32) -> RowStatus {
    match counts.full {
        0 if counts.partial == 0 => RowStatus::Gap,
        0 => RowStatus::PartialOnly,
        full if full > threshold as usize => RowStatus::Duplication,
        1 => RowStatus::Single,
        _ => RowStatus::Covered,
    }
}

/// One function's row: its counts and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowAnalysis {
    pub function_id: FunctionId,
    pub category_id: CategoryId,
    pub counts: RowCounts,
    pub status: RowStatus,
}

/// How well a set of functions is covered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub functions: usize,
    /// Fully provided by at least one column.
    pub covered: usize,
    pub gaps: usize,
    pub partial_only: usize,
    pub single: usize,
    pub duplication: usize,
}

impl Coverage {
    fn count(&mut self, status: RowStatus) {
        self.functions += 1;
        match status {
            RowStatus::Gap => self.gaps += 1,
            RowStatus::PartialOnly => self.partial_only += 1,
            RowStatus::Single => self.single += 1,
            RowStatus::Covered => {}
            RowStatus::Duplication => self.duplication += 1,
        }
        if !status.is_gap() {
            self.covered += 1;
        }
    }

    /// The share of functions fully provided by someone, as a whole percentage rounded down
    /// (so 100% means every one); 0 when there are no functions.
    pub fn percent(&self) -> u32 {
        (self.covered * 100).checked_div(self.functions).unwrap_or(0) as u32
    }
}

/// Coverage of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCoverage {
    pub category_id: CategoryId,
    pub name: String,
    pub coverage: Coverage,
}

/// The whole gap analysis of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// One per function, in framework order.
    pub rows: Vec<RowAnalysis>,
    pub categories: Vec<CategoryCoverage>,
    pub overall: Coverage,
}

impl Analysis {
    pub fn row(&self, function_id: &FunctionId) -> Option<&RowAnalysis> {
        self.rows.iter().find(|row| &row.function_id == function_id)
    }
}

/// Analyses a matrix: `categories` give the functions down, `columns` the ids across, and
/// `weight` what a cell holds (cells of columns not listed are ignored).
pub fn analyse<'a, C>(categories: &[Category], columns: &'a [C], weight: impl Fn(&FunctionId, &'a C) -> Weight, threshold: u32) -> Analysis {
    let mut rows = Vec::new();
    let mut by_category = Vec::new();
    let mut overall = Coverage::default();
    for category in categories {
        let mut coverage = Coverage::default();
        for function in &category.functions {
            let mut counts = RowCounts::default();
            for column in columns {
                match weight(&function.id, column) {
                    Weight::Full => counts.full += 1,
                    Weight::Partial => counts.partial += 1,
                    Weight::None => {}
                }
            }
            let status = classify(counts, threshold);
            coverage.count(status);
            overall.count(status);
            rows.push(RowAnalysis { function_id: function.id.clone(), category_id: category.id.clone(), counts, status });
        }
        by_category.push(CategoryCoverage { category_id: category.id.clone(), name: category.name.clone(), coverage });
    }
    Analysis { rows, categories: by_category, overall }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CareFunction;
    use std::collections::HashMap;

    fn counts(full: usize, partial: usize) -> RowCounts {
        RowCounts { full, partial }
    }

    #[test]
    fn every_rule_and_its_edges() {
        assert_eq!(classify(counts(0, 0), 3), RowStatus::Gap);
        assert_eq!(classify(counts(0, 1), 3), RowStatus::PartialOnly);
        assert_eq!(classify(counts(0, 9), 3), RowStatus::PartialOnly);
        assert_eq!(classify(counts(1, 0), 3), RowStatus::Single);
        assert_eq!(classify(counts(1, 5), 3), RowStatus::Single, "partial providers do not make a single one safe");
        assert_eq!(classify(counts(2, 0), 3), RowStatus::Covered);
        assert_eq!(classify(counts(3, 0), 3), RowStatus::Covered, "exactly the threshold is not duplication");
        assert_eq!(classify(counts(4, 0), 3), RowStatus::Duplication, "one more than the threshold is");
        // A threshold of 1: a second full provider is already duplication.
        assert_eq!(classify(counts(1, 0), 1), RowStatus::Single);
        assert_eq!(classify(counts(2, 0), 1), RowStatus::Duplication);
    }

    #[test]
    fn gaps_in_the_wide_sense() {
        assert!(RowStatus::Gap.is_gap() && RowStatus::PartialOnly.is_gap());
        assert!(!RowStatus::Single.is_gap() && !RowStatus::Covered.is_gap() && !RowStatus::Duplication.is_gap());
    }

    #[test]
    fn a_status_is_found_by_its_code_as_addresses_carry_it() {
        for status in RowStatus::ALL {
            assert_eq!(RowStatus::from_code(status.as_str()), Some(status));
        }
        assert_eq!(RowStatus::from_code("gaps"), None);
    }

    fn categories() -> Vec<Category> {
        let function = |id: &str| CareFunction { id: id.parse().unwrap(), label: id.into(), statement: format!("{id}.") };
        vec![
            Category { id: "a".parse().unwrap(), name: "A".into(), functions: vec![function("a-1"), function("a-2")] },
            Category { id: "b".parse().unwrap(), name: "B".into(), functions: vec![function("b-1")] },
        ]
    }

    fn analysis_of(cells: &[(&str, &str, Weight)], columns: &[&str], threshold: u32) -> Analysis {
        let cells: HashMap<(String, String), Weight> = cells.iter().map(|(f, c, w)| ((f.to_string(), c.to_string()), *w)).collect();
        let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        analyse(&categories(), &columns, |function, column| cells.get(&(function.to_string(), column.clone())).copied().unwrap_or_default(), threshold)
    }

    #[test]
    fn no_columns_means_every_function_is_a_gap() {
        let analysis = analysis_of(&[], &[], 3);
        assert!(analysis.rows.iter().all(|row| row.status == RowStatus::Gap));
        assert_eq!(analysis.overall, Coverage { functions: 3, gaps: 3, ..Coverage::default() });
        assert_eq!(analysis.overall.percent(), 0);
    }

    #[test]
    fn all_covered_is_one_hundred_percent() {
        use Weight::Full;
        let analysis = analysis_of(&[("a-1", "x", Full), ("a-1", "y", Full), ("a-2", "x", Full), ("b-1", "y", Full)], &["x", "y"], 3);
        assert_eq!(analysis.overall.percent(), 100);
        assert_eq!(analysis.overall.covered, 3);
        assert_eq!(analysis.overall.single, 2);
        assert_eq!(analysis.row(&"a-1".parse().unwrap()).unwrap().status, RowStatus::Covered);
    }

    #[test]
    fn coverage_is_counted_per_category_and_overall() {
        use Weight::{Full, Partial};
        let cells = [
            ("a-1", "x", Full),
            ("a-1", "y", Full),
            ("a-2", "x", Partial),
            ("b-1", "y", Partial),
            // A column not in the matrix (say, a removed organisation) does not count.
            ("b-1", "gone", Full),
        ];
        let analysis = analysis_of(&cells, &["x", "y"], 1);
        let a = &analysis.categories[0].coverage;
        assert_eq!((a.functions, a.covered, a.partial_only, a.duplication), (2, 1, 1, 1));
        assert_eq!(a.percent(), 50);
        let b = &analysis.categories[1].coverage;
        assert_eq!((b.functions, b.covered, b.partial_only), (1, 0, 1));
        assert_eq!(analysis.overall.covered, 1);
        assert_eq!(analysis.overall.percent(), 33, "one of three, rounded down");
        assert_eq!(analysis.rows.iter().map(|r| r.function_id.as_str()).collect::<Vec<_>>(), ["a-1", "a-2", "b-1"]);
    }

    #[test]
    fn a_stale_cell_carries_its_level_as_a_code_and_comes_back_only_as_its_own_kind() {
        use crate::model::org_map::Provision;
        use crate::model::role_map::Involvement;
        let cell = Cell { level: Provision::Partly, note: "Tuesdays only".into(), version: 3 };
        let stale = StaleCell::of(&cell);
        assert_eq!((stale.level.as_str(), stale.description.as_str()), ("partly", "Partly provided (note: “Tuesdays only”)"));
        assert_eq!(stale.cell::<Provision>(), Some(cell));
        assert_eq!(stale.cell::<Involvement>(), None, "a role map cannot take an organisation map's level");
    }

    #[test]
    fn an_empty_set_of_functions_has_no_coverage() {
        assert_eq!(Coverage::default().percent(), 0);
        let analysis = analyse::<String>(&[], &[], |_, _| Weight::Full, 3);
        assert!(analysis.rows.is_empty() && analysis.categories.is_empty());
    }
}
