//! What importing a matrix from a spreadsheet would do, worked out before anything is saved:
//! which columns are new, which cells are added, changed or left alone. A file caremap wrote
//! carries its ids on a hidden sheet, so its columns are found even if renamed and its notes
//! come back; a file made by hand is matched by column names.

use super::ids::{ActivityId, AnalysisId, FunctionId, Id, record};
use super::matrix::{Level, StoredCell, cell_index};
use super::programme::{Activity, Need, NeedStatus, Priority};
use super::sheet::{FunctionMatcher, Places, ReadMatrix, SheetGrid, Unmatched, unsafe_text};
use super::values::CalendarDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The ids a caremap export carries on its hidden sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// "org-map", "role-map" or "learning".
    pub kind: String,
    /// The matrix exported.
    pub id: String,
    /// Column letters → the column's id.
    pub columns: HashMap<String, String>,
    /// (function, column id) → note.
    pub notes: HashMap<(FunctionId, String), String>,
}

impl Metadata {
    /// Reads the hidden sheet a caremap export carries; `None` for any other sheet.
    pub fn read(grid: &SheetGrid) -> Option<Metadata> {
        if grid.cell(0, 0) != "caremap export" {
            return None;
        }
        let mut metadata = Metadata::default();
        for row in &grid.rows {
            let value = |i: usize| row.get(i).map_or("", |text| unsafe_text(text));
            match value(0) {
                "kind" => metadata.kind = value(1).to_owned(),
                "id" => metadata.id = value(1).to_owned(),
                "column" => {
                    metadata.columns.insert(value(1).to_owned(), value(2).to_owned());
                }
                "note" => {
                    if let Ok(function_id) = value(1).parse() {
                        metadata.notes.insert((function_id, value(2).to_owned()), value(3).to_owned());
                    }
                }
                _ => {}
            }
        }
        Some(metadata)
    }
}

/// A column of the imported matrix (an organisation, a role, a person's analysis): one there
/// already (by id), or one to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct PlannedColumn<R> {
    pub name: String,
    pub existing: Option<Id<R>>,
}

/// A cell the import changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedCell<L> {
    /// An index into the plan's columns.
    pub column: usize,
    pub function_id: FunctionId,
    pub from: L,
    pub to: L,
    pub note: String,
    /// The version the cell was read at, which the write must find still there.
    pub version: i64,
}

/// What an import would do to a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(serialize = "L: Serialize", deserialize = "L: Deserialize<'de>"))]
pub struct MatrixPlan<L: Level> {
    pub columns: Vec<PlannedColumn<L::Column>>,
    pub cells: Vec<PlannedCell<L>>,
    /// New columns, and cells that gain a level where they had none.
    pub added: usize,
    /// Cells whose level or note changes from one they had.
    pub changed: usize,
    /// Cells read that already say the same.
    pub unchanged: usize,
    pub unmatched: Vec<Unmatched>,
    pub warnings: Vec<String>,
}

/// Plans importing `read` into a matrix whose columns are `existing` (id, name) and whose
/// cells are `cells`; `metadata` is the file's own, if caremap wrote it for this matrix.
pub fn plan_matrix<L: Level>(
    read: &ReadMatrix<L>,
    existing: &[(Id<L::Column>, String)],
    cells: &[StoredCell<L>],
    metadata: Option<&Metadata>,
) -> MatrixPlan<L> {
    let columns: Vec<PlannedColumn<L::Column>> = read
        .columns
        .iter()
        .map(|column| {
            let by_id =
                metadata.and_then(|m| m.columns.get(&column.letters)).filter(|id| existing.iter().any(|(existing, _)| existing.as_str() == id.as_str()));
            let by_name = || existing.iter().find(|(_, name)| name.trim().eq_ignore_ascii_case(column.name.trim())).map(|(id, _)| id);
            PlannedColumn { name: column.name.clone(), existing: by_id.map(|id| Id::from(id.as_str())).or_else(|| by_name().cloned()) }
        })
        .collect();
    let index = cell_index(cells);
    let mut plan = MatrixPlan {
        added: columns.iter().filter(|c| c.existing.is_none()).count(),
        columns,
        cells: Vec::new(),
        changed: 0,
        unchanged: 0,
        unmatched: read.unmatched.clone(),
        warnings: read.warnings.clone(),
    };
    let [empty, ..] = L::ALL;
    for cell in &read.cells {
        let column = &plan.columns[cell.column];
        let current = column.existing.as_ref().and_then(|id| index.get(&(&cell.function_id, id)).copied());
        let (from, old_note, version) = current.map_or((empty, "", 0), |c| (c.level, c.note.as_str(), c.version));
        let note = match (metadata, &column.existing) {
            (Some(m), Some(id)) => m.notes.get(&(cell.function_id.clone(), id.to_string())).cloned().unwrap_or_default(),
            // A hand-made file has no notes: the ones already here stay.
            _ => old_note.to_owned(),
        };
        if cell.mark == from && note == old_note {
            plan.unchanged += usize::from(cell.mark != empty || current.is_some());
            continue;
        }
        if from == empty && old_note.is_empty() {
            plan.added += 1;
        } else {
            plan.changed += 1;
        }
        plan.cells.push(PlannedCell { column: cell.column, function_id: cell.function_id.clone(), from, to: cell.mark, note, version });
    }
    plan
}

/// Someone's analysis as a learning import finds it: its id, name, scope and needs with their
/// versions.
pub struct KnownPerson<'a> {
    pub id: &'a AnalysisId,
    pub name: &'a str,
    pub scope: &'a [FunctionId],
    pub needs: &'a [(Need, i64)],
}

/// A need a learning import writes: for which person (an index into the plan's people), and
/// the version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedNeed {
    pub person: usize,
    pub need: Need,
    pub version: i64,
}

/// What importing a learning matrix would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningPlan {
    /// The people across the matrix: their analysis, or none for a new person.
    pub people: Vec<PlannedColumn<record::Analysis>>,
    pub needs: Vec<PlannedNeed>,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub unmatched: Vec<Unmatched>,
    pub warnings: Vec<String>,
}

/// Reads an Appendix 3 sheet of needs in full, found by its column headings (Person, Function,
/// Priority, Identified learning need, Activity to support learning, Comment, Target date,
/// Status): each need by (person in lower case, function). An activity named like one in the
/// catalogue (id, title) is that activity; other words describe one.
pub fn read_needs_sheet(grid: &SheetGrid, matcher: &FunctionMatcher<'_>, catalogue: &[(ActivityId, String)]) -> (HashMap<(String, FunctionId), Need>, Places) {
    let heading = |name: &str| grid.rows.first().and_then(|row| row.iter().position(|h| h.trim().eq_ignore_ascii_case(name)));
    let columns =
        ["Person", "Function", "Priority", "Identified learning need", "Activity to support learning", "Comment", "Target date", "Status"].map(heading);
    let mut needs = HashMap::new();
    let mut unmatched = Places::default();
    let (Some(person), Some(function)) = (columns[0], columns[1]) else { return (needs, unmatched) };
    for row in 1..grid.rows.len() {
        let text = |column: Option<usize>| column.map_or("", |c| unsafe_text(grid.cell(row, c).trim()));
        if text(Some(person)).is_empty() {
            continue;
        }
        let found = match matcher.find(text(Some(function))) {
            Ok(found) => found.function_id,
            Err(reason) => {
                unmatched.push(Unmatched::at(grid, row, function, reason));
                continue;
            }
        };
        let mut need = Need::blank(found.clone());
        need.priority = match read_priority(text(columns[2])) {
            Some(priority) => priority.unwrap_or_default(),
            None => {
                unmatched.push(Unmatched::at(grid, row, columns[2].unwrap_or(0), "not a priority: use High, Medium, Low or None"));
                continue;
            }
        };
        need.need = text(columns[3]).to_owned();
        let activity = text(columns[4]);
        need.activity = match catalogue.iter().find(|(_, title)| title.eq_ignore_ascii_case(activity)) {
            Some((id, _)) => Some(Activity::Catalogue(id.clone())),
            None if activity.is_empty() => None,
            None => Some(Activity::Described(activity.to_owned())),
        };
        need.comment = text(columns[5]).to_owned();
        let target = text(columns[6]);
        need.target = match (target, read_date(target)) {
            ("", _) => None,
            (_, Some(date)) => Some(date),
            (_, None) => {
                unmatched.push(Unmatched::at(grid, row, columns[6].unwrap_or(0), "not a date"));
                continue;
            }
        };
        let status = text(columns[7]);
        need.status = match NeedStatus::ALL.into_iter().find(|s| s.label().eq_ignore_ascii_case(status) || s.as_str() == status) {
            Some(found) => found,
            None if status.is_empty() => NeedStatus::NotStarted,
            None => {
                unmatched.push(Unmatched::at(grid, row, columns[7].unwrap_or(0), "not a status: use Not started, Planned, In progress or Done"));
                continue;
            }
        };
        needs.insert((text(Some(person)).to_lowercase(), found), need);
    }
    (needs, unmatched)
}

/// Plans importing a learning matrix (each cell a priority, blank for nothing) with the needs
/// of its "Needs" sheet in full, against the workspace's analyses. A person the workspace has
/// no analysis for is new; a need outside a person's scope is left out with a warning.
pub fn plan_learning(
    read: &ReadMatrix<Option<Priority>>,
    details: &HashMap<(String, FunctionId), Need>,
    known: &[KnownPerson<'_>],
    metadata: Option<&Metadata>,
) -> LearningPlan {
    let people: Vec<PlannedColumn<record::Analysis>> = read
        .columns
        .iter()
        .map(|column| {
            let by_id = metadata.and_then(|m| m.columns.get(&column.letters)).filter(|id| known.iter().any(|k| k.id.as_str() == id.as_str()));
            let by_name = || known.iter().find(|k| k.name.trim().eq_ignore_ascii_case(column.name.trim())).map(|k| k.id.clone());
            PlannedColumn { name: column.name.clone(), existing: by_id.map(|id| Id::from(id.as_str())).or_else(by_name) }
        })
        .collect();
    let mut plan =
        LearningPlan { added: 0, changed: 0, unchanged: 0, needs: Vec::new(), unmatched: read.unmatched.clone(), warnings: read.warnings.clone(), people };
    for cell in &read.cells {
        let person = &plan.people[cell.column];
        let key = (person.name.to_lowercase(), cell.function_id.clone());
        let Some(priority) = cell.mark.or_else(|| details.get(&key).map(|n| n.priority)) else { continue };
        let known_person = person.existing.as_ref().and_then(|id| known.iter().find(|k| k.id == id));
        if let Some(known_person) = known_person
            && !known_person.scope.contains(&cell.function_id)
        {
            plan.warnings.push(format!("{}: {} is not in their analysis's scope, so it was left out.", person.name, cell.function_id));
            continue;
        }
        let current = known_person.and_then(|k| k.needs.iter().find(|(n, _)| n.function_id == cell.function_id));
        let mut need = details.get(&key).cloned().or_else(|| current.map(|(n, _)| n.clone())).unwrap_or_else(|| Need::blank(cell.function_id.clone()));
        need.priority = priority;
        need.archived = false;
        match current {
            Some((existing, _)) if *existing == need => plan.unchanged += 1,
            Some((_, version)) => {
                plan.changed += 1;
                plan.needs.push(PlannedNeed { person: cell.column, need, version: *version });
            }
            None => {
                plan.added += 1;
                plan.needs.push(PlannedNeed { person: cell.column, need, version: 0 });
            }
        }
    }
    plan.added += plan.people.iter().filter(|p| p.existing.is_none()).count();
    plan
}

/// A learning need's priority as a cell says it: its word or first letter (High, h, Medium, m,
/// Low, l, None, n, 0, -). A blank cell says nothing is recorded (`Some(None)`); anything else
/// is not understood (`None`).
pub fn read_priority(text: &str) -> Option<Option<Priority>> {
    match unsafe_text(text.trim()).trim().to_lowercase().as_str() {
        "" => Some(None),
        "high" | "h" | "3" => Some(Some(Priority::High)),
        "medium" | "med" | "m" | "2" => Some(Some(Priority::Medium)),
        "low" | "l" | "1" => Some(Some(Priority::Low)),
        "none" | "n" | "no" | "0" | "-" | "–" => Some(Some(Priority::None)),
        _ => None,
    }
}

/// A date as people write it in a sheet: 2026-04-01, 1 April 2026, 1 Apr 2026, 01/04/2026 (day
/// first, as in England), or a spreadsheet's day number.
pub fn read_date(text: &str) -> Option<CalendarDate> {
    let text = text.trim();
    if let Ok(date) = CalendarDate::parse("date", text) {
        return Some(date);
    }
    if let Ok(serial) = text.parse::<u32>() {
        // Day 1 is 1900-01-01, and spreadsheets count a 29 February 1900 that never was.
        return (61..2_958_466).contains(&serial).then(|| civil_from_days(i64::from(serial) - 25_569)).flatten();
    }
    let parts: Vec<&str> = text.split(['/', ' ', '-', '.']).filter(|p| !p.is_empty()).collect();
    let [day, month, year] = parts.as_slice() else { return None };
    let day: u8 = day.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok()?;
    let month: u8 = match month.parse::<u8>() {
        Ok(number) => number,
        Err(_) => {
            const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
            let lowered = month.to_lowercase();
            MONTHS.iter().position(|m| lowered.starts_with(m))? as u8 + 1
        }
    };
    let year: u16 = match year.parse::<u16>().ok()? {
        short @ 0..=99 => 2000 + short,
        full => full,
    };
    CalendarDate::new(year, month, day)
}

/// The date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> Option<CalendarDate> {
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    CalendarDate::new(u16::try_from(year).ok()?, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::matrix::Cell;
    use crate::model::org_map::Provision;
    use crate::model::sheet::{ReadCell, ReadColumn};

    fn read(columns: &[(&str, &str)], cells: &[(usize, &str, Provision)]) -> ReadMatrix<Provision> {
        ReadMatrix {
            columns: columns.iter().map(|(name, letters)| ReadColumn { name: (*name).into(), letters: (*letters).into() }).collect(),
            cells: cells.iter().map(|(column, f, mark)| ReadCell { column: *column, function_id: f.parse().unwrap(), mark: *mark }).collect(),
            functions: vec![],
            fuzzy: vec![],
            unmatched: vec![],
            warnings: vec![],
            fields: vec![],
        }
    }

    fn stored(column: &str, function: &str, level: Provision, note: &str) -> StoredCell<Provision> {
        StoredCell { column_id: column.into(), function_id: function.parse().unwrap(), value: Cell { level, note: note.into(), version: 3 } }
    }

    #[test]
    fn a_hand_made_file_is_matched_by_column_names_and_keeps_notes() {
        use Provision::*;
        let existing = [("o1".into(), "Age UK".to_owned())];
        let cells = [stored("o1", "comm-01", Fully, "Tuesdays"), stored("o1", "comm-02", Partly, "")];
        let file = read(
            &[("age uk ", "B"), ("GP surgery", "C")],
            &[(0, "comm-01", Fully), (0, "comm-02", Fully), (0, "comm-03", NotProvided), (1, "comm-01", Partly)],
        );
        let plan = plan_matrix(&file, &existing, &cells, None);
        assert_eq!(plan.columns[0].existing.as_deref(), Some("o1"), "names match in any case");
        assert_eq!(plan.columns[1].existing, None);
        assert_eq!((plan.added, plan.changed, plan.unchanged), (2, 1, 1), "a new column and its cell; comm-02 changes; comm-01 stays");
        let change = plan.cells.iter().find(|c| c.function_id.as_str() == "comm-02").unwrap();
        assert_eq!((change.from, change.to, change.version), (Partly, Fully, 3));
        assert!(plan.cells.iter().all(|c| c.function_id.as_str() != "comm-03"), "a blank that was blank is no change");
    }

    #[test]
    fn an_export_finds_renamed_columns_by_id_and_brings_notes_back() {
        use Provision::*;
        let existing = [("o1".into(), "Age UK Northshire".to_owned())];
        let cells = [stored("o1", "comm-01", Fully, "")];
        let metadata = Metadata {
            kind: "org-map".into(),
            id: "m1".into(),
            columns: HashMap::from([("C".to_owned(), "o1".to_owned())]),
            notes: HashMap::from([(("comm-01".parse().unwrap(), "o1".to_owned()), "Tuesdays only".to_owned())]),
        };
        let plan = plan_matrix(&read(&[("Age UK", "C")], &[(0, "comm-01", Fully)]), &existing, &cells, Some(&metadata));
        assert_eq!(plan.columns[0].existing.as_deref(), Some("o1"));
        assert_eq!((plan.added, plan.changed, plan.unchanged), (0, 1, 0), "the note is the change");
        assert_eq!(plan.cells[0].note, "Tuesdays only");
    }

    #[test]
    fn the_metadata_sheet_is_read_back() {
        let grid = SheetGrid {
            name: "caremap".into(),
            rows: vec![
                vec!["caremap export".into(), "1".into()],
                vec!["kind".into(), "org-map".into()],
                vec!["id".into(), "m1".into()],
                vec!["column".into(), "C".into(), "o1".into(), "Age UK".into()],
                vec!["note".into(), "comm-01".into(), "o1".into(), "'=not a formula".into()],
            ],
        };
        let metadata = Metadata::read(&grid).unwrap();
        assert_eq!((metadata.kind.as_str(), metadata.id.as_str()), ("org-map", "m1"));
        assert_eq!(metadata.columns["C"], "o1");
        assert_eq!(metadata.notes[&("comm-01".parse().unwrap(), "o1".to_owned())], "=not a formula");
        assert!(Metadata::read(&SheetGrid::default()).is_none());
    }

    #[test]
    fn a_learning_matrix_and_its_needs_plan_against_the_analyses() {
        use crate::model::sheet::ReadCell;
        let categories = crate::frameworks::builtin().unwrap().into_iter().find(|f| f.id().as_str() == "coordinating-care").unwrap().categories().to_vec();
        let matcher = FunctionMatcher::new(&categories);
        let needs_sheet = SheetGrid {
            name: "Needs".into(),
            rows: vec![
                ["Person", "Function", "Priority", "Identified learning need", "Activity to support learning", "Comment", "Target date", "Status"]
                    .map(String::from)
                    .to_vec(),
                ["Asha Patel", "comm-01 Build strong relationships", "High", "Reviews", "CPA update", "", "31/03/2027", "Planned"].map(String::from).to_vec(),
                ["Asha Patel", "comm-02", "Low", "", "Shadow a colleague", "", "soon", ""].map(String::from).to_vec(),
            ],
        };
        let catalogue = [("cpa".into(), "CPA Update".to_owned())];
        let (details, unread) = read_needs_sheet(&needs_sheet, &matcher, &catalogue);
        let (unread, more) = unread.finish();
        assert_eq!((unread.len(), more), (1, None), "the second row's date: {unread:?}");
        assert_eq!((unread[0].row, unread[0].column.as_str()), (3, "G"));
        let asha = &details[&("asha patel".to_owned(), "comm-01".parse().unwrap())];
        assert_eq!((asha.priority, asha.activity.clone(), asha.status), (Priority::High, Some(Activity::Catalogue("cpa".into())), NeedStatus::Planned));
        assert_eq!(asha.target.unwrap().to_string(), "2027-03-31");

        let scope: Vec<FunctionId> = ["comm-01", "comm-02"].map(|f| f.parse().unwrap()).to_vec();
        let existing = vec![(Need { priority: Priority::Low, ..Need::blank("comm-02".parse().unwrap()) }, 4)];
        let known = [KnownPerson { id: &"a1".into(), name: "Asha Patel", scope: &scope, needs: &existing }];
        let read = ReadMatrix {
            columns: vec![ReadColumn { name: "asha patel".into(), letters: "B".into() }, ReadColumn { name: "Ben Hughes".into(), letters: "C".into() }],
            cells: vec![
                ReadCell { column: 0, function_id: "comm-01".parse().unwrap(), mark: Some(Priority::High) },
                ReadCell { column: 0, function_id: "comm-02".parse().unwrap(), mark: Some(Priority::Low) },
                ReadCell { column: 0, function_id: "comm-03".parse().unwrap(), mark: Some(Priority::Low) },
                ReadCell { column: 1, function_id: "comm-01".parse().unwrap(), mark: Some(Priority::Medium) },
                ReadCell { column: 1, function_id: "comm-02".parse().unwrap(), mark: None },
            ],
            functions: vec![],
            fuzzy: vec![],
            unmatched: vec![],
            warnings: vec![],
            fields: vec![],
        };
        let plan = plan_learning(&read, &details, &known, None);
        assert_eq!(plan.people[0].existing.as_deref(), Some("a1"));
        assert_eq!(plan.people[1].existing, None);
        assert_eq!((plan.added, plan.changed, plan.unchanged), (1 + 1 + 1, 0, 1), "Asha's comm-01 and Ben's, and Ben; Asha's comm-02 stays");
        assert_eq!(plan.needs[0].need.need, "Reviews", "the needs sheet fills in the details");
        assert!(plan.warnings.iter().any(|w| w.contains("comm-03 is not in their analysis's scope")), "{:?}", plan.warnings);
    }

    #[test]
    fn priorities_are_read_from_words_and_letters() {
        assert_eq!(read_priority("High"), Some(Some(Priority::High)));
        assert_eq!(read_priority(" m "), Some(Some(Priority::Medium)));
        assert_eq!(read_priority("None"), Some(Some(Priority::None)));
        assert_eq!(read_priority(""), Some(None), "blank: nothing recorded");
        assert_eq!(read_priority("urgent"), None);
    }

    #[test]
    fn dates_are_read_as_people_write_them() {
        let read = |text: &str| read_date(text).map(|d| d.to_string());
        for text in ["2026-04-01", "1 April 2026", "1st Apr 2026", "01/04/2026", "1/4/26", "46113"] {
            assert_eq!(read(text).as_deref(), Some("2026-04-01"), "{text}");
        }
        assert_eq!(read("29/02/2025"), None);
        assert_eq!(read("soon"), None);
    }
}
