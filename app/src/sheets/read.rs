//! Spreadsheets in: a file's bytes are checked before anything parses them (size, kind by its
//! content, archive entry count, unpacked size and compression ratio, the cells each sheet
//! declares or places), then read into grids of text. A rejection says what is wrong; nothing
//! is saved from a file that is refused.

use crate::model::sheet::{SheetGrid, parse_csv};
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::{Cursor, Read};

/// The largest upload taken.
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;
/// Far more parts than any spreadsheet has.
const MAX_ENTRIES: usize = 10_000;
/// What the parts may unpack to, together.
const MAX_UNPACKED_BYTES: u64 = 400 * 1024 * 1024;
/// How many times one part may expand: real spreadsheets stay well under this.
const MAX_RATIO: u64 = 250;
/// The most cells a sheet may span (calamine allocates for the whole span).
pub const MAX_CELLS: u64 = 5_000_000;
/// The most cells all the sheets of a workbook may span together.
pub const MAX_WORKBOOK_CELLS: u64 = 2 * MAX_CELLS;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("The file is empty.")]
    Empty,
    #[error("The file is {megabytes} MB; the largest caremap takes is 25 MB.")]
    TooLarge { megabytes: usize },
    #[error("The file is protected by a password: save a copy without the password and upload that.")]
    Encrypted,
    #[error("The file is named “{name}”, but it is {found}: give it the right extension, or save it again as a spreadsheet.")]
    WrongExtension { name: String, found: &'static str },
    #[error("“{name}” is not a spreadsheet caremap reads: use .xlsx, .xls, .xlsb, .ods or .csv.")]
    NotASpreadsheet { name: String },
    #[error("The file is damaged and cannot be read ({0}).")]
    Damaged(String),
    #[error("The file holds {count} parts, far more than a spreadsheet has, so it was not opened.")]
    TooManyParts { count: usize },
    #[error("The file would unpack to {megabytes} MB, more than caremap opens, so it was not opened.")]
    TooLargeUnpacked { megabytes: u64 },
    #[error("The part “{part}” of the file expands {ratio} times over, as only a zip bomb does, so the file was not opened.")]
    Bomb { part: String, ratio: u64 },
    #[error("The sheet “{sheet}” spans {cells} cells ({span}); the most caremap reads is 5,000,000, so the file was not opened.")]
    TooManyCells { sheet: String, cells: u64, span: String },
    #[error("The sheets of the file span {cells} cells together; the most caremap reads is 10,000,000, so the file was not opened.")]
    TooManyCellsInAll { cells: u64 },
    #[error("The file has no sheets.")]
    NoSheets,
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
/// the content). Call it off the async runtime: it is CPU work.
pub fn read_workbook(name: &str, bytes: &[u8]) -> Result<Vec<SheetGrid>, ReadError> {
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
            Some(_) => Err(ReadError::WrongExtension { name: name.to_owned(), found: kind.described() }),
            None => Err(ReadError::NotASpreadsheet { name: name.to_owned() }),
        };
    }
    match kind {
        Kind::Csv => {
            let text = decode_text(bytes);
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            Ok(vec![SheetGrid { name: stem.to_owned(), rows: parse_csv(&text) }])
        }
        Kind::Xlsx => {
            check_xlsx_spans(bytes)?;
            read_with_calamine(bytes)
        }
        Kind::Xls => {
            check_xls_spans(bytes)?;
            read_with_calamine(bytes)
        }
        Kind::Xlsb => {
            check_xlsb_spans(bytes)?;
            read_with_calamine(bytes)
        }
        // calamine caps an .ods sheet's cells itself, repeated rows and columns included.
        Kind::Ods => read_with_calamine(bytes),
    }
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
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•',
        '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
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

/// Refuses an .xlsx whose sheets span too many cells, by their declared dimension or by the
/// furthest cell they place, read as the sheet's XML streams past (never held whole).
fn check_xlsx_spans(bytes: &[u8]) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Damaged(e.to_string()))?;
    let sheets: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .map(|n| n.into_owned())
        .collect();
    let mut spans = Spans::default();
    for sheet in sheets {
        let entry = archive.by_name(&sheet).map_err(|e| ReadError::Damaged(e.to_string()))?;
        let (rows, columns) = furthest_cell(entry.take(MAX_UNPACKED_BYTES)).map_err(|e| ReadError::Damaged(e.to_string()))?;
        spans.add(sheet.trim_start_matches("xl/worksheets/").trim_end_matches(".xml"), rows, columns)?;
    }
    Ok(())
}

/// The cells a workbook's sheets span, added up sheet by sheet, refusing too many in one sheet
/// or in all.
#[derive(Default)]
struct Spans {
    total: u64,
}

impl Spans {
    fn add(&mut self, sheet: &str, rows: u64, columns: u64) -> Result<(), ReadError> {
        let cells = rows.saturating_mul(columns);
        if cells > MAX_CELLS {
            return Err(ReadError::TooManyCells { sheet: sheet.to_owned(), cells, span: format!("{rows} rows by {columns} columns") });
        }
        self.total = self.total.saturating_add(cells);
        if self.total > MAX_WORKBOOK_CELLS {
            return Err(ReadError::TooManyCellsInAll { cells: self.total });
        }
        Ok(())
    }
}

/// Refuses an .xls whose sheets span too many cells, by the dimensions each declares (calamine
/// reserves room for them) or the furthest cell each places, read from the BIFF records of the
/// workbook stream before calamine sees them.
fn check_xls_spans(bytes: &[u8]) -> Result<(), ReadError> {
    let damaged = |e: std::io::Error| ReadError::Damaged(e.to_string());
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let name = ["/Workbook", "/Book"].into_iter().find(|name| container.is_stream(name)).ok_or_else(|| ReadError::Damaged("it holds no workbook".into()))?;
    let mut stream = Vec::new();
    container.open_stream(name).map_err(damaged)?.take(MAX_UNPACKED_BYTES).read_to_end(&mut stream).map_err(damaged)?;
    let u16_at = |data: &[u8], at: usize| u64::from(u16::from_le_bytes([data[at], data[at + 1]]));
    let mut spans = Spans::default();
    // Each BOF record starts a substream: the workbook's globals, then one per sheet.
    let (mut sheet, mut rows, mut columns) = (0, 0u64, 0u64);
    let mut at = 0;
    while at + 4 <= stream.len() {
        let kind = u16_at(&stream, at);
        let end = (at + 4 + u16_at(&stream, at + 2) as usize).min(stream.len());
        let data = &stream[at + 4..end];
        at = end;
        match kind {
            0x0809 => {
                spans.add(&format!("sheet {sheet}"), rows, columns)?;
                (sheet, rows, columns) = (sheet + 1, 0, 0);
            }
            // DIMENSIONS: BIFF8 counts rows in 32 bits, BIFF5 in 16.
            0x0200 if data.len() >= 14 => {
                rows = rows.max(u64::from(u32::from_le_bytes([data[4], data[5], data[6], data[7]])));
                columns = columns.max(u16_at(data, 10));
            }
            0x0200 if data.len() >= 10 => {
                rows = rows.max(u16_at(data, 2));
                columns = columns.max(u16_at(data, 6));
            }
            // Cell records start with the cell's row and column; MULRK and MULBLANK end with
            // their last column.
            0x0006 | 0x00BD | 0x00BE | 0x00D6 | 0x00FD | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E if data.len() >= 4 => {
                rows = rows.max(u16_at(data, 0) + 1);
                let last = if matches!(kind, 0x00BD | 0x00BE) && data.len() >= 6 { u16_at(data, data.len() - 2) } else { u16_at(data, 2) };
                columns = columns.max(last + 1);
            }
            _ => {}
        }
    }
    spans.add(&format!("sheet {sheet}"), rows, columns)
}

/// Refuses an .xlsb whose sheets place cells too far apart, streaming each sheet's cells.
fn check_xlsb_spans(bytes: &[u8]) -> Result<(), ReadError> {
    let damaged = |e: calamine::XlsbError| damaged_or_encrypted(&e.to_string());
    let mut workbook: calamine::Xlsb<_> = calamine::Xlsb::new(Cursor::new(bytes)).map_err(damaged)?;
    let mut spans = Spans::default();
    for name in workbook.sheet_names() {
        let mut cells = workbook.worksheet_cells_reader(&name).map_err(damaged)?;
        let (mut rows, mut columns) = (0u64, 0u64);
        while let Some(cell) = cells.next_cell().map_err(damaged)? {
            let (row, column) = cell.get_position();
            rows = rows.max(u64::from(row) + 1);
            columns = columns.max(u64::from(column) + 1);
        }
        spans.add(&name, rows, columns)?;
    }
    Ok(())
}

/// The furthest row and column a sheet's XML names, in a `ref="A1:C9"` or an `r="C9"`
/// attribute, 1-based.
fn furthest_cell(mut reader: impl Read) -> std::io::Result<(u64, u64)> {
    let (mut rows, mut columns) = (0u64, 0u64);
    let mut buffer = vec![0u8; 64 * 1024];
    // Carried over from the last chunk, so a reference split between chunks is still read.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let read = reader.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        carry.extend_from_slice(&buffer[..read]);
        let mut start = 0;
        while let Some(offset) = find_reference(&carry[start..]) {
            let at = start + offset;
            let Some(end) = carry[at..].iter().position(|&b| b == b'"') else { break };
            for reference in carry[at..at + end].split(|&b| b == b':') {
                let (row, column) = cell_reference(reference);
                rows = rows.max(row);
                columns = columns.max(column);
            }
            start = at + end;
        }
        carry.drain(..start.max(carry.len().saturating_sub(32)));
    }
    Ok((rows, columns))
}

/// Where the value of the next ` r="` or ` ref="` attribute starts, in one pass.
fn find_reference(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find_map(|i| {
        let rest = &bytes[i..];
        if rest.starts_with(b" r=\"") {
            Some(i + 4)
        } else if rest.starts_with(b" ref=\"") {
            Some(i + 6)
        } else {
            None
        }
    })
}

/// A reference like "XFD1048576" as (row, column), 1-based; (0, 0) when it is not one.
fn cell_reference(text: &[u8]) -> (u64, u64) {
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let column = text[..letters].iter().fold(0u64, |n, b| n.saturating_mul(26).saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1)));
    let row = std::str::from_utf8(&text[letters..]).ok().and_then(|digits| digits.parse().ok()).unwrap_or(0);
    (row, column)
}

/// Reads every sheet with calamine, each cell as text.
fn read_with_calamine(bytes: &[u8]) -> Result<Vec<SheetGrid>, ReadError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| damaged_or_encrypted(&e.to_string()))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(ReadError::NoSheets);
    }
    let mut grids = Vec::with_capacity(names.len());
    let mut spans = Spans::default();
    for name in names {
        let range = workbook.worksheet_range(&name).map_err(|e| damaged_or_encrypted(&e.to_string()))?;
        let (height, width) = range.get_size();
        spans.add(&name, height as u64, width as u64)?;
        let (top, left) = range.start().map_or((0, 0), |(row, column)| (row as usize, column as usize));
        let mut rows = vec![Vec::new(); top];
        for row in range.rows() {
            let mut cells = vec![String::new(); left];
            cells.extend(row.iter().map(cell_text));
            rows.push(cells);
        }
        grids.push(SheetGrid { name, rows });
    }
    Ok(grids)
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
