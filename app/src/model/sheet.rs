//! The rules for matrices in spreadsheets, over a sheet's cells as text: writing text no
//! spreadsheet program will run as a formula, naming places as people do (sheet, row, column
//! letters), reading the marks people type, matching function labels that were shortened or
//! reworded, and finding a hand-made matrix's header row and function column. Turning bytes
//! into grids, and grids into bytes, happens elsewhere.

use super::framework::Category;
use super::ids::FunctionId;
use super::matrix::Level;
use serde::{Deserialize, Serialize};

/// One sheet's cells as text, row by row; blank cells are empty strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetGrid {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

impl SheetGrid {
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows.get(row).and_then(|r| r.get(column)).map_or("", |text| text.as_str())
    }

    fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// The characters that make a spreadsheet program read text as a formula (OWASP ASVS 5.0,
/// 1.2.10).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text as written to a spreadsheet cell: text that would start a formula gets a leading
/// apostrophe, which spreadsheet programs show as text and never run.
pub fn safe_text(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) { format!("'{text}") } else { text.to_owned() }
}

/// Whether a cell as read holds formula text someone could have meant to run: it starts with
/// "=", "+" or "@" (a leading "-" is taken as a dash, as in lists). Such text is never taken as
/// a name or a label; text caremap wrote safely starts with an apostrophe instead.
pub fn is_formula(raw: &str) -> bool {
    raw.trim_start().starts_with(['=', '+', '@'])
}

/// Undoes `safe_text`, so text read back is the text written.
pub fn unsafe_text(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// A column's letters as spreadsheets name them: 0 is "A", 26 is "AA".
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// A place in a workbook, as people find it: the sheet, the row number from 1 and the column
/// letters, with the text there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    pub sheet: String,
    pub row: usize,
    pub column: String,
    pub text: String,
    /// Why it was not understood.
    pub reason: String,
}

impl Unmatched {
    /// The place, with enough of its text to find it by: a report never holds a cell's whole
    /// text, however long.
    pub fn at(grid: &SheetGrid, row: usize, column: usize, reason: impl Into<String>) -> Self {
        Unmatched { sheet: grid.name.clone(), row: row + 1, column: column_letters(column), text: excerpt(grid.cell(row, column)), reason: reason.into() }
    }
}

/// The most places not understood that one read lists in full.
pub const MAX_LISTED: usize = 1_000;

/// The places a read did not understand: the first [`MAX_LISTED`] in full, the rest counted,
/// so that a sheet of millions of odd cells makes a report of a thousand.
#[derive(Debug, Default)]
pub struct Places {
    listed: Vec<Unmatched>,
    more: usize,
}

impl Places {
    pub fn push(&mut self, place: Unmatched) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(place);
        } else {
            self.more += 1;
        }
    }

    /// The places listed, and a warning saying how many more there were, if any.
    pub fn finish(self) -> (Vec<Unmatched>, Option<String>) {
        let more = (self.more > 0).then(|| format!("{} more places were not understood; only the first {MAX_LISTED} are listed.", self.more));
        (self.listed, more)
    }
}

/// The most characters of a cell's text a report repeats.
const EXCERPT_CHARS: usize = 100;

/// The start of `text`, cut at a character with "…" if it is longer than a report repeats.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// What a cell's mark says: the full level (fully provided, leads, ...), the partial one, or
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mark {
    Full,
    Partial,
    Empty,
}

/// Reads the marks people type in a matrix: ✓ ✔ x yes y 1 true for full; partial, part, p for
/// partial; blank, no, n, 0, false for nothing; and each matrix's own words for its levels.
/// Answers `None` for anything else.
pub fn read_mark(text: &str) -> Option<Mark> {
    let text = unsafe_text(text.trim()).trim().to_lowercase();
    let text = text.trim_end_matches('.');
    const FULL: [&str; 16] = ["✓", "✔", "☑", "✅", "x", "yes", "y", "1", "true", "fully", "fully provided", "full", "f", "leads", "lead", "l"];
    const PARTIAL: [&str; 10] = ["partial", "part", "p", "partly", "partly provided", "partially", "supports", "support", "s", "½"];
    const EMPTY: [&str; 12] = ["", "no", "n", "0", "false", "none", "not provided", "-", "–", "—", "✗", "✘"];
    if FULL.contains(&text) {
        Some(Mark::Full)
    } else if PARTIAL.contains(&text) {
        Some(Mark::Partial)
    } else if EMPTY.contains(&text) {
        Some(Mark::Empty)
    } else {
        None
    }
}

/// Words that say little about which function a label means.
const STOP_WORDS: [&str; 22] =
    ["a", "all", "an", "and", "are", "as", "be", "by", "for", "in", "is", "it", "of", "on", "or", "the", "their", "them", "to", "who", "with", "that"];

/// Lower case, "&" as "and", punctuation as spaces, single spaces; a leading number or
/// function id ("1.", "comm-01") dropped.
pub fn normalise(text: &str) -> String {
    let text = unsafe_text(text.trim()).to_lowercase().replace('&', " and ");
    let words: Vec<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_owned).collect();
    let skip = words.iter().take_while(|w| w.chars().all(|c| c.is_ascii_digit()) || is_id_prefix(w)).count();
    words[skip.min(words.len())..].join(" ")
}

/// "comm", "supp" and the like: the letters of a function id, before its number.
fn is_id_prefix(word: &str) -> bool {
    ["comm", "supp", "info", "local", "bus", "core", "cpa"].contains(&word)
}

fn content_words(normalised: &str) -> Vec<&str> {
    normalised.split(' ').filter(|w| !w.is_empty() && !STOP_WORDS.contains(w)).map(|w| w.trim_end_matches('s')).collect()
}

/// The Sørensen–Dice coefficient of two texts' letter pairs: 1 for the same letters in the same
/// order, near 0 for unrelated text. Sorting the pairs first keeps it near-linear in the texts'
/// lengths.
fn letter_pairs_similarity(a: &str, b: &str) -> f64 {
    let pairs = |text: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = text.chars().filter(|c| *c != ' ').collect();
        let mut pairs: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        pairs.sort_unstable();
        pairs
    };
    let (a, b) = (pairs(a), pairs(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut shared, mut i, mut j) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// How well `label` (normalised) names `target` (normalised): letter-pair similarity, or for a
/// shortened label of two or more words, the share of its words found in the target.
pub fn similarity(label: &str, target: &str) -> f64 {
    if label == target {
        return 1.0;
    }
    let dice = letter_pairs_similarity(label, target);
    let words = content_words(label);
    let target_words = content_words(target);
    let contained = if words.len() >= 2 { words.iter().filter(|w| target_words.contains(w)).count() as f64 / words.len() as f64 } else { 0.0 };
    dice.max(0.9 * contained)
}

/// A label matched to a function, and how sure the match is (1 for exact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionMatch {
    pub function_id: FunctionId,
    pub score: f64,
}

/// The longest text compared with functions' wording, in bytes: twice the longest statement of
/// the built-in frameworks, and a bound on the work one cell can cause.
pub const MAX_LABEL_BYTES: usize = 1_000;

/// Below this, a label is not taken to name a function.
const MATCH_THRESHOLD: f64 = 0.6;
/// The best match must beat the next by this much, or the label is ambiguous.
const MATCH_MARGIN: f64 = 0.05;

/// Matches labels to the functions of some frameworks, their wording normalised once.
pub struct FunctionMatcher<'a> {
    functions: Vec<(&'a FunctionId, String, String)>,
}

impl<'a> FunctionMatcher<'a> {
    pub fn new(categories: &'a [Category]) -> Self {
        let functions = categories.iter().flat_map(|c| &c.functions).map(|f| (&f.id, normalise(&f.label), normalise(&f.statement))).collect();
        FunctionMatcher { functions }
    }

    /// The function a label names: by its id anywhere in the text ("comm-01"), by its label or
    /// statement, or by the closest of them if close enough and clearly closest. Text longer
    /// than any function's wording names none, and is not compared.
    pub fn find(&self, text: &str) -> Result<FunctionMatch, String> {
        if text.len() > MAX_LABEL_BYTES {
            return Err(format!("too long to name a function (over {MAX_LABEL_BYTES} characters)"));
        }
        let lowered = text.trim().to_lowercase();
        let words: Vec<&str> = lowered.split(|c: char| c.is_whitespace() || c == ':' || c == '.').collect();
        if let Some((id, ..)) = self.functions.iter().find(|(id, ..)| words.contains(&id.as_str())) {
            return Ok(FunctionMatch { function_id: (*id).clone(), score: 1.0 });
        }
        let label = normalise(text);
        if label.is_empty() {
            return Err("blank".into());
        }
        let mut scores: Vec<(f64, &FunctionId)> =
            self.functions.iter().map(|(id, wording, statement)| (similarity(&label, wording).max(similarity(&label, statement)), *id)).collect();
        scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        match scores.as_slice() {
            [(best, id), rest @ ..] if *best >= MATCH_THRESHOLD => match rest.first() {
                Some((next, other)) if best - next < MATCH_MARGIN && *best < 1.0 => {
                    Err(format!("could be {id} or {other}: write more of the function's wording"))
                }
                _ => Ok(FunctionMatch { function_id: (*id).clone(), score: *best }),
            },
            _ => Err("not a function of these frameworks".into()),
        }
    }
}

/// The function a label names, as `FunctionMatcher::find` says.
pub fn match_function(text: &str, categories: &[Category]) -> Result<FunctionMatch, String> {
    FunctionMatcher::new(categories).find(text)
}

/// A column of a matrix read from a sheet: an organisation, role or person named in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadColumn {
    pub name: String,
    /// The column's letters in the sheet.
    pub letters: String,
}

/// A cell of a matrix read from a sheet: the column (an index into the columns), the function
/// and the mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCell<M> {
    pub column: usize,
    pub function_id: FunctionId,
    pub mark: M,
}

/// A function row matched by similarity rather than exactly, to show before saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuzzyMatch {
    pub row: usize,
    pub text: String,
    pub function_id: FunctionId,
    pub percent: u32,
}

/// A matrix as read from a sheet laid out by hand in the guide's way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadMatrix<M> {
    pub columns: Vec<ReadColumn>,
    pub cells: Vec<ReadCell<M>>,
    /// The functions found, in the sheet's order.
    pub functions: Vec<FunctionId>,
    pub fuzzy: Vec<FuzzyMatch>,
    pub unmatched: Vec<Unmatched>,
    /// Things understood but worth a look, e.g. a function listed twice.
    pub warnings: Vec<String>,
    /// The header fields above the matrix, e.g. ("Area", "Northshire"), as "Label:" cells
    /// with their value in the next filled cell to the right.
    pub fields: Vec<(String, String)>,
}

impl<M> ReadMatrix<M> {
    /// A header field's value, by its label in any case.
    pub fn field(&self, label: &str) -> Option<&str> {
        self.fields.iter().find(|(name, _)| name.eq_ignore_ascii_case(label)).map(|(_, value)| value.as_str())
    }
}

/// Header words that name no organisation, role or person: the sheet's own columns.
const NOT_COLUMNS: [&str; 9] = ["function", "functions", "status", "gap", "gaps", "notes", "note", "comment", "comments"];

/// Where the function column is looked for: a matrix starts near the top left.
const SEARCH_ROWS: usize = 200;
const SEARCH_COLUMNS: usize = 10;

/// A matrix level from what a cell says: its own label ("Fully provided", "Leads"), or a
/// common mark for the full or partial level or for nothing.
pub fn read_level<L: Level>(text: &str) -> Option<L> {
    let trimmed = unsafe_text(text.trim()).trim();
    if let Some(level) = L::ALL.into_iter().find(|level| level.label().eq_ignore_ascii_case(trimmed)) {
        return Some(level);
    }
    let [empty, partial, full] = L::ALL;
    read_mark(trimmed).map(|mark| match mark {
        Mark::Full => full,
        Mark::Partial => partial,
        Mark::Empty => empty,
    })
}

/// Reads a matrix laid out as in the guide's appendices: function labels down one column (the
/// one where most cells name functions), and above the first function the header row naming
/// the columns across. Category band rows, blank rows and merged-away cells are passed over;
/// each cell is read by `read` (which `expected` describes), and a row or cell not understood
/// is reported with its place while the rest is read.
pub fn read_matrix<M>(grid: &SheetGrid, categories: &[Category], read: impl Fn(&str) -> Option<M>, expected: &str) -> Result<ReadMatrix<M>, String> {
    let rows = grid.rows.len();
    let width = grid.width();
    let matcher = FunctionMatcher::new(categories);
    let searched = width.min(SEARCH_COLUMNS);
    let matched: Vec<Vec<Option<FunctionMatch>>> =
        (0..rows.min(SEARCH_ROWS)).map(|row| (0..searched).map(|column| matcher.find(grid.cell(row, column)).ok()).collect()).collect();
    let function_column = (0..searched)
        .map(|column| (matched.iter().filter(|row| row[column].is_some()).count(), column))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .filter(|(count, _)| *count > 0)
        .map(|(_, column)| column)
        .ok_or_else(|| format!("No function labels were found on the sheet “{}”: a matrix lists the functions down one column.", grid.name))?;
    let first_function = matched.iter().position(|row| row[function_column].is_some()).expect("the column has a match");
    // A band row names a category, perhaps with more words ("Core functions for all workers").
    let is_category = |text: &str| {
        let text = normalise(text);
        !text.is_empty() && categories.iter().any(|c| text.starts_with(&normalise(&c.name)))
    };
    let header = (0..first_function)
        .rev()
        .find(|&row| (function_column + 1..width).any(|column| !grid.cell(row, column).trim().is_empty()))
        .ok_or_else(|| format!("No header row naming the columns was found above row {} on the sheet “{}”.", first_function + 1, grid.name))?;
    let reader = read;
    let fields = (0..header)
        .filter_map(|row| {
            let label = (0..width).find(|&column| grid.cell(row, column).trim().ends_with(':'))?;
            let value = (label + 1..width).map(|column| grid.cell(row, column).trim()).find(|text| !text.is_empty())?;
            Some((grid.cell(row, label).trim().trim_end_matches(':').trim().to_owned(), unsafe_text(value).to_owned()))
        })
        .collect();
    let mut read =
        ReadMatrix { columns: Vec::new(), cells: Vec::new(), functions: Vec::new(), fuzzy: Vec::new(), unmatched: Vec::new(), warnings: Vec::new(), fields };
    let mut places = Places::default();
    let mut sheet_columns = Vec::new();
    // Names already heading a column (in lower case), with their column's letters.
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for column in function_column + 1..width {
        if is_formula(grid.cell(header, column)) {
            places.push(Unmatched::at(grid, header, column, "formula text is never taken as a name"));
            continue;
        }
        let name = unsafe_text(grid.cell(header, column).trim()).to_owned();
        if name.is_empty() || NOT_COLUMNS.contains(&name.to_lowercase().trim_end_matches(':')) {
            continue;
        }
        if let Some(first) = seen.get(&name.to_lowercase()) {
            read.warnings.push(format!("“{name}” heads more than one column; only the first, column {first}, is read."));
            continue;
        }
        seen.insert(name.to_lowercase(), column_letters(column));
        read.columns.push(ReadColumn { name, letters: column_letters(column) });
        sheet_columns.push(column);
    }
    for row in header + 1..rows {
        let label = grid.cell(row, function_column);
        let marks: Vec<&str> = sheet_columns.iter().map(|&column| grid.cell(row, column)).collect();
        if is_formula(label) {
            places.push(Unmatched::at(grid, row, function_column, "formula text is never taken as a function"));
            continue;
        }
        let found = match matcher.find(label) {
            Ok(found) => found,
            Err(_) if label.trim().is_empty() || is_category(label) => {
                if let Some(offset) = marks.iter().position(|m| !m.trim().is_empty()) {
                    places.push(Unmatched::at(grid, row, sheet_columns[offset], "a mark on a row with no function"));
                }
                continue;
            }
            Err(reason) => {
                places.push(Unmatched::at(grid, row, function_column, reason));
                continue;
            }
        };
        if read.functions.contains(&found.function_id) {
            read.warnings.push(format!("{} is listed again on row {}; that row is not read.", found.function_id, row + 1));
            continue;
        }
        if found.score < 1.0 {
            let percent = (found.score * 100.0).round() as u32;
            read.fuzzy.push(FuzzyMatch { row: row + 1, text: label.trim().to_owned(), function_id: found.function_id.clone(), percent });
        }
        read.functions.push(found.function_id.clone());
        for (index, (&column, text)) in sheet_columns.iter().zip(marks).enumerate() {
            match reader(text) {
                Some(mark) => read.cells.push(ReadCell { column: index, function_id: found.function_id.clone(), mark }),
                None => places.push(Unmatched::at(grid, row, column, format!("not a mark caremap knows: use {expected}"))),
            }
        }
    }
    let (listed, more) = places.finish();
    read.unmatched = listed;
    read.warnings.extend(more);
    Ok(read)
}

/// Reads CSV text (RFC 4180: quoted fields may hold the separator, quotes doubled and line
/// breaks), passing each field that is not blank to `cell` with its row and column, as it is
/// read: a file of empty fields costs nothing. The separator is the one of comma, semicolon
/// or tab that the first line uses most outside quotes, as spreadsheet programs in different
/// countries write them. Stops at the first error `cell` answers.
pub fn each_csv_cell<E>(text: &str, mut cell: impl FnMut(usize, usize, String) -> Result<(), E>) -> Result<(), E> {
    // The first record's characters, each with whether it is inside quotes.
    let mut quoted = false;
    let first_record: Vec<(char, bool)> = text
        .chars()
        .map(|c| {
            if c == '"' {
                quoted = !quoted;
            }
            (c, quoted)
        })
        .take_while(|(c, quoted)| *quoted || (*c != '\n' && *c != '\r'))
        .collect();
    let count = |separator: char| first_record.iter().filter(|(c, quoted)| !quoted && *c == separator).count();
    let separator = [',', ';', '\t'].into_iter().max_by_key(|s| (count(*s), *s == ',')).unwrap_or(',');
    let (mut row, mut column) = (0, 0);
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut end_field = |field: &mut String, row: usize, column: usize| {
        let text = std::mem::take(field);
        if text.is_empty() { Ok(()) } else { cell(row, column, text) }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            c if !quoted && c == separator => {
                end_field(&mut field, row, column)?;
                column += 1;
            }
            '\r' if !quoted => {}
            '\n' if !quoted => {
                end_field(&mut field, row, column)?;
                (row, column) = (row + 1, 0);
            }
            c => field.push(c),
        }
    }
    end_field(&mut field, row, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CareFunction;

    fn categories() -> Vec<Category> {
        let function = |id: &str, label: &str, statement: &str| CareFunction { id: id.parse().unwrap(), label: label.into(), statement: statement.into() };
        vec![
            Category {
                id: "communication".parse().unwrap(),
                name: "Communication".into(),
                functions: vec![
                    function(
                        "comm-01",
                        "Build strong relationships with people who access care and support",
                        "Build strong relationships with people who access care and support.",
                    ),
                    function(
                        "comm-02",
                        "Work with families and carers closely to ensure good communication",
                        "Work with families and carers closely to ensure good communication.",
                    ),
                    function(
                        "comm-03",
                        "Check understanding with all parties",
                        "Check understanding with all those the person would like involved in their care.",
                    ),
                    function("comm-06", "Follow up to make sure referrals have happened", "Follow up to make sure referrals have happened."),
                ],
            },
            Category {
                id: "core".parse().unwrap(),
                name: "Core functions for all workers".into(),
                functions: vec![function("core-05", "Safeguarding", "Keep people safe from abuse and neglect.")],
            },
        ]
    }

    fn grid(rows: &[&[&str]]) -> SheetGrid {
        SheetGrid { name: "Matrix".into(), rows: rows.iter().map(|r| r.iter().map(|c| (*c).to_owned()).collect()).collect() }
    }

    #[test]
    fn formula_text_is_written_safely_and_read_back_as_it_was() {
        for text in ["=1+2", "+44 1234", "-5", "@SUM(A1)", "\tTab", "\rReturn"] {
            let safe = safe_text(text);
            assert!(safe.starts_with('\''), "{text:?}");
            assert_eq!(unsafe_text(&safe), text);
        }
        assert_eq!(safe_text("Age UK"), "Age UK");
        assert_eq!(unsafe_text("'quoted'"), "'quoted'", "an apostrophe before ordinary text is the text's own");
    }

    #[test]
    fn columns_are_named_by_letters() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702, 16_383].into_iter().map(column_letters).collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn common_marks_are_read() {
        for full in ["✓", "✔", "x", "X", "yes", "Y", "1", "TRUE", "Fully provided", "Leads"] {
            assert_eq!(read_mark(full), Some(Mark::Full), "{full}");
        }
        for partial in ["partial", "Part", "p", "Partly provided", "supports"] {
            assert_eq!(read_mark(partial), Some(Mark::Partial), "{partial}");
        }
        for empty in ["", "  ", "no", "N", "0", "false", "Not provided", "-"] {
            assert_eq!(read_mark(empty), Some(Mark::Empty), "{empty:?}");
        }
        assert_eq!(read_mark("maybe"), None);
        assert_eq!(read_mark("=1"), None);
    }

    #[test]
    fn reworded_and_shortened_labels_find_their_function() {
        let categories = categories();
        let id = |text: &str| match_function(text, &categories).map(|m| m.function_id.to_string());
        assert_eq!(id("comm-02: anything at all").unwrap(), "comm-02", "an id in the text decides");
        assert_eq!(id("Build strong relationships with people who access care and support").unwrap(), "comm-01");
        assert_eq!(id("  BUILD strong relationships with people who access care & support. ").unwrap(), "comm-01");
        assert_eq!(id("Build relationships").unwrap(), "comm-01", "shortened");
        assert_eq!(id("Work closely with families & carers to ensure good communication").unwrap(), "comm-02", "reworded");
        assert_eq!(id("Check understanding with all those the person would like involved").unwrap(), "comm-03", "the body's wording");
        assert_eq!(id("3. Follow-up to make sure referrals happened").unwrap(), "comm-06", "numbered, hyphenated");
        assert!(id("Parking arrangements for visitors").is_err());
        assert!(id("").is_err());
    }

    #[test]
    fn a_hand_made_matrix_is_read_with_its_header_bands_and_marks() {
        let sheet = grid(&[
            &["Organisation coordinating care function mapping matrix"],
            &["Area:", "Northshire"],
            &["Date:", "1 April 2026"],
            &[],
            &["", "Age UK", "", "GP surgery", "Notes"],
            &["Communication"],
            &["Build relationships", "✓", "", "partly", "ok"],
            &["Work with families and carers", "", "", "x"],
            &[],
            &["Parking for visitors", "yes"],
            &["Follow up referrals", "maybe", "", "no"],
            &["Build strong relationships with people who access care and support", "✓"],
            &["Core functions for all workers", "✓"],
        ]);
        let read = read_matrix(&sheet, &categories(), read_mark, "✓, partly or blank").unwrap();
        assert_eq!(read.columns, [ReadColumn { name: "Age UK".into(), letters: "B".into() }, ReadColumn { name: "GP surgery".into(), letters: "D".into() }]);
        let ids: Vec<&str> = read.functions.iter().map(FunctionId::as_str).collect();
        assert_eq!(ids, ["comm-01", "comm-02", "comm-06"]);
        let marks: Vec<(usize, &str, Mark)> = read.cells.iter().map(|c| (c.column, c.function_id.as_str(), c.mark)).collect();
        assert_eq!(
            marks,
            [(0, "comm-01", Mark::Full), (1, "comm-01", Mark::Partial), (0, "comm-02", Mark::Empty), (1, "comm-02", Mark::Full), (1, "comm-06", Mark::Empty),]
        );
        let places: Vec<(usize, &str, &str)> = read.unmatched.iter().map(|u| (u.row, u.column.as_str(), u.text.as_str())).collect();
        assert_eq!(places, [(10, "A", "Parking for visitors"), (11, "B", "maybe"), (13, "B", "✓")]);
        assert_eq!(read.fuzzy.len(), 3, "three labels matched by similarity: {:?}", read.fuzzy);
        assert_eq!(read.warnings.len(), 1, "comm-01 twice: {:?}", read.warnings);
        assert_eq!((read.field("area"), read.field("Date")), (Some("Northshire"), Some("1 April 2026")));
    }

    #[test]
    fn a_sheet_without_functions_or_header_says_so() {
        let error = read_matrix(&grid(&[&["Name", "Phone"], &["Ann", "0123"]]), &categories(), read_mark, "").unwrap_err();
        assert!(error.contains("No function labels were found on the sheet “Matrix”"), "{error}");
        let error = read_matrix(&grid(&[&["Follow up to make sure referrals have happened", "✓"]]), &categories(), read_mark, "").unwrap_err();
        assert!(error.contains("No header row"), "{error}");
    }

    #[test]
    fn every_built_in_function_is_found_by_its_label_its_statement_and_its_first_words() {
        let frameworks = crate::frameworks::builtin().unwrap();
        for framework in &frameworks {
            let categories = framework.categories();
            let matcher = FunctionMatcher::new(categories);
            for function in categories.iter().flat_map(|c| &c.functions) {
                let first_words: Vec<&str> = function.label.split(' ').take(5).collect();
                for text in [function.label.clone(), function.statement.clone(), first_words.join(" ")] {
                    match matcher.find(&text) {
                        Ok(found) => assert_eq!(found.function_id, function.id, "{text:?} in {}", framework.id()),
                        // A few words can fit two functions; then the label is refused, never misread.
                        Err(reason) => assert!(text == first_words.join(" ") && reason.starts_with("could be"), "{text:?}: {reason}"),
                    }
                }
            }
        }
    }

    #[test]
    fn csv_is_read_with_quotes_line_breaks_and_the_local_separator() {
        let cells = |text: &str| {
            let mut found = Vec::new();
            each_csv_cell(text, |row, column, text| {
                let _: () = found.push((row, column, text));
                Ok::<_, ()>(())
            })
            .unwrap();
            found
        };
        let owned = |list: &[(usize, usize, &str)]| list.iter().map(|(r, c, t)| (*r, *c, t.to_string())).collect::<Vec<_>>();
        assert_eq!(
            cells("Function,\"Age UK, North\",GP\r\n\"Say \"\"hello\"\"\nthen listen\",x,\n"),
            owned(&[(0, 0, "Function"), (0, 1, "Age UK, North"), (0, 2, "GP"), (1, 0, "Say \"hello\"\nthen listen"), (1, 1, "x")])
        );
        assert_eq!(
            cells("a;b;c\n1;2;3"),
            owned(&[(0, 0, "a"), (0, 1, "b"), (0, 2, "c"), (1, 0, "1"), (1, 1, "2"), (1, 2, "3")]),
            "semicolons, as in much of Europe"
        );
        assert_eq!(cells("a\tb\n"), owned(&[(0, 0, "a"), (0, 1, "b")]));
        assert!(cells("").is_empty());
        assert_eq!(cells(&",".repeat(1_000_000)), [], "empty fields are not cells");
        assert_eq!(each_csv_cell("a,b,c", |_, column, _| if column == 1 { Err("stop") } else { Ok(()) }), Err("stop"));
    }

    #[test]
    fn levels_are_read_from_their_labels_and_from_marks() {
        use crate::model::org_map::Provision;
        use crate::model::role_map::Involvement;
        assert_eq!(read_level::<Provision>("Fully provided"), Some(Provision::Fully));
        assert_eq!(read_level::<Provision>("partly PROVIDED"), Some(Provision::Partly));
        assert_eq!(read_level::<Provision>("✓"), Some(Provision::Fully));
        assert_eq!(read_level::<Provision>(""), Some(Provision::NotProvided));
        assert_eq!(read_level::<Involvement>("Supports"), Some(Involvement::Supports));
        assert_eq!(read_level::<Involvement>("x"), Some(Involvement::Leads));
        assert_eq!(read_level::<Involvement>("sometimes"), None);
    }

    #[test]
    fn what_is_read_stays_bounded_however_odd_the_sheet() {
        // A label longer than any function's wording is refused without being compared.
        let categories = categories();
        let matcher = FunctionMatcher::new(&categories);
        let long = "build strong relationships ".repeat(2_000);
        assert!(matcher.find(&long).unwrap_err().contains("too long to name a function"));
        // Letter pairs are counted as a multiset: order does not matter, repeats count once each.
        assert_eq!(letter_pairs_similarity("abab", "baba"), 2.0 * 2.0 / 6.0);
        assert_eq!(letter_pairs_similarity("night", "nacht"), 0.25);
        // A report repeats the start of a cell's text, never all of it.
        assert_eq!(excerpt("short"), "short");
        assert_eq!(excerpt(&"é".repeat(150)), format!("{}…", "é".repeat(100)));
        // A sheet of many odd cells lists a thousand of them and counts the rest.
        use crate::model::org_map::Provision;
        let mut rows = vec![vec!["Function".to_owned(), "Age UK".to_owned()], vec!["Build strong relationships".to_owned(), "x".to_owned()]];
        rows.extend((0..1_500).map(|i| vec![format!("Parking space {i}"), "x".to_owned()]));
        let grid = SheetGrid { name: "Matrix".into(), rows };
        let read = read_matrix(&grid, &categories, read_level::<Provision>, "x").unwrap();
        assert_eq!(read.cells.len(), 1);
        assert_eq!(read.unmatched.len(), MAX_LISTED);
        assert!(read.warnings.iter().any(|w| w.starts_with("500 more places were not understood")), "{:?}", read.warnings);
    }
}
