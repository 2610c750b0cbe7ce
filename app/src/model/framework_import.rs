//! Reading a function framework from a spreadsheet table (Category, Id, Function, Statement) and
//! working out what importing it would do: a new local framework, or a new version of one the
//! workspace already has. Functions are matched by id, then by their wording; a function the
//! file leaves out is kept, because maps and analyses may use it.

use super::framework::{CareFunction, Category, Framework};
use super::ids::{CategoryId, FrameworkId, FunctionId};
use super::sheet::{MAX_LABEL_BYTES, Places, SheetGrid, Unmatched, is_formula, normalise, similarity, unsafe_text};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One function row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFunction {
    pub category: String,
    /// The id in the file's Id column, where it is a usable one.
    pub id: Option<FunctionId>,
    pub label: String,
    /// The fuller wording; the label where the file gives none.
    pub statement: String,
}

/// A framework table as read: what the file names it and says of it, and its functions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadFramework {
    pub name: Option<String>,
    pub description: Option<String>,
    pub functions: Vec<ReadFunction>,
    pub unmatched: Vec<Unmatched>,
    /// Things worth a look, e.g. that more places were not understood than are listed.
    pub warnings: Vec<String>,
}

/// How far down a framework's header row is looked for.
const HEADER_ROWS: usize = 20;
const CATEGORY_HEADINGS: [&str; 2] = ["category", "categories"];
const ID_HEADINGS: [&str; 3] = ["id", "identifier", "function id"];
const LABEL_HEADINGS: [&str; 4] = ["function", "functions", "label", "function label"];
const STATEMENT_HEADINGS: [&str; 3] = ["statement", "full statement", "wording"];
/// How alike a reworded function's wording must be to the one it replaces.
const REWORDED: f64 = 0.75;
/// The most functions a framework imported from a file may have: many times any real one, and
/// a bound on the matching work a file can cause.
pub const MAX_FUNCTIONS: usize = 1_000;

/// A title caremap writes after a framework's name.
const VERSION_SUFFIX: &str = " (version ";

/// Reads the first table in `grid` headed Category and Function (Id and Statement are
/// optional); `None` if the sheet has no such header row. A blank category carries the one
/// above down, as merged cells and hand-made lists leave it.
pub fn read_framework_sheet(grid: &SheetGrid) -> Option<ReadFramework> {
    let column = |row: usize, names: &[&str]| grid.rows.get(row)?.iter().position(|text| names.contains(&normalise(text).as_str()));
    let (header, category, label) =
        (0..grid.rows.len().min(HEADER_ROWS)).find_map(|row| Some((row, column(row, &CATEGORY_HEADINGS)?, column(row, &LABEL_HEADINGS)?)))?;
    let (id, statement) = (column(header, &ID_HEADINGS), column(header, &STATEMENT_HEADINGS));
    let text = |row: usize, column: usize| unsafe_text(grid.cell(row, column).trim());

    let mut read = ReadFramework::default();
    let mut places = Places::default();
    let above: Vec<&str> = (0..header).map(|row| text(row, 0)).filter(|t| !t.is_empty() && !is_formula(t)).collect();
    if let Some(title) = above.first() {
        let name = title.rsplit_once(VERSION_SUFFIX).filter(|(_, rest)| rest.ends_with(')')).map_or(*title, |(name, _)| name);
        read.name = Some(name.to_owned());
    }
    read.description = above.get(1).map(|text| (*text).to_owned());

    let mut current_category = String::new();
    for row in header + 1..grid.rows.len() {
        let in_category = text(row, category);
        if is_formula(grid.cell(row, category)) {
            places.push(Unmatched::at(grid, row, category, "formula text is not read as a category name"));
            continue;
        }
        if !in_category.is_empty() {
            current_category = in_category.to_owned();
        }
        let wording = text(row, label);
        if wording.is_empty() {
            continue;
        }
        if is_formula(grid.cell(row, label)) {
            places.push(Unmatched::at(grid, row, label, "formula text is not read as a function"));
            continue;
        }
        if let Some(long) = [Some(label), statement].into_iter().flatten().find(|&column| text(row, column).len() > MAX_LABEL_BYTES) {
            places.push(Unmatched::at(grid, row, long, format!("too long for a function's wording (at most {MAX_LABEL_BYTES} characters)")));
            continue;
        }
        if current_category.is_empty() {
            places.push(Unmatched::at(grid, row, category, "a function needs a category: none is given on this row or above it"));
            continue;
        }
        let id_text = id.map_or("", |column| text(row, column));
        let parsed_id = match id_text.parse::<FunctionId>() {
            Ok(parsed) => Some(parsed),
            Err(_) if id_text.is_empty() => None,
            Err(error) => {
                places.push(Unmatched::at(grid, row, id.unwrap_or(0), format!("{error}; the function is given a new one")));
                None
            }
        };
        let statement = statement.map(|column| text(row, column)).filter(|s| !s.is_empty() && !is_formula(s)).unwrap_or(wording);
        read.functions.push(ReadFunction { category: current_category.clone(), id: parsed_id, label: wording.to_owned(), statement: statement.to_owned() });
    }
    let (listed, more) = places.finish();
    read.unmatched = listed;
    read.warnings.extend(more);
    Some(read)
}

/// One function the import changes, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionChange {
    pub category: String,
    /// "id label" of the function as it is now.
    pub function: String,
    pub from: String,
    pub to: String,
}

/// What importing a framework would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkPlan {
    /// The framework as it would be stored.
    pub framework: Framework,
    /// The version of the framework it replaces, which must still be there when it is saved.
    pub replaces: Option<u32>,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub changes: Vec<FunctionChange>,
    pub warnings: Vec<String>,
}

/// What a plan is made against besides the file.
pub struct FrameworkContext<'a> {
    /// The workspace's framework the file updates, if any.
    pub existing: Option<&'a Framework>,
    /// The id a new framework gets.
    pub new_id: FrameworkId,
    /// Function ids other frameworks use: a function of this one must not reuse them, since a
    /// map over several frameworks tells functions apart by id.
    pub taken: &'a HashSet<FunctionId>,
    /// The name a new framework gets when the file gives none, e.g. the file's name.
    pub fallback_name: &'a str,
}

/// Plans importing `read` as a new framework or over `context.existing`.
pub fn plan_framework(read: &ReadFramework, context: &FrameworkContext<'_>) -> Result<FrameworkPlan, String> {
    if read.functions.is_empty() {
        return Err("The sheet lists no functions: put each one on its own row under a “Function” heading, with its “Category”.".into());
    }
    if read.functions.len() > MAX_FUNCTIONS {
        return Err(format!("The sheet lists {} functions; a framework has at most {MAX_FUNCTIONS}, so nothing was imported.", read.functions.len()));
    }
    let existing = context.existing;
    let framework_id = existing.map_or(&context.new_id, Framework::id);
    let old_functions: Vec<(&Category, &CareFunction)> =
        existing.map(|f| f.categories().iter().flat_map(|c| c.functions.iter().map(move |x| (c, x))).collect()).unwrap_or_default();

    let mut categories: Vec<Category> = Vec::new();
    let mut used: HashSet<FunctionId> = HashSet::new();
    let mut matched: HashSet<&FunctionId> = HashSet::new();
    let mut plan_changes = Vec::new();
    let (mut added, mut changed, mut unchanged, mut renumbered, mut repeated) = (0, 0, 0, 0, 0);
    let mut next_number = 1;
    let (mut ids_in_file, mut wordings_in_file) = (HashSet::new(), HashSet::new());
    for function in &read.functions {
        let first_id = function.id.as_ref().is_none_or(|id| ids_in_file.insert(id.clone()));
        if !wordings_in_file.insert(normalise(&function.label)) || !first_id {
            repeated += 1;
            continue;
        }
        let open: Vec<&(&Category, &CareFunction)> = old_functions.iter().filter(|(_, old)| !matched.contains(&old.id)).collect();
        let wording = normalise(&function.label);
        let old = open
            .iter()
            .find(|(_, old)| function.id.as_ref() == Some(&old.id))
            .or_else(|| open.iter().find(|(_, old)| normalise(&old.label) == wording))
            .or_else(|| {
                // Reworded by hand: the most alike function of the same category, if alike enough.
                open.iter()
                    .filter(|(category, _)| normalise(&category.name) == normalise(&function.category))
                    .map(|entry| {
                        // Either wording may be the shortened one.
                        let other = normalise(&entry.1.label);
                        (similarity(&wording, &other).max(similarity(&other, &wording)), entry)
                    })
                    .filter(|(score, _)| *score >= REWORDED)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, entry)| entry)
            })
            .copied();
        let id = match old {
            Some((_, old)) => {
                matched.insert(&old.id);
                old.id.clone()
            }
            None => match function.id.clone().filter(|id| !context.taken.contains(id) && !used.contains(id) && !old_functions.iter().any(|(_, o)| &o.id == id))
            {
                Some(id) => id,
                None => {
                    if function.id.is_some() {
                        renumbered += 1;
                    }
                    fresh_id(framework_id, &mut next_number, |id| {
                        used.contains(id) || context.taken.contains(id) || old_functions.iter().any(|(_, o)| &o.id == id)
                    })
                }
            },
        };
        used.insert(id.clone());
        let new = CareFunction { id: id.clone(), label: function.label.clone(), statement: function.statement.clone() };
        match old {
            None => added += 1,
            Some((old_category, old)) => {
                let name = format!("{} {}", id, old.label);
                let mut differences = Vec::new();
                if normalise(&old_category.name) != normalise(&function.category) {
                    differences.push(("category", old_category.name.clone(), function.category.clone()));
                }
                if old.label != new.label {
                    differences.push(("label", old.label.clone(), new.label.clone()));
                }
                if old.statement != new.statement {
                    differences.push(("statement", old.statement.clone(), new.statement.clone()));
                }
                if differences.is_empty() {
                    unchanged += 1;
                } else {
                    changed += 1;
                }
                plan_changes.extend(differences.into_iter().map(|(field, from, to)| FunctionChange {
                    category: function.category.clone(),
                    function: format!("{name} ({field})"),
                    from,
                    to,
                }));
            }
        }
        category_named(&mut categories, &function.category, existing).functions.push(new);
    }

    let mut warnings = Vec::new();
    let kept: Vec<(&Category, &CareFunction)> = old_functions.iter().filter(|(_, f)| !matched.contains(&f.id)).copied().collect();
    if !kept.is_empty() {
        warnings.push(format!(
            "{} functions of the framework are not in the file and are kept, since maps and analyses may use them: {}.",
            kept.len(),
            kept.iter().map(|(_, f)| f.id.to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    for (category, function) in kept {
        category_named(&mut categories, &category.name, existing).functions.push(function.clone());
    }
    if renumbered > 0 {
        warnings.push(format!("{renumbered} function ids in the file are used by another framework, so those functions were given new ids."));
    }
    if repeated > 0 {
        warnings.push(format!("{repeated} functions are listed twice; each is imported once."));
    }

    let name = read.name.clone().or_else(|| existing.map(|f| f.name().to_owned())).unwrap_or_else(|| context.fallback_name.to_owned());
    let description = read.description.clone().or_else(|| existing.map(|f| f.description().to_owned())).unwrap_or_default();
    let renamed = existing.is_some_and(|f| f.name() != name || f.description() != description);
    let version = match existing {
        Some(f) if added + changed > 0 || renamed => f.version() + 1,
        Some(f) => f.version(),
        None => 1,
    };
    let framework = Framework::new(framework_id.clone(), name, version, description, categories).map_err(|error| error.to_string())?;
    Ok(FrameworkPlan { framework, replaces: existing.map(Framework::version), added, changed, unchanged, changes: plan_changes, warnings })
}

/// The category of `categories` named `name` (in any case or spacing), added at the end if new;
/// a category the existing framework has keeps its id.
fn category_named<'a>(categories: &'a mut Vec<Category>, name: &str, existing: Option<&Framework>) -> &'a mut Category {
    let key = normalise(name);
    if let Some(at) = categories.iter().position(|c| normalise(&c.name) == key) {
        return &mut categories[at];
    }
    let known = existing.and_then(|f| f.categories().iter().find(|c| normalise(&c.name) == key)).map(|c| c.id.clone());
    let id = known.unwrap_or_else(|| {
        let stem: String = slug(name).chars().take(40).collect();
        let stem = if stem.is_empty() { "category".to_owned() } else { stem };
        let free = |candidate: &String| !categories.iter().any(|c| c.id.as_str() == candidate);
        let candidate = std::iter::once(stem.clone()).chain((2..).map(|n| format!("{stem}-{n}"))).find(free).expect("an unused name exists");
        CategoryId::try_from(candidate).expect("a slug is a valid id")
    });
    categories.push(Category { id, name: name.to_owned(), functions: Vec::new() });
    categories.last_mut().expect("just pushed")
}

/// The next "framework.N" id not yet used.
fn fresh_id(framework: &FrameworkId, next: &mut usize, used: impl Fn(&FunctionId) -> bool) -> FunctionId {
    loop {
        let candidate = FunctionId::try_from(format!("{framework}.{next}")).expect("a framework id with a number is a valid id");
        *next += 1;
        if !used(&candidate) {
            return candidate;
        }
    }
}

/// Lower-case letters and digits of `text`, with single dashes between words.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for word in text.to_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

/// The id of a new local framework named `name`, made unique by `suffix` (e.g. part of a random id).
pub fn local_framework_id(name: &str, suffix: &str) -> FrameworkId {
    let stem: String = slug(name).chars().take(40).collect::<String>().trim_end_matches('-').to_owned();
    let id = if stem.is_empty() { format!("local-{suffix}") } else { format!("local-{stem}-{suffix}") };
    FrameworkId::try_from(id).expect("a slug is a valid id")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> SheetGrid {
        SheetGrid { name: "Functions".into(), rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect() }
    }

    fn context<'a>(existing: Option<&'a Framework>, taken: &'a HashSet<FunctionId>) -> FrameworkContext<'a> {
        FrameworkContext { existing, new_id: "local-team-x".parse().unwrap(), taken, fallback_name: "team-file" }
    }

    #[test]
    fn a_hand_made_list_carries_categories_down_and_names_the_framework() {
        let read = read_framework_sheet(&grid(&[
            &["Team functions (version 3)"],
            &["What our team does"],
            &[""],
            &["Category", "Function", "Statement"],
            &["Contact", "Phone people back", "Phone people back within a day"],
            &["", "Write letters", ""],
            &[""],
            &["Records", "=HYPERLINK(\"x\")", ""],
            &["Records", "Keep notes", ""],
        ]))
        .unwrap();
        assert_eq!(read.name.as_deref(), Some("Team functions"));
        assert_eq!(read.description.as_deref(), Some("What our team does"));
        let rows: Vec<(&str, &str, &str)> = read.functions.iter().map(|f| (f.category.as_str(), f.label.as_str(), f.statement.as_str())).collect();
        assert_eq!(
            rows,
            [
                ("Contact", "Phone people back", "Phone people back within a day"),
                ("Contact", "Write letters", "Write letters"),
                ("Records", "Keep notes", "Keep notes"),
            ]
        );
        assert_eq!((read.unmatched[0].row, read.unmatched[0].column.as_str()), (8, "B"));

        let taken = HashSet::new();
        let plan = plan_framework(&read, &context(None, &taken)).unwrap();
        let ids: Vec<String> = plan.framework.functions().map(|f| f.id.to_string()).collect();
        assert_eq!(ids, ["local-team-x.1", "local-team-x.2", "local-team-x.3"]);
        assert_eq!(plan.framework.categories().iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["contact", "records"]);
        assert_eq!((plan.added, plan.changed, plan.unchanged, plan.replaces), (3, 0, 0, None));
        assert_eq!(plan.framework.version(), 1);
    }

    #[test]
    fn a_sheet_without_the_headings_is_not_a_framework() {
        assert_eq!(read_framework_sheet(&grid(&[&["Function", "Org A"], &["Phone", "x"]])), None);
        let empty = read_framework_sheet(&grid(&[&["Category", "Function"]])).unwrap();
        assert!(plan_framework(&empty, &context(None, &HashSet::new())).unwrap_err().contains("no functions"));
    }

    #[test]
    fn ids_used_by_other_frameworks_are_replaced() {
        let read = read_framework_sheet(&grid(&[
            &["Category", "Id", "Function"],
            &["Communication", "comm-01", "Build relationships"],
            &["Communication", "mine-1", "Listen"],
            &["Communication", "Bad Id!", "Write"],
        ]))
        .unwrap();
        assert_eq!(read.unmatched.len(), 1);
        let taken: HashSet<FunctionId> = ["comm-01".parse().unwrap()].into();
        let plan = plan_framework(&read, &context(None, &taken)).unwrap();
        let ids: Vec<String> = plan.framework.functions().map(|f| f.id.to_string()).collect();
        assert_eq!(ids, ["local-team-x.1", "mine-1", "local-team-x.2"]);
        assert!(plan.warnings.iter().any(|w| w.starts_with("1 function ids")));
    }

    #[test]
    fn updating_matches_by_id_then_wording_and_keeps_what_the_file_leaves_out() {
        let first = read_framework_sheet(&grid(&[
            &["Category", "Function"],
            &["Contact", "Phone people back"],
            &["Contact", "Write letters"],
            &["Records", "Keep notes"],
        ]))
        .unwrap();
        let taken = HashSet::new();
        let existing = plan_framework(&first, &context(None, &taken)).unwrap().framework;

        let second = read_framework_sheet(&grid(&[
            &["Category", "Id", "Function", "Statement"],
            &["Contact", "local-team-x.1", "Phone people back the same day", ""],
            &["Contact", "", "write letters", "Write letters"],
            &["Contact", "", "Send emails", ""],
            &["Contact", "", "Send emails", ""],
        ]))
        .unwrap();
        let plan = plan_framework(&second, &context(Some(&existing), &taken)).unwrap();
        assert_eq!((plan.added, plan.changed, plan.unchanged), (1, 2, 0));
        assert_eq!(plan.replaces, Some(1));
        assert_eq!(plan.framework.version(), 2);
        assert_eq!(plan.framework.id(), existing.id());
        let ids: Vec<String> = plan.framework.functions().map(|f| f.id.to_string()).collect();
        assert_eq!(ids, ["local-team-x.1", "local-team-x.2", "local-team-x.4", "local-team-x.3"]);
        assert_eq!(plan.changes[0].from, "Phone people back");
        assert_eq!(plan.changes[0].to, "Phone people back the same day");
        assert!(plan.warnings.iter().any(|w| w.contains("local-team-x.3")), "{:?}", plan.warnings);
        assert!(plan.warnings.iter().any(|w| w.contains("listed twice")));

        let again = plan_framework(
            &read_framework_sheet(&grid(&[
                &["Category", "Id", "Function"],
                &["Contact", "local-team-x.1", "Phone people back"],
                &["Contact", "local-team-x.2", "Write letters"],
                &["Records", "local-team-x.3", "Keep notes"],
            ]))
            .unwrap(),
            &context(Some(&existing), &taken),
        )
        .unwrap();
        assert_eq!((again.added, again.changed, again.unchanged, again.framework.version()), (0, 0, 3, 1));
        assert_eq!(again.framework, existing.clone());
    }

    #[test]
    fn local_ids_are_slugs() {
        assert_eq!(local_framework_id("Team functions: 2026!", "1a2b").as_str(), "local-team-functions-2026-1a2b");
        assert_eq!(local_framework_id("", "1a2b").as_str(), "local-1a2b");
        assert!(local_framework_id(&"long name ".repeat(20), "0123456789ab").as_str().len() <= 64);
    }
}
