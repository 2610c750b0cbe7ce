//! Spreadsheets in: a file's bytes are checked before anything parses them (size, kind by its
//! content, archive entry count, overlapping parts, unpacked size and compression ratio; for
//! .xls, the records every sheet's substream declares), then its cells are read one at a time
//! into a [`CellSink`] through [`Checked`], which refuses a workbook past any limit (its span,
//! its text, one cell's length) as soon as the cells parsed so far show it. The limits hold on
//! what the parser actually yields, however the file writes it. A rejection says what is wrong;
//! nothing is saved from a file that is refused.
//!
//! A parser can still fail in ways no check foresees, so the server and the command line read
//! untrusted files in a separate process (`sheets::isolate`); this module is what that process
//! runs.

use crate::model::sheet::{SheetGrid, column_letters, each_csv_cell};
use calamine::{Data, DataRef, Reader};
use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read};

/// The largest upload taken.
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;
/// Far more parts than any spreadsheet has.
const MAX_ENTRIES: usize = 10_000;
/// What the parts may unpack to, together.
const MAX_UNPACKED_BYTES: u64 = 400 * 1024 * 1024;
/// How many times one part may expand: real spreadsheets stay well under this.
const MAX_RATIO: u64 = 250;
/// The most cells a sheet may span, from A1 to its last filled row and column.
pub const MAX_CELLS: u64 = 5_000_000;
/// The most cells all the sheets of a workbook may span together.
pub const MAX_WORKBOOK_CELLS: u64 = 2 * MAX_CELLS;
/// The most sheets a workbook may have: far more than any matrix needs.
pub const MAX_SHEETS: usize = 255;
/// The most text all the cells of a workbook may hold together, in bytes: a learning matrix of
/// 10,000 people with every need in full holds 70 MiB. The server holds what is read, so this
/// bounds its memory too.
pub const MAX_TEXT_BYTES: u64 = 128 * 1024 * 1024;
/// Excel's own limit on one cell's characters: what imports must also export.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ReadError {
    #[error("The file is empty.")]
    Empty,
    #[error("The file is {megabytes} MB; the largest caremap takes is 25 MB.")]
    TooLarge { megabytes: usize },
    #[error("The file is protected by a password: save a copy without the password and upload that.")]
    Encrypted,
    #[error("The file is named “{name}”, but it is {found}: give it the right extension, or save it again as a spreadsheet.")]
    WrongExtension { name: String, found: String },
    #[error("“{name}” is not a spreadsheet caremap reads: use .xlsx, .xls, .xlsb, .ods or .csv.")]
    NotASpreadsheet { name: String },
    #[error("The file is damaged and cannot be read ({0}).")]
    Damaged(String),
    #[error("The file holds {count} parts, far more than a spreadsheet has, so it was not opened.")]
    TooManyParts { count: usize },
    #[error("The parts of the file overlap one another, as only a zip bomb's do, so the file was not opened.")]
    OverlappingParts,
    #[error("The file would unpack to {megabytes} MB, more than caremap opens, so it was not opened.")]
    TooLargeUnpacked { megabytes: u64 },
    #[error("The part “{part}” of the file expands {ratio} times over, as only a zip bomb does, so the file was not opened.")]
    Bomb { part: String, ratio: u64 },
    #[error("The sheet “{sheet}” spans {cells} cells ({span}); the most caremap reads is 5,000,000, so the file was not opened.")]
    TooManyCells { sheet: String, cells: u64, span: String },
    #[error("The sheets of the file span {cells} cells together; the most caremap reads is 10,000,000, so the file was not opened.")]
    TooManyCellsInAll { cells: u64 },
    #[error("The file has more than {} sheets, far more than a matrix needs, so it was not read.", MAX_SHEETS)]
    TooManySheets,
    #[error("The cells of the file hold more than {} MB of text together, more than caremap reads, so it was not read.", MAX_TEXT_BYTES / (1024 * 1024))]
    TooMuchText,
    #[error(
        "The cell at sheet “{sheet}”, row {row}, column {column} holds {chars} characters; a spreadsheet cell holds at most 32,767, so the file was not read."
    )]
    CellTooLong { sheet: String, row: u64, column: String, chars: usize },
    #[error("The file has no sheets.")]
    NoSheets,
    #[error(
        "“{name}” needs more memory than caremap allows for a spreadsheet; it may be damaged. Save it again from your spreadsheet program, or send it as .xlsx or .csv."
    )]
    TooMuchMemory { name: String },
    #[error(
        "Reading “{name}” took longer than {seconds} seconds, so it was stopped; it may be damaged. Save it again from your spreadsheet program, or send it as .xlsx or .csv."
    )]
    TookTooLong { name: String, seconds: u64 },
    #[error(
        "Reading “{name}” stopped before it finished, so nothing was taken from it; it may be damaged. Save it again from your spreadsheet program, or send it as .xlsx or .csv."
    )]
    ReaderStopped { name: String },
}

/// Receives a workbook's cells as they are read: a sheet, then its filled cells, then the next.
pub trait CellSink {
    fn sheet(&mut self, name: &str) -> Result<(), ReadError>;
    /// A filled cell's text, at its 0-based row and column.
    fn cell(&mut self, row: u32, column: u32, text: String) -> Result<(), ReadError>;
}

/// Passes cells on to `S` while they stay within every limit, and refuses the workbook as soon
/// as they do not: the sheets, each sheet's span and all of them together, all the text, and
/// each cell's length.
pub struct Checked<S> {
    inner: S,
    sheets: usize,
    sheet: String,
    /// The current sheet's last filled row and column, if any: grids start at A1, so this is
    /// its span.
    furthest: Option<(u32, u32)>,
    /// The cells spanned by the sheets before the current one.
    spanned_before: u64,
    text_bytes: u64,
}

impl<S: CellSink> Checked<S> {
    pub fn new(inner: S) -> Self {
        Checked { inner, sheets: 0, sheet: String::new(), furthest: None, spanned_before: 0, text_bytes: 0 }
    }

    pub fn into_inner(self) -> S {
        self.inner
    }

    fn span(&self) -> (u64, u64) {
        self.furthest.map_or((0, 0), |(row, column)| (u64::from(row) + 1, u64::from(column) + 1))
    }
}

impl<S: CellSink> CellSink for Checked<S> {
    fn sheet(&mut self, name: &str) -> Result<(), ReadError> {
        let (rows, columns) = self.span();
        self.spanned_before += rows * columns;
        self.furthest = None;
        self.sheets += 1;
        if self.sheets > MAX_SHEETS {
            return Err(ReadError::TooManySheets);
        }
        self.sheet = name.to_owned();
        self.text_bytes += name.len() as u64;
        self.inner.sheet(name)
    }

    fn cell(&mut self, row: u32, column: u32, text: String) -> Result<(), ReadError> {
        // Only text this long can be over the limit in characters: counting them is then cheap
        // next to reading them.
        if text.len() > MAX_CELL_CHARS {
            let chars = text.chars().count();
            if chars > MAX_CELL_CHARS {
                return Err(ReadError::CellTooLong { sheet: self.sheet.clone(), row: u64::from(row) + 1, column: column_letters(column as usize), chars });
            }
        }
        self.text_bytes += text.len() as u64;
        if self.text_bytes > MAX_TEXT_BYTES {
            return Err(ReadError::TooMuchText);
        }
        let (rows, columns) = self.furthest.unwrap_or((row, column));
        self.furthest = Some((rows.max(row), columns.max(column)));
        let (rows, columns) = self.span();
        let cells = rows * columns;
        if cells > MAX_CELLS {
            return Err(ReadError::TooManyCells { sheet: self.sheet.clone(), cells, span: format!("{rows} rows by {columns} columns") });
        }
        if self.spanned_before + cells > MAX_WORKBOOK_CELLS {
            return Err(ReadError::TooManyCellsInAll { cells: self.spanned_before + cells });
        }
        self.inner.cell(row, column, text)
    }
}

/// Builds the grids of text the import reads, row by row; a row ends at its last filled cell.
#[derive(Default)]
pub struct GridBuilder {
    grids: Vec<SheetGrid>,
}

impl GridBuilder {
    pub fn finish(self) -> Result<Vec<SheetGrid>, ReadError> {
        if self.grids.is_empty() { Err(ReadError::NoSheets) } else { Ok(self.grids) }
    }
}

impl CellSink for GridBuilder {
    fn sheet(&mut self, name: &str) -> Result<(), ReadError> {
        self.grids.push(SheetGrid { name: name.to_owned(), rows: Vec::new() });
        Ok(())
    }

    fn cell(&mut self, row: u32, column: u32, text: String) -> Result<(), ReadError> {
        let grid = self.grids.last_mut().ok_or_else(|| ReadError::Damaged("a cell came before any sheet".into()))?;
        let (row, column) = (row as usize, column as usize);
        if grid.rows.len() <= row {
            grid.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut grid.rows[row];
        if cells.len() <= column {
            cells.resize_with(column + 1, String::new);
        }
        cells[column] = text;
        Ok(())
    }
}

/// What a file's content says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
    Csv,
}

impl Kind {
    fn described(self) -> &'static str {
        match self {
            Kind::Xlsx => "an Excel workbook (.xlsx)",
            Kind::Xlsb => "an Excel binary workbook (.xlsb)",
            Kind::Ods => "an OpenDocument spreadsheet (.ods)",
            Kind::Xls => "an Excel 97–2003 workbook (.xls)",
            Kind::Csv => "text (.csv)",
        }
    }

    fn from_extension(name: &str) -> Option<Kind> {
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match extension.as_str() {
            "xlsx" | "xlsm" => Some(Kind::Xlsx),
            "xlsb" => Some(Kind::Xlsb),
            "ods" => Some(Kind::Ods),
            "xls" => Some(Kind::Xls),
            "csv" | "txt" => Some(Kind::Csv),
            _ => None,
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads every sheet of a spreadsheet file named `name` (the name's extension must agree with
/// the content) into grids of text, within every limit. CPU work: call it off the async
/// runtime, and for a file from outside caremap, through `sheets::isolate`.
pub fn read_workbook(name: &str, bytes: &[u8]) -> Result<Vec<SheetGrid>, ReadError> {
    let mut grids = Checked::new(GridBuilder::default());
    read_cells(name, bytes, &mut grids)?;
    grids.into_inner().finish()
}

/// Checks a file named `name`, then passes its cells to `sink` as they are read. `sink` is
/// expected to be [`Checked`]: the limits on what a file holds are its.
pub fn read_cells(name: &str, bytes: &[u8], sink: &mut impl CellSink) -> Result<(), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge { megabytes: bytes.len().div_ceil(1024 * 1024) });
    }
    let named = Kind::from_extension(name);
    let kind = if bytes.starts_with(ZIP_MAGIC) {
        zip_kind(bytes)?
    } else if bytes.starts_with(OLE_MAGIC) {
        // An encrypted .xlsx is an OLE file holding an "EncryptedPackage" stream.
        if contains_utf16(bytes, "EncryptedPackage") {
            return Err(ReadError::Encrypted);
        }
        Kind::Xls
    } else if named == Some(Kind::Csv) && !bytes.contains(&0) {
        Kind::Csv
    } else {
        return Err(match named {
            Some(_) if bytes.contains(&0) => ReadError::Damaged("it is neither a spreadsheet nor text".into()),
            _ => ReadError::NotASpreadsheet { name: name.to_owned() },
        });
    };
    if named != Some(kind) {
        return match named {
            Some(_) => Err(ReadError::WrongExtension { name: name.to_owned(), found: kind.described().to_owned() }),
            None => Err(ReadError::NotASpreadsheet { name: name.to_owned() }),
        };
    }
    let damaged = |error: &dyn std::fmt::Display| damaged_or_encrypted(&error.to_string());
    match kind {
        Kind::Csv => {
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            sink.sheet(stem)?;
            // Each field goes to the limits as it is read, so a file of millions of fields is
            // refused part-way rather than held.
            each_csv_cell(&decode_text(bytes), |row, column, text| sink.cell(index(row)?, index(column)?, text))
        }
        // .xlsx and .xlsb sheets are streamed a cell at a time: nothing is reserved for the span
        // a sheet declares, and the limits see each cell where calamine places it.
        Kind::Xlsx => {
            let mut workbook = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
            for name in workbook.sheet_names() {
                let mut cells = match workbook.worksheet_cells_reader(&name) {
                    Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                    other => other.map_err(|e| damaged(&e))?,
                };
                sink.sheet(&name)?;
                while let Some(cell) = cells.next_cell().map_err(|e| damaged(&e))? {
                    pass_cell(sink, cell.get_position(), cell.get_value())?;
                }
            }
            Ok(())
        }
        Kind::Xlsb => {
            let mut workbook = calamine::Xlsb::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
            for name in workbook.sheet_names() {
                let mut cells = workbook.worksheet_cells_reader(&name).map_err(|e| damaged(&e))?;
                sink.sheet(&name)?;
                while let Some(cell) = cells.next_cell().map_err(|e| damaged(&e))? {
                    pass_cell(sink, cell.get_position(), cell.get_value())?;
                }
            }
            Ok(())
        }
        // calamine reads an .xls or .ods whole: .xls records are checked first (calamine reserves
        // room for the dimensions they declare); .ods repeats are capped by calamine itself.
        Kind::Xls => {
            check_xls(bytes)?;
            let workbook = calamine::Xls::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
            read_ranges(workbook, sink)
        }
        Kind::Ods => {
            let workbook = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
            read_ranges(workbook, sink)
        }
    }
}

/// A row or column number as cells carry it.
fn index(at: usize) -> Result<u32, ReadError> {
    u32::try_from(at).map_err(|_| ReadError::Damaged("a cell lies beyond any sheet".into()))
}

/// Passes a streamed cell on, unless it is blank. Each cell gets its own copy of a shared
/// string, but only one copy beyond what the sink has kept is held at a time, and the sink
/// refuses it if it is too long.
fn pass_cell(sink: &mut impl CellSink, (row, column): (u32, u32), value: &DataRef<'_>) -> Result<(), ReadError> {
    let text = match value {
        DataRef::SharedString(text) => (*text).to_owned(),
        DataRef::String(text) => text.clone(),
        other => cell_text(&Data::from(other.clone())),
    };
    if text.is_empty() { Ok(()) } else { sink.cell(row, column, text) }
}

/// Passes every filled cell of every sheet of a workbook calamine has read whole.
fn read_ranges<RS: Read + std::io::Seek, R: Reader<RS>>(mut workbook: R, sink: &mut impl CellSink) -> Result<(), ReadError>
where
    R::Error: std::fmt::Display,
{
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|e| damaged_or_encrypted(&e.to_string()))?;
        sink.sheet(&name)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        for (row, column, value) in range.used_cells() {
            let text = cell_text(value);
            if !text.is_empty() {
                sink.cell(top + index(row)?, left + index(column)?, text)?;
            }
        }
    }
    Ok(())
}

/// Text in UTF-8 (with or without a byte-order mark), else Windows-1252 as older Excel saves it.
fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™',
        'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[(byte - 0x80) as usize],
        _ => byte as char,
    }
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|window| window == needle)
}

/// Checks a zip archive's parts before anything unpacks it, and says which kind of
/// spreadsheet it holds.
fn zip_kind(bytes: &[u8]) -> Result<Kind, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Damaged(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ReadError::TooManyParts { count: archive.len() });
    }
    // Parts sharing their bytes unpack the same data many times over.
    if archive.has_overlapping_entries().map_err(|e| ReadError::Damaged(e.to_string()))? {
        return Err(ReadError::OverlappingParts);
    }
    let mut unpacked: u64 = 0;
    let mut kind = None;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|e| ReadError::Damaged(e.to_string()))?;
        if entry.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let name = entry.name().map_err(|e| ReadError::Damaged(e.to_string()))?.into_owned();
        let (size, compressed) = (entry.size(), entry.compressed_size().max(1));
        unpacked = unpacked.saturating_add(size);
        // Small parts can have high ratios harmlessly (a run of blanks); large ones cannot.
        if size > 1024 * 1024 && size / compressed > MAX_RATIO {
            return Err(ReadError::Bomb { part: name, ratio: size / compressed });
        }
        match name.as_str() {
            "xl/workbook.xml" => kind = Some(Kind::Xlsx),
            "xl/workbook.bin" => kind = Some(Kind::Xlsb),
            "content.xml" if kind.is_none() => kind = Some(Kind::Ods),
            _ => {}
        }
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(ReadError::TooLargeUnpacked { megabytes: unpacked / (1024 * 1024) });
    }
    kind.ok_or_else(|| ReadError::Damaged("it is a zip archive, not a spreadsheet".into()))
}

/// Checks an .xls before calamine reads it: a password (FILEPASS, which calamine reads as
/// damage when the file is only obfuscated) and, in every sheet's substream, the dimensions it
/// declares (calamine reserves room for them) and the furthest cell it places. Every workbook
/// stream the container holds is checked, and each substream from where the workbook's sheet
/// list says it starts as well as in the order the records run, so that none is passed over.
fn check_xls(bytes: &[u8]) -> Result<(), ReadError> {
    let damaged = |e: std::io::Error| ReadError::Damaged(e.to_string());
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    // calamine reads the first stream named so in any folder of the container, in any case.
    let streams: Vec<std::path::PathBuf> = container
        .walk()
        .filter(|entry| entry.is_stream() && ["workbook", "book"].iter().any(|name| entry.name().eq_ignore_ascii_case(name)))
        .map(|entry| entry.path().to_owned())
        .collect();
    if streams.is_empty() {
        return Err(ReadError::Damaged("it holds no workbook".into()));
    }
    for path in streams {
        let mut stream = Vec::new();
        container.open_stream(&path).map_err(damaged)?.take(MAX_UNPACKED_BYTES).read_to_end(&mut stream).map_err(damaged)?;
        let mut starts = vec![0];
        for record in BiffRecords::from(&stream, 0) {
            match record.kind {
                0x002F => return Err(ReadError::Encrypted),
                // BOUNDSHEET8: where a sheet's substream starts.
                0x0085 if record.data.len() >= 4 => starts.push(u32_at(record.data, 0) as usize),
                _ => {}
            }
        }
        if starts.len() > MAX_SHEETS + 1 {
            return Err(ReadError::TooManySheets);
        }
        // In order from the start, then each sheet from where the sheet list says it is.
        let mut total = check_substreams(BiffRecords::from(&stream, 0), 0)?;
        starts.sort_unstable();
        starts.dedup();
        for (sheet, start) in starts.into_iter().skip(1).enumerate() {
            total += check_substreams(one_substream(&stream, start), sheet + 1)?;
            if total > 2 * MAX_WORKBOOK_CELLS {
                return Err(ReadError::TooManyCellsInAll { cells: total / 2 });
            }
        }
    }
    Ok(())
}

/// The records of the substream starting at `start`, to its EOF record (nested substreams,
/// such as a chart's, included).
fn one_substream(stream: &[u8], start: usize) -> impl Iterator<Item = BiffRecord<'_>> {
    let (mut depth, mut ended) = (0usize, false);
    BiffRecords::from(stream, start).take_while(move |record| {
        if ended {
            return false;
        }
        match record.kind {
            0x0809 => depth += 1,
            0x000A => {
                depth = depth.saturating_sub(1);
                ended = depth == 0;
            }
            _ => {}
        }
        true
    })
}

/// The cells declared or placed by the substreams `records` runs through, each within the
/// limit; answers their sum. A refusal names the sheet by its place: the workbook's globals
/// are 0, and `first` is the number of the first substream.
fn check_substreams<'a>(records: impl Iterator<Item = BiffRecord<'a>>, first: usize) -> Result<u64, ReadError> {
    let (mut rows, mut columns, mut total) = (0u64, 0u64, 0u64);
    let mut sheet = first;
    let mut spanned = |sheet: usize, rows: u64, columns: u64| {
        let cells = rows.saturating_mul(columns);
        if cells > MAX_CELLS {
            return Err(ReadError::TooManyCells { sheet: format!("sheet {sheet}"), cells, span: format!("{rows} rows by {columns} columns") });
        }
        total += cells;
        Ok(())
    };
    let mut started = false;
    for record in records {
        let data = record.data;
        match record.kind {
            0x0809 => {
                spanned(sheet, rows, columns)?;
                sheet += usize::from(started);
                started = true;
                (rows, columns) = (0, 0);
            }
            // DIMENSIONS: first row, last row + 1, first column, last column + 1; BIFF8 counts
            // rows in 32 bits, BIFF5 in 16. A last row at or before the first, in a sheet that
            // is not empty, is damage calamine trips on.
            0x0200 if data.len() >= 10 => {
                let (first_row, last_row, last_column) = if data.len() >= 14 {
                    (u64::from(u32_at(data, 0)), u64::from(u32_at(data, 4)), u16_at(data, 10))
                } else {
                    (u16_at(data, 0), u16_at(data, 2), u16_at(data, 6))
                };
                if last_row >= 1 && last_column >= 1 && last_row <= first_row {
                    return Err(ReadError::Damaged(format!("sheet {sheet} declares its last row before its first")));
                }
                rows = rows.max(last_row);
                columns = columns.max(last_column);
            }
            // Cell records start with the cell's row and column; MULRK and MULBLANK end with
            // their last column.
            0x0006 | 0x00BD | 0x00BE | 0x00D6 | 0x00FD | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E if data.len() >= 4 => {
                rows = rows.max(u16_at(data, 0) + 1);
                let last = if matches!(record.kind, 0x00BD | 0x00BE) && data.len() >= 6 { u16_at(data, data.len() - 2) } else { u16_at(data, 2) };
                columns = columns.max(last + 1);
            }
            _ => {}
        }
    }
    spanned(sheet, rows, columns)?;
    Ok(total)
}

fn u16_at(data: &[u8], at: usize) -> u64 {
    u64::from(u16::from_le_bytes([data[at], data[at + 1]]))
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

/// One BIFF record: its type and its data.
struct BiffRecord<'a> {
    kind: u16,
    data: &'a [u8],
}

/// The records of a BIFF stream from a byte offset on, to the stream's end.
struct BiffRecords<'a> {
    stream: &'a [u8],
    at: usize,
}

impl<'a> BiffRecords<'a> {
    fn from(stream: &'a [u8], at: usize) -> Self {
        BiffRecords { stream, at }
    }
}

impl<'a> Iterator for BiffRecords<'a> {
    type Item = BiffRecord<'a>;

    fn next(&mut self) -> Option<BiffRecord<'a>> {
        let header = self.stream.get(self.at..self.at.checked_add(4)?)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let end = (self.at + 4 + usize::from(u16::from_le_bytes([header[2], header[3]]))).min(self.stream.len());
        let data = &self.stream[self.at + 4..end];
        self.at = end;
        Some(BiffRecord { kind, data })
    }
}

fn damaged_or_encrypted(message: &str) -> ReadError {
    if message.to_lowercase().contains("password") || message.to_lowercase().contains("encrypt") {
        ReadError::Encrypted
    } else {
        ReadError::Damaged(message.to_owned())
    }
}

/// A cell as text: whole numbers without ".0", errors and blanks as nothing.
fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty | Data::Error(_) => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}
