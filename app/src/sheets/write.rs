//! Spreadsheets out, laid out like the guide's appendices: a title and header fields, the
//! functions down in category bands, the columns across with rotated headers, a drop-down of
//! the cell states, a status per function worked out by formula and gaps coloured by
//! conditional formatting (so both follow edits made in Excel or LibreOffice), a Summary sheet,
//! A4 landscape printing, and a hidden sheet of ids that makes reading the file back lossless.
//! Text that could start a formula is written so that it never runs.

use crate::model::matrix::{Analysis, Level, RowStatus, StoredCell, cell_index};
use crate::model::org_map::{OrgMap, PlanAction};
use crate::model::programme::{Activity, CatalogueEntry, Learner, Need, Priority, Programme};
use crate::model::role_map::RoleMap;
use crate::model::sheet::{column_letters, safe_text};
use crate::model::{Category, FunctionId, function_label};
use crate::model::{Framework, Id, Pence};
use rust_xlsxwriter::{Color, ConditionalFormatFormula, DataValidation, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

/// The hidden sheet that carries ids.
pub const METADATA_SHEET: &str = "caremap";
/// The sheet that holds the matrix.
pub const MATRIX_SHEET: &str = "Matrix";
/// The sheets of a learning workbook: the priorities, and the needs in full.
pub const LEARNING_SHEET: &str = "Learning matrix";
pub const NEEDS_SHEET: &str = "Needs";

/// A column across a matrix: an organisation, a role or a person.
pub struct ExportColumn<R> {
    pub id: Id<R>,
    pub name: String,
}

/// Everything a matrix sheet shows.
pub struct MatrixExport<'a, L: Level> {
    /// "org-map", "role-map" or "learning", written to the metadata so a re-import knows.
    pub kind: &'static str,
    pub id: &'a str,
    pub title: String,
    /// Header fields, e.g. ("Area", "Northshire").
    pub fields: Vec<(&'static str, String)>,
    /// The functions down, by category.
    pub categories: &'a [Category],
    pub columns: Vec<ExportColumn<L::Column>>,
    pub cells: &'a [StoredCell<L>],
    pub analysis: &'a Analysis,
    pub status_label: fn(RowStatus) -> &'static str,
    /// More full columns than this is flagged.
    pub threshold: u32,
}

/// The function column's width, in characters.
const LABEL_WIDTH: usize = 60;

/// Cell colours, as on the page.
const BRAND: u32 = 0x0A4F5C;
const GAP: u32 = 0xFBE3E4;
const PARTIAL: u32 = 0xFDECD9;
const SINGLE: u32 = 0xFBF3D0;
const DUPLICATION: u32 = 0xEFE5F7;
const FULL_CELL: u32 = 0xD8EFDD;
const PARTIAL_CELL: u32 = 0xFDF1D6;

/// The formats a matrix sheet uses.
struct Formats {
    title: Format,
    field: Format,
    header: Format,
    rotated: Format,
    band: Format,
    function: Format,
    cell: Format,
}

impl Formats {
    fn new() -> Self {
        let border = |format: Format| format.set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xB1B4BB));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            field: Format::new().set_bold(),
            header: border(Format::new().set_bold().set_align(FormatAlign::Bottom).set_background_color(Color::RGB(0xF3F4F6))),
            rotated: border(Format::new().set_bold().set_rotation(90).set_align(FormatAlign::Center).set_background_color(Color::RGB(0xF3F4F6))),
            band: Format::new().set_bold().set_font_color(Color::White).set_background_color(Color::RGB(BRAND)),
            function: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
            cell: border(Format::new().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter)),
        }
    }
}

/// An organisation map as a workbook, like the guide's Appendix 1.
pub fn org_map_workbook(map: &OrgMap) -> Result<Vec<u8>, XlsxError> {
    let details = &map.summary.details;
    matrix_workbook(&MatrixExport {
        kind: "org-map",
        id: &map.summary.id,
        title: format!("Organisation coordinating care function mapping matrix: {}", details.area),
        fields: vec![("Area", details.area.clone()), ("Date", details.date.long())],
        categories: &map.categories,
        columns: map.organisations.iter().map(|o| ExportColumn { id: o.id.clone(), name: o.details.name.clone() }).collect(),
        cells: &map.cells,
        analysis: &map.analysis(),
        status_label: RowStatus::label,
        threshold: details.threshold,
    })
}

/// A role map as a workbook, like the guide's Appendix 2: the needed functions only.
pub fn role_map_workbook(map: &RoleMap) -> Result<Vec<u8>, XlsxError> {
    let details = &map.summary.details;
    matrix_workbook(&MatrixExport {
        kind: "role-map",
        id: &map.summary.id,
        title: format!("Role coordinating care function mapping matrix: {}", details.organisation),
        fields: vec![("Organisation", details.organisation.clone()), ("Date", details.date.long())],
        categories: &map.menu(),
        columns: map.roles.iter().map(|r| ExportColumn { id: r.id.clone(), name: r.details.title.clone() }).collect(),
        cells: &map.cells,
        analysis: &map.analysis().analysis,
        status_label: crate::model::role_map::status_label,
        threshold: crate::model::role_map::OVERLAP_THRESHOLD,
    })
}

/// Writes a matrix workbook and answers its bytes.
pub fn matrix_workbook<L: Level>(export: &MatrixExport<L>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let rows = write_matrix_sheet(workbook.add_worksheet(), export, &formats)?;
    write_summary_sheet(workbook.add_worksheet(), export, &formats)?;
    write_metadata_sheet(workbook.add_worksheet(), export, &rows)?;
    workbook.save_to_buffer()
}

/// Writes the matrix; answers each function's row, in order.
fn write_matrix_sheet<L: Level>(sheet: &mut Worksheet, export: &MatrixExport<L>, formats: &Formats) -> Result<Vec<(FunctionId, u32)>, XlsxError> {
    sheet.set_name(MATRIX_SHEET)?;
    sheet.write_string_with_format(0, 0, safe_text(&export.title), &formats.title)?;
    let mut row: u32 = 1;
    for (name, value) in &export.fields {
        sheet.write_string_with_format(row, 0, format!("{name}:"), &formats.field)?;
        sheet.write_string(row, 1, safe_text(value))?;
        row += 1;
    }
    let header = row + 1;
    let first_column: u16 = 2;
    let last_column = first_column + export.columns.len() as u16 - 1;
    sheet.write_string_with_format(header, 0, "Function", &formats.header)?;
    sheet.write_string_with_format(header, 1, "Status", &formats.header)?;
    sheet.set_row_height(header, 120)?;
    for (offset, column) in export.columns.iter().enumerate() {
        sheet.write_string_with_format(header, first_column + offset as u16, safe_text(&column.name), &formats.rotated)?;
    }
    sheet.set_column_width(0, LABEL_WIDTH as f64)?;
    sheet.set_column_width(1, 24)?;
    // Wide enough for "Fully provided" or "Supports" under a rotated name.
    sheet.set_column_range_width(first_column, first_column + export.columns.len().max(1) as u16 - 1, 15)?;

    let [empty, partial, full] = L::ALL;
    let index = cell_index(export.cells);
    let full_format = formats.cell.clone().set_background_color(Color::RGB(FULL_CELL));
    let partial_format = formats.cell.clone().set_background_color(Color::RGB(PARTIAL_CELL));
    let mut function_rows = Vec::new();
    row = header + 1;
    for category in export.categories {
        sheet.merge_range(row, 0, row, last_column.max(1), &safe_text(&category.name), &formats.band)?;
        row += 1;
        let first_row = row;
        for function in &category.functions {
            sheet.write_string_with_format(row, 0, safe_text(&function.label), &formats.function)?;
            // Spreadsheet programs do not grow a row for wrapped text written this way.
            let lines = function.label.chars().count().div_ceil(LABEL_WIDTH).max(1);
            sheet.set_row_height(row, 15.0 * lines as f64)?;
            for (offset, column) in export.columns.iter().enumerate() {
                let level = index.get(&(&function.id, &column.id)).map_or(empty, |cell| cell.level);
                let column = first_column + offset as u16;
                match level {
                    l if l == full => sheet.write_string_with_format(row, column, l.label(), &full_format)?,
                    l if l == partial => sheet.write_string_with_format(row, column, l.label(), &partial_format)?,
                    _ => sheet.write_blank(row, column, &formats.cell)?,
                };
            }
            let status = export.analysis.row(&function.id).map_or(RowStatus::Gap, |r| r.status);
            let words = (export.status_label)(status);
            if export.columns.is_empty() {
                sheet.write_string_with_format(row, 1, words, &formats.function)?;
            } else {
                let formula = status_formula(export, row, first_column, last_column, full.label(), partial.label());
                sheet.write_formula_with_format(row, 1, Formula::new(formula).set_result(words), &formats.function)?;
            }
            function_rows.push((function.id.clone(), row));
            row += 1;
        }
        if row > first_row && !export.columns.is_empty() {
            add_gap_colours(sheet, export, first_row, row - 1, first_column, last_column, full.label(), partial.label())?;
        }
    }
    if let Some(last_row) = row.checked_sub(1).filter(|_| !export.columns.is_empty()) {
        let labels: Vec<&str> = L::ALL.iter().map(|level| level.label()).collect();
        let validation = DataValidation::new()
            .allow_list_strings(&labels)?
            .set_input_title("Choose")?
            .set_input_message(format!("{}, or leave blank.", labels[1..].join(" or ")))?;
        sheet.add_data_validation(header + 1, first_column, last_row, last_column, &validation)?;
    }
    sheet.set_freeze_panes(header + 1, first_column)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header, header)?;
    Ok(function_rows)
}

/// A function's status in words, worked out from its row so it follows edits.
fn status_formula<L: Level>(export: &MatrixExport<L>, row: u32, first: u16, last: u16, full: &str, partial: &str) -> String {
    let range = format!("${}{r}:${}{r}", column_letters(first as usize), column_letters(last as usize), r = row + 1);
    let label = |status| (export.status_label)(status).replace('"', "\"\"");
    format!(
        "=IF(COUNTIF({range},\"{full}\")=0,IF(COUNTIF({range},\"{partial}\")=0,\"{gap}\",\"{partly}\"),IF(COUNTIF({range},\"{full}\")=1,\"{single}\",IF(COUNTIF({range},\"{full}\")>{threshold},\"{duplication}\",\"{covered}\")))",
        gap = label(RowStatus::Gap),
        partly = label(RowStatus::PartialOnly),
        single = label(RowStatus::Single),
        duplication = label(RowStatus::Duplication),
        covered = label(RowStatus::Covered),
        threshold = export.threshold,
    )
}

/// Colours a block of function rows' label and status by their status, by formula.
#[allow(clippy::too_many_arguments)]
fn add_gap_colours<L: Level>(
    sheet: &mut Worksheet,
    export: &MatrixExport<L>,
    first_row: u32,
    last_row: u32,
    first: u16,
    last: u16,
    full: &str,
    partial: &str,
) -> Result<(), XlsxError> {
    let range = format!("${}{r}:${}{r}", column_letters(first as usize), column_letters(last as usize), r = first_row + 1);
    let full_count = format!("COUNTIF({range},\"{full}\")");
    let partial_count = format!("COUNTIF({range},\"{partial}\")");
    let rules = [
        (format!("=AND({full_count}=0,{partial_count}=0)"), GAP),
        (format!("={full_count}=0"), PARTIAL),
        (format!("={full_count}=1"), SINGLE),
        (format!("={full_count}>{}", export.threshold), DUPLICATION),
    ];
    for (rule, colour) in rules {
        let format = Format::new().set_background_color(Color::RGB(colour));
        let conditional = ConditionalFormatFormula::new().set_rule(rule.as_str()).set_format(format).set_stop_if_true(true);
        sheet.add_conditional_format(first_row, 0, last_row, 1, &conditional)?;
    }
    Ok(())
}

fn write_summary_sheet<L: Level>(sheet: &mut Worksheet, export: &MatrixExport<L>, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    sheet.write_string_with_format(0, 0, safe_text(&format!("Summary: {}", export.title)), &formats.title)?;
    let overall = &export.analysis.overall;
    sheet.write_string(1, 0, format!("{}% coverage: {} of {} functions covered.", overall.percent(), overall.covered, overall.functions))?;
    let headings = [
        "Category".to_owned(),
        "Functions".to_owned(),
        "Covered".to_owned(),
        "Coverage %".to_owned(),
        (export.status_label)(RowStatus::Gap).to_owned(),
        (export.status_label)(RowStatus::PartialOnly).to_owned(),
        (export.status_label)(RowStatus::Single).to_owned(),
        (export.status_label)(RowStatus::Duplication).to_owned(),
    ];
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(3, column as u16, heading, &formats.header)?;
    }
    let lines = export.analysis.categories.iter().map(|c| (c.name.as_str(), &c.coverage)).chain([("All functions", overall)]);
    for (offset, (name, coverage)) in lines.enumerate() {
        let row = 4 + offset as u32;
        sheet.write_string(row, 0, safe_text(name))?;
        let numbers =
            [coverage.functions, coverage.covered, coverage.percent() as usize, coverage.gaps, coverage.partial_only, coverage.single, coverage.duplication];
        for (column, number) in numbers.into_iter().enumerate() {
            sheet.write_number(row, column as u16 + 1, number as f64)?;
        }
    }
    sheet.set_column_width(0, 40)?;
    sheet.set_column_range_width(1, 7, 16)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    Ok(())
}

/// The ids behind the sheet: which function each row is, which column each letter is, and the
/// notes, which have no place on the matrix itself.
fn write_metadata_sheet<L: Level>(sheet: &mut Worksheet, export: &MatrixExport<L>, rows: &[(FunctionId, u32)]) -> Result<(), XlsxError> {
    sheet.set_name(METADATA_SHEET)?;
    sheet.set_hidden(true);
    let mut row = 0u32;
    let mut line = |sheet: &mut Worksheet, values: &[&str]| -> Result<(), XlsxError> {
        for (column, value) in values.iter().enumerate() {
            sheet.write_string(row, column as u16, safe_text(value))?;
        }
        row += 1;
        Ok(())
    };
    line(sheet, &["caremap export", "1"])?;
    line(sheet, &["kind", export.kind])?;
    line(sheet, &["id", export.id])?;
    for (function_id, function_row) in rows {
        line(sheet, &["function", &(function_row + 1).to_string(), function_id.as_str()])?;
    }
    for (offset, column) in export.columns.iter().enumerate() {
        line(sheet, &["column", &column_letters(2 + offset), &column.id, &column.name])?;
    }
    for cell in export.cells.iter().filter(|cell| !cell.value.note.is_empty()) {
        line(sheet, &["note", cell.function_id.as_str(), &cell.column_id, &cell.value.note])?;
    }
    Ok(())
}

/// A workspace's learning needs as a workbook: the guide's Appendix 3 gathered across people.
/// The "Learning matrix" sheet has the functions down and the people across, each cell the
/// priority of that person's need (blank where none is recorded); the "Needs" sheet has every
/// current need in full, in Appendix 3's columns. Both sheets stream through a temporary file,
/// so a workspace of thousands of people is written in little memory.
pub fn learning_workbook(title: &str, learners: &[Learner], categories: &[Category], catalogue: &[CatalogueEntry]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let columns = write_learning_matrix(workbook.add_worksheet_with_constant_memory()?, title, learners, categories, &formats)?;
    write_needs_sheet(workbook.add_worksheet_with_constant_memory()?, learners, categories, catalogue, &formats)?;
    let sheet = workbook.add_worksheet();
    sheet.set_name(METADATA_SHEET)?;
    sheet.set_hidden(true);
    for (row, values) in [["caremap export", "1"], ["kind", "learning"]].iter().enumerate() {
        sheet.write_string(row as u32, 0, values[0])?;
        sheet.write_string(row as u32, 1, values[1])?;
    }
    for (offset, (letters, id)) in columns.iter().enumerate() {
        let row = 2 + offset as u32;
        sheet.write_string(row, 0, "column")?;
        sheet.write_string(row, 1, letters)?;
        sheet.write_string(row, 2, safe_text(id))?;
    }
    workbook.save_to_buffer()
}

/// The sheet of the learning matrix; answers each person's column letters and analysis id.
fn write_learning_matrix(
    sheet: &mut Worksheet,
    title: &str,
    learners: &[Learner],
    categories: &[Category],
    formats: &Formats,
) -> Result<Vec<(String, String)>, XlsxError> {
    sheet.set_name(LEARNING_SHEET)?;
    sheet.set_column_width(0, LABEL_WIDTH as f64)?;
    if !learners.is_empty() {
        sheet.set_column_range_width(1, learners.len() as u16, 9)?;
    }
    sheet.write_string_with_format(0, 0, safe_text(&format!("Learning and development matrix: {title}")), &formats.title)?;
    let header = 2;
    sheet.set_row_height(header, 120)?;
    sheet.write_string_with_format(header, 0, "Function", &formats.header)?;
    for (offset, learner) in learners.iter().enumerate() {
        sheet.write_string_with_format(header, 1 + offset as u16, safe_text(&learner.name), &formats.rotated)?;
    }
    // Each person's needs by function, looked up once.
    let needs: Vec<HashMap<&FunctionId, &Need>> =
        learners.iter().map(|l| l.needs.iter().filter(|n| !n.archived).map(|n| (&n.function_id, n)).collect()).collect();
    let last_column = learners.len().max(1) as u16;
    let mut row = header + 1;
    for category in categories {
        sheet.merge_range(row, 0, row, last_column, &safe_text(&category.name), &formats.band)?;
        row += 1;
        for function in &category.functions {
            sheet.write_string_with_format(row, 0, safe_text(&function.label), &formats.function)?;
            for (offset, by_function) in needs.iter().enumerate() {
                if let Some(need) = by_function.get(&function.id) {
                    sheet.write_string_with_format(row, 1 + offset as u16, need.priority.label(), &formats.cell)?;
                }
            }
            row += 1;
        }
    }
    if !learners.is_empty() && row > header + 1 {
        let labels: Vec<&str> = Priority::ALL.iter().map(|p| p.label()).collect();
        let validation = DataValidation::new().allow_list_strings(&labels)?;
        sheet.add_data_validation(header + 1, 1, row - 1, last_column, &validation)?;
        for (label, colour) in [("High", GAP), ("Medium", PARTIAL), ("Low", SINGLE)] {
            let rule = format!("=B{}=\"{label}\"", header + 2);
            let conditional = ConditionalFormatFormula::new().set_rule(rule.as_str()).set_format(Format::new().set_background_color(Color::RGB(colour)));
            sheet.add_conditional_format(header + 1, 1, row - 1, last_column, &conditional)?;
        }
    }
    sheet.set_freeze_panes(header + 1, 1)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(header, header)?;
    Ok(learners.iter().enumerate().map(|(offset, l)| (column_letters(1 + offset), l.id.to_string())).collect())
}

/// The columns of the "Needs" sheet, as the guide's Appendix 3 names them.
pub const NEEDS_COLUMNS: [&str; 8] =
    ["Person", "Function", "Priority", "Identified learning need", "Activity to support learning", "Comment", "Target date", "Status"];

fn write_needs_sheet(
    sheet: &mut Worksheet,
    learners: &[Learner],
    categories: &[Category],
    catalogue: &[CatalogueEntry],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(NEEDS_SHEET)?;
    for (column, heading) in NEEDS_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *heading, &formats.header)?;
    }
    for (column, width) in [24, 50, 10, 40, 36, 30, 12, 12].into_iter().enumerate() {
        sheet.set_column_width(column as u16, width)?;
    }
    let labels: HashMap<&FunctionId, String> = categories.iter().flat_map(|c| &c.functions).map(|f| (&f.id, format!("{} {}", f.id, f.label))).collect();
    let titles: HashMap<&str, &str> = catalogue.iter().map(|a| (a.id.as_str(), a.title.as_str())).collect();
    let mut row = 1u32;
    for learner in learners {
        for need in learner.needs.iter().filter(|n| !n.archived) {
            let activity = match &need.activity {
                Some(Activity::Catalogue(id)) => titles.get(id.as_str()).copied().unwrap_or_default().to_owned(),
                Some(Activity::Described(text)) => text.clone(),
                None => String::new(),
            };
            let values = [
                learner.name.as_str(),
                labels.get(&need.function_id).map_or(need.function_id.as_str(), String::as_str),
                need.priority.label(),
                &need.need,
                &activity,
                &need.comment,
                &need.target.map(|t| t.to_string()).unwrap_or_default(),
                need.status.label(),
            ];
            for (column, value) in values.into_iter().enumerate() {
                if !value.is_empty() {
                    sheet.write_string(row, column as u16, safe_text(value))?;
                }
            }
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A value in a table sheet.
pub enum Value {
    Text(String),
    Number(f64),
    Money(Pence),
}

/// Writes a titled table: headings, then rows, with the headings frozen and a total of the
/// money columns by formula (so it follows edits) when `total` is set.
fn write_table(
    sheet: &mut Worksheet,
    name: &str,
    title: &str,
    headings: &[&str],
    rows: &[Vec<Value>],
    total: bool,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    sheet.write_string_with_format(0, 0, safe_text(title), &formats.title)?;
    let header = 2u32;
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(header, column as u16, *heading, &formats.header)?;
        sheet.set_column_width(column as u16, if column == 0 { 40 } else { 16 })?;
    }
    let money = Format::new().set_num_format("£#,##0.00");
    for (offset, row) in rows.iter().enumerate() {
        let at = header + 1 + offset as u32;
        for (column, value) in row.iter().enumerate() {
            let column = column as u16;
            match value {
                Value::Text(text) if text.is_empty() => {}
                Value::Text(text) => {
                    sheet.write_string(at, column, safe_text(text))?;
                }
                Value::Number(number) => {
                    sheet.write_number(at, column, *number)?;
                }
                Value::Money(pence) => {
                    sheet.write_number_with_format(at, column, pence.0 as f64 / 100.0, &money)?;
                }
            }
        }
    }
    if total && !rows.is_empty() {
        let at = header + 1 + rows.len() as u32;
        sheet.write_string_with_format(at, 0, "Total", &formats.field)?;
        for (column, value) in rows[0].iter().enumerate() {
            if let Value::Money(_) = value {
                let letters = column_letters(column);
                let sum: f64 = rows
                    .iter()
                    .map(|row| match &row[column] {
                        Value::Money(p) => p.0 as f64 / 100.0,
                        _ => 0.0,
                    })
                    .sum();
                let formula = Formula::new(format!("=SUM({letters}{}:{letters}{})", header + 2, at)).set_result(format!("{sum}"));
                sheet.write_formula_with_format(at, column as u16, formula, &money.clone().set_bold())?;
            }
        }
    }
    sheet.set_freeze_panes(header + 1, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// A framework as a workbook: its functions by category, with their statements.
pub fn framework_workbook(framework: &Framework) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let rows: Vec<Vec<Value>> = framework
        .categories()
        .iter()
        .flat_map(|c| {
            c.functions
                .iter()
                .map(move |f| vec![Value::Text(c.name.clone()), Value::Text(f.id.to_string()), Value::Text(f.label.clone()), Value::Text(f.statement.clone())])
        })
        .collect();
    let title = format!("{} (version {})", framework.name(), framework.version());
    let sheet = workbook.add_worksheet();
    write_table(sheet, "Functions", &title, &["Category", "Id", "Function", "Statement"], &rows, false, &Formats::new())?;
    if !framework.description().is_empty() {
        sheet.write_string(1, 0, safe_text(framework.description()))?;
    }
    let metadata = workbook.add_worksheet();
    metadata.set_name(METADATA_SHEET)?;
    metadata.set_hidden(true);
    for (row, values) in [["caremap export", "1"], ["kind", "framework"], ["id", framework.id().as_str()]].iter().enumerate() {
        metadata.write_string(row as u32, 0, values[0])?;
        metadata.write_string(row as u32, 1, values[1])?;
    }
    workbook.save_to_buffer()
}

/// An organisation map's implementation plan as a workbook, with its total cost.
pub fn plan_workbook(map: &OrgMap, actions: &[PlanAction]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let label = |id: &FunctionId| function_label(&map.categories, id);
    let rows: Vec<Vec<Value>> = actions
        .iter()
        .map(|a| {
            let d = &a.details;
            vec![
                Value::Text(label(&d.function_id)),
                Value::Text(d.what.clone()),
                Value::Text(d.with_whom.clone()),
                Value::Text(d.how.clone()),
                Value::Money(d.cost),
                Value::Text(d.due.map(|date| date.to_string()).unwrap_or_default()),
                Value::Text(d.communication.clone()),
                Value::Text(d.risks.clone()),
                Value::Text(d.status.label().to_owned()),
            ]
        })
        .collect();
    let title = format!("Implementation plan: {}, {}", map.summary.details.area, map.summary.details.date.long());
    let headings = ["Function", "What", "With whom", "How", "Cost", "By", "Communication", "Risks", "Status"];
    write_table(workbook.add_worksheet(), "Plan", &title, &headings, &rows, true, &Formats::new())?;
    workbook.save_to_buffer()
}

/// A learning programme as a workbook: demand per function and per activity (with its total
/// cost), cohorts, and progress per person, team and category.
pub fn programme_workbook(title: &str, programme: &Programme, categories: &[Category]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let label = |id: &FunctionId| function_label(categories, id);
    let people = |indices: &[usize]| indices.iter().map(|&i| programme.learners[i].clone()).collect::<Vec<_>>().join(", ");
    let date = |d: Option<crate::model::CalendarDate>| Value::Text(d.map(|d| d.to_string()).unwrap_or_default());
    let functions: Vec<Vec<Value>> = programme
        .functions
        .iter()
        .map(|f| {
            let d = &f.demand;
            vec![
                Value::Text(label(&f.function_id)),
                Value::Number(d.high as f64),
                Value::Number(d.medium as f64),
                Value::Number(d.low as f64),
                Value::Number(d.done as f64),
                Value::Text(people(&d.people)),
                date(d.earliest_target),
            ]
        })
        .collect();
    write_table(
        workbook.add_worksheet(),
        "Per function",
        &format!("Learning programme: {title}"),
        &["Function", "High", "Medium", "Low", "Done", "Who", "Earliest target"],
        &functions,
        false,
        &formats,
    )?;
    let activities: Vec<Vec<Value>> = programme
        .activities
        .iter()
        .map(|a| {
            vec![
                Value::Text(a.title.clone()),
                Value::Number(a.demand.total() as f64),
                Value::Text(people(&a.demand.people)),
                Value::Number(a.demand.done as f64),
                date(a.demand.earliest_target),
                Value::Money(a.total_cost),
            ]
        })
        .collect();
    write_table(
        workbook.add_worksheet(),
        "Per activity",
        "Activities",
        &["Activity", "Needs", "Who", "Done", "Earliest target", "Total cost"],
        &activities,
        true,
        &formats,
    )?;
    let cohorts: Vec<Vec<Value>> =
        programme.cohorts.iter().map(|c| vec![Value::Text(c.title.clone()), Value::Number(c.people.len() as f64), Value::Text(people(&c.people))]).collect();
    write_table(workbook.add_worksheet(), "Cohorts", "Suggested cohorts", &["Activity", "People", "Who"], &cohorts, false, &formats)?;
    let progress: Vec<Vec<Value>> = [("Person", &programme.per_person), ("Team", &programme.per_team), ("Category", &programme.per_category)]
        .into_iter()
        .flat_map(|(kind, list)| {
            list.iter()
                .filter(|p| p.total > 0)
                .map(move |p| vec![Value::Text(kind.to_owned()), Value::Text(p.name.clone()), Value::Number(p.done as f64), Value::Number(p.total as f64)])
        })
        .collect();
    write_table(workbook.add_worksheet(), "Progress", "Progress", &["Of", "Name", "Done", "Needs"], &progress, false, &formats)?;
    workbook.save_to_buffer()
}
