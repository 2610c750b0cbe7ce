//! A corpus of broken and hostile spreadsheets, made here rather than stored: each family of
//! damage caremap must refuse (or read without harm), written as small files the way an
//! attacker or a broken program would write them. Each file says what caremap must answer.

use std::io::Write;

/// What caremap must make of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Refused, with one of these words in the reason.
    Refused(&'static [&'static str]),
    /// Read without harm: imported, or refused for what it holds (no matrix), never for
    /// damage or limits.
    Read,
}

/// One file of the corpus.
pub struct Hostile {
    pub name: &'static str,
    /// What it does, in a few words.
    pub family: &'static str,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

/// The file of a zip archive holding `parts`, deflated.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut archive = zip::ZipWriter::new(&mut bytes);
    for (name, content) in parts {
        archive.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        archive.write_all(content).unwrap();
    }
    archive.finish().unwrap();
    bytes.into_inner()
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_DOCUMENT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const WORKSHEET: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";

/// An .xlsx whose workbook part is `workbook` (e.g. "xl/workbook.xml"), with sheets named and
/// placed as given (targets relative to the workbook's folder, or absolute), and other parts.
fn xlsx(workbook: &str, sheets: &[(&str, &str)], parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let (folder, file) = workbook.rsplit_once('/').unwrap_or(("", workbook));
    let root_rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="{workbook}"/></Relationships>"#
    );
    let entries: String =
        sheets.iter().enumerate().map(|(i, (name, _))| format!(r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#, i + 1, i + 1)).collect();
    let book = format!(
        r#"<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{entries}</sheets></workbook>"#
    );
    let links: String =
        sheets.iter().enumerate().map(|(i, (_, target))| format!(r#"<Relationship Id="rId{}" Type="{WORKSHEET}" Target="{target}"/>"#, i + 1)).collect();
    let book_rels = format!(r#"<?xml version="1.0"?><Relationships xmlns="{RELATIONSHIPS}">{links}</Relationships>"#);
    let rels_name = if folder.is_empty() { format!("_rels/{file}.rels") } else { format!("{folder}/_rels/{file}.rels") };
    let mut all: Vec<(String, Vec<u8>)> =
        vec![("_rels/.rels".into(), root_rels.into_bytes()), (workbook.into(), book.into_bytes()), (rels_name, book_rels.into_bytes())];
    all.extend(parts.iter().map(|(name, bytes)| ((*name).to_owned(), bytes.clone())));
    let borrowed: Vec<(&str, &[u8])> = all.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
    zip_of(&borrowed)
}

/// A worksheet part holding `rows` (the XML inside `<sheetData>`).
fn sheet(rows: &str) -> Vec<u8> {
    format!(r#"<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>"#).into_bytes()
}

/// An .xlsx of one sheet at the usual place.
fn one_sheet(rows: &str) -> Vec<u8> {
    xlsx("xl/workbook.xml", &[("Sheet1", "worksheets/sheet1.xml")], &[("xl/worksheets/sheet1.xml", sheet(rows))])
}

fn inline(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Letters that do not compress to nothing, so a large string is not mistaken for a zip bomb.
fn varied_text(length: usize) -> String {
    let mut state = 0x2545_F491_u32;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect()
}

/// A BIFF8 record: its type, length and data.
fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut bytes = kind.to_le_bytes().to_vec();
    bytes.extend((data.len() as u16).to_le_bytes());
    bytes.extend(data);
    bytes
}

fn bof(substream: u16) -> Vec<u8> {
    let mut data = vec![0x00, 0x06];
    data.extend(substream.to_le_bytes());
    data.extend([0u8; 12]);
    record(0x0809, &data)
}

fn eof() -> Vec<u8> {
    record(0x000A, &[])
}

/// DIMENSIONS: first row, last row + 1, first column, last column + 1.
fn dimensions(first_row: u32, last_row: u32, first_column: u16, last_column: u16) -> Vec<u8> {
    let mut data = first_row.to_le_bytes().to_vec();
    data.extend(last_row.to_le_bytes());
    data.extend(first_column.to_le_bytes());
    data.extend(last_column.to_le_bytes());
    data.extend([0, 0]);
    record(0x0200, &data)
}

fn number(row: u16, column: u16, value: f64) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(column.to_le_bytes());
    data.extend([0, 0]);
    data.extend(value.to_le_bytes());
    record(0x0203, &data)
}

/// A worksheet substream: its cells, under the dimensions given.
fn worksheet(dims: Vec<u8>, cells: Vec<Vec<u8>>) -> Vec<u8> {
    let mut bytes = bof(0x0010);
    bytes.extend(dims);
    bytes.extend(cells.into_iter().flatten());
    bytes.extend(eof());
    bytes
}

/// BOUNDSHEET8 for a sheet whose substream starts at `at`, hidden if `hidden`.
fn bound_sheet(at: u32, hidden: bool, name: &str) -> Vec<u8> {
    let mut data = at.to_le_bytes().to_vec();
    data.extend([u8::from(hidden), 0, name.len() as u8, 0]);
    data.extend(name.as_bytes());
    record(0x0085, &data)
}

/// A BIFF8 workbook stream: globals (with `extra` records before the sheet list) then the
/// sheets, each listed with whether it is hidden.
fn workbook_stream(extra: &[Vec<u8>], sheets: &[(bool, Vec<u8>)]) -> Vec<u8> {
    let names: Vec<String> = (1..=sheets.len()).map(|i| format!("Sheet{i}")).collect();
    let mut globals_length = bof(0x0005).len() + extra.iter().map(Vec::len).sum::<usize>() + eof().len();
    globals_length += names.iter().map(|name| bound_sheet(0, false, name).len()).sum::<usize>();
    let mut globals = bof(0x0005);
    globals.extend(extra.iter().flatten());
    let mut at = globals_length;
    for ((hidden, substream), name) in sheets.iter().zip(&names) {
        globals.extend(bound_sheet(at as u32, *hidden, name));
        at += substream.len();
    }
    globals.extend(eof());
    globals.extend(sheets.iter().flat_map(|(_, substream)| substream.clone()));
    globals
}

/// An .xls file: a compound file holding the given streams, e.g. ("/Workbook", bytes).
fn xls(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut container = cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new())).unwrap();
    for (path, bytes) in streams {
        if let Some((folder, _)) = path.rsplit_once('/').filter(|(folder, _)| !folder.is_empty()) {
            container.create_storage_all(folder).unwrap();
        }
        container.create_stream(path).unwrap().write_all(bytes).unwrap();
    }
    container.flush().unwrap();
    container.into_inner().into_inner()
}

/// A small sheet that reads cleanly.
fn plain_cells() -> Vec<Vec<u8>> {
    vec![number(0, 0, 1.0), number(1, 1, 2.0)]
}

/// An .ods holding `content` (the XML inside `<table:table>`).
fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Sheet1">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = br#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("META-INF/manifest.xml", manifest), ("content.xml", content.as_bytes())])
}

/// A zip whose central directory lists `count` parts that all share the bytes of one: an
/// "overlap bomb".
fn overlap_bomb(count: usize) -> Vec<u8> {
    let single = zip_of(&[("xl/worksheets/sheet1.xml", &sheet(&inline("A1", &"x".repeat(200_000))))]);
    let archive = zip::ZipArchive::new(std::io::Cursor::new(&single)).unwrap();
    let directory = archive.central_directory_start() as usize;
    let entry = single[directory..].to_vec();
    // The one central directory entry, and the end record after it.
    let name_length = u16::from_le_bytes([entry[28], entry[29]]) as usize;
    let extra_length = u16::from_le_bytes([entry[30], entry[31]]) as usize;
    let comment_length = u16::from_le_bytes([entry[32], entry[33]]) as usize;
    let template = &entry[..46 + name_length + extra_length + comment_length];
    let mut bytes = single[..directory].to_vec();
    let mut central = Vec::new();
    for index in 0..count {
        let name = if index == 0 { "xl/workbook.xml".to_owned() } else { format!("xl/worksheets/sheet{index}.xml") };
        let mut copy = template[..46].to_vec();
        copy[28..30].copy_from_slice(&(name.len() as u16).to_le_bytes());
        copy[30..34].copy_from_slice(&[0, 0, 0, 0]);
        copy.extend(name.as_bytes());
        central.extend(copy);
    }
    let mut end = vec![0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0];
    end.extend((count as u16).to_le_bytes());
    end.extend((count as u16).to_le_bytes());
    end.extend((central.len() as u32).to_le_bytes());
    end.extend((bytes.len() as u32).to_le_bytes());
    end.extend([0, 0]);
    bytes.extend(central);
    bytes.extend(end);
    bytes
}

const SPAN: &[&str] = &["rows by"];
const MEMORY_OR_SPAN: &[&str] = &["rows by", "needs more memory", "span"];

/// Every family of the corpus, one or more files each.
pub fn corpus() -> Vec<Hostile> {
    let far = inline("XFD1048576", "x");
    let near = inline("A1", "Function");
    let huge_hidden = worksheet(dimensions(0, 0x0FFF_FFFF, 0, 256), vec![number(0, 0, 1.0)]);
    let orphan = worksheet(dimensions(0, 0x0FFF_FFFF, 0, 256), vec![number(0, 0, 1.0)]);
    // The orphan hides inside a record's data, where a reading of the records in order passes
    // over it; its sheet-list entry points into it.
    let orphan_stream = {
        let junk = record(0x00EB, &orphan);
        let mut stream = workbook_stream(std::slice::from_ref(&junk), &[]);
        // Sheet list: placed by hand to point inside the junk record.
        let at = bof(0x0005).len() + 4;
        let list = bound_sheet(at as u32, false, "Sheet1");
        stream.splice(bof(0x0005).len() + junk.len()..bof(0x0005).len() + junk.len(), list);
        stream
    };
    let shared_strings = |length: usize| {
        format!(r#"<?xml version="1.0"?><sst xmlns="{MAIN}" count="49000" uniqueCount="1"><si><t>{}</t></si></sst>"#, varied_text(length)).into_bytes()
    };
    let shared_rows: String = (1..=49_000).map(|row| format!(r#"<row r="{row}"><c r="A{row}" t="s"><v>0</v></c></row>"#)).collect();
    let many_sheets: Vec<(String, &str)> = (1..=1000).map(|i| (format!("S{i}"), "worksheets/sheet1.xml")).collect();
    let many_sheets: Vec<(&str, &str)> = many_sheets.iter().map(|(name, target)| (name.as_str(), *target)).collect();
    let text_64k = varied_text(64 * 1024);
    let sst_8000 = {
        let text = varied_text(8000);
        let mut data = 10_000u32.to_le_bytes().to_vec();
        data.extend(1u32.to_le_bytes());
        data.extend(8000u16.to_le_bytes());
        data.push(0);
        data.extend(text.as_bytes());
        record(0x00FC, &data)
    };
    let label_sst = |row: u16| {
        let mut data = row.to_le_bytes().to_vec();
        data.extend([0, 0, 0, 0]);
        data.extend(0u32.to_le_bytes());
        record(0x00FD, &data)
    };
    vec![
        Hostile {
            name: "single-quotes.xlsx",
            family: "cell references in single-quoted attributes",
            bytes: one_sheet(&format!("<row r='1'>{near}</row><row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>")),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "spaced.xlsx",
            family: "cell references with spaces around =",
            bytes: one_sheet(&format!(r#"<row r="1">{near}</row><row r = "1048576"><c r = "XFD1048576" t = "inlineStr"><is><t>x</t></is></c></row>"#)),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "tabbed.xlsx",
            family: "a tab and a line break before r",
            bytes: one_sheet(&format!("<row\tr=\"1\">{near}</row><row\nr=\"1048576\"><c\tr=\"XFD1048576\"\nt=\"inlineStr\"><is><t>x</t></is></c></row>")),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "unreferenced.xlsx",
            family: "cells with no references, placed by position",
            bytes: one_sheet(&format!(
                r#"<row>{}</row><row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>"#,
                r#"<c t="inlineStr"><is><t>x</t></is></c>"#.repeat(16_384)
            )),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "odd-folder.xlsx",
            family: "a sheet part in an unusual folder, name and case",
            bytes: xlsx(
                "xl/workbook.xml",
                &[("Sheet1", "/Custom/Parts/HUGE.XML")],
                &[("Custom/Parts/HUGE.XML", sheet(&format!("<row r=\"1\">{near}</row><row r=\"1048576\">{far}</row>")))],
            ),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "decoy.xlsx",
            family: "the workbook part in another folder, beside a harmless decoy",
            bytes: xlsx(
                "book/main.xml",
                &[("Sheet1", "sheets/one.xml")],
                &[
                    ("xl/workbook.xml", format!(r#"<workbook xmlns="{MAIN}"><sheets/></workbook>"#).into_bytes()),
                    ("book/sheets/one.xml", sheet(&format!("<row r=\"1\">{near}</row><row r=\"1048576\">{far}</row>"))),
                ],
            ),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "declared-huge.xlsx",
            family: "a sheet that declares the largest dimension but places one cell",
            bytes: xlsx(
                "xl/workbook.xml",
                &[("Sheet1", "worksheets/sheet1.xml")],
                &[(
                    "xl/worksheets/sheet1.xml",
                    format!(r#"<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData><row r="1">{near}</row></sheetData></worksheet>"#)
                        .into_bytes(),
                )],
            ),
            expect: Expect::Read,
        },
        Hostile {
            name: "lying-count.xlsx",
            family: "a shared-strings table whose count lies",
            bytes: xlsx(
                "xl/workbook.xml",
                &[("Sheet1", "worksheets/sheet1.xml")],
                &[
                    ("xl/worksheets/sheet1.xml", sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)),
                    (
                        "xl/sharedStrings.xml",
                        format!(r#"<sst xmlns="{MAIN}" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>"#).into_bytes(),
                    ),
                ],
            ),
            expect: Expect::Refused(&["needs more memory"]),
        },
        Hostile {
            name: "shared-megabyte.xlsx",
            family: "a shared string of 1 MB used by 49,000 cells",
            bytes: xlsx(
                "xl/workbook.xml",
                &[("Sheet1", "worksheets/sheet1.xml")],
                &[("xl/worksheets/sheet1.xml", sheet(&shared_rows)), ("xl/sharedStrings.xml", shared_strings(1024 * 1024))],
            ),
            expect: Expect::Refused(&["holds 1048576 characters"]),
        },
        Hostile {
            name: "shared-30k.xlsx",
            family: "a shared string of 30,000 characters used by 49,000 cells",
            bytes: xlsx(
                "xl/workbook.xml",
                &[("Sheet1", "worksheets/sheet1.xml")],
                &[("xl/worksheets/sheet1.xml", sheet(&shared_rows)), ("xl/sharedStrings.xml", shared_strings(30_000))],
            ),
            expect: Expect::Refused(&["of text together"]),
        },
        Hostile {
            name: "thousand-sheets.xlsx",
            family: "1,000 sheets pointing at one part",
            bytes: xlsx(
                "xl/workbook.xml",
                &many_sheets,
                &[("xl/worksheets/sheet1.xml", sheet(&format!("<row r=\"1\">{}</row>", inline("A1", &text_64k[..30_000]))))],
            ),
            expect: Expect::Refused(&["more than 255 sheets", "of text together"]),
        },
        Hostile { name: "overlap.xlsx", family: "zip parts overlapping one another", bytes: overlap_bomb(200), expect: Expect::Refused(&["overlap"]) },
        Hostile {
            name: "long-cell.xlsx",
            family: "a cell of 32,768 characters",
            bytes: one_sheet(&format!(r#"<row r="3">{}</row>"#, inline("B3", &"y".repeat(32_768)))),
            expect: Expect::Refused(&["sheet “Sheet1”, row 3, column B holds 32768 characters"]),
        },
        Hostile {
            name: "long-cell.csv",
            family: "a cell of 32,768 characters, as text",
            bytes: format!("Function,Age UK\nBuild relationships,{}\n", "z".repeat(32_768)).into_bytes(),
            expect: Expect::Refused(&["row 2, column B holds 32768 characters"]),
        },
        Hostile {
            name: "commas.csv",
            family: "24 MB of empty fields with one value at the end, as text",
            bytes: format!("Function,Age UK\n{}x\n", ",".repeat(24_000_000)).into_bytes(),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "repeated.ods",
            family: "rows and columns repeated thousands of times around a large string",
            bytes: ods(&format!(
                r#"<table:table-row table:number-rows-repeated="5000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
                &text_64k[..30_000]
            )),
            expect: Expect::Refused(&["needs more memory", "of text together", "span", "damaged"]),
        },
        Hostile {
            name: "reversed.xls",
            family: "an .xls whose dimensions are reversed",
            bytes: xls(&[("/Workbook", workbook_stream(&[], &[(false, worksheet(dimensions(10, 5, 0, 2), plain_cells()))]))]),
            expect: Expect::Refused(&["last row before its first"]),
        },
        Hostile {
            name: "hidden-huge.xls",
            family: "an .xls with huge dimensions in a hidden sheet",
            bytes: xls(&[("/Workbook", workbook_stream(&[], &[(false, worksheet(dimensions(0, 2, 0, 2), plain_cells())), (true, huge_hidden)]))]),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "orphan.xls",
            family: "an .xls whose sheet hides inside another record",
            bytes: xls(&[("/Workbook", orphan_stream)]),
            expect: Expect::Refused(MEMORY_OR_SPAN),
        },
        Hostile {
            name: "two-streams.xls",
            family: "an .xls holding two workbook streams",
            bytes: xls(&[
                ("/Book", workbook_stream(&[], &[(false, worksheet(dimensions(0, 2, 0, 2), plain_cells()))])),
                ("/Hidden/Workbook", workbook_stream(&[], &[(false, worksheet(dimensions(0, 0x0FFF_FFFF, 0, 256), plain_cells()))])),
            ]),
            expect: Expect::Refused(SPAN),
        },
        Hostile {
            name: "shared-8k.xls",
            family: "an .xls whose 10,000 cells share an 8,000-character string",
            bytes: xls(&[(
                "/Workbook",
                workbook_stream(&[sst_8000], &[(false, worksheet(dimensions(0, 10_000, 0, 1), (0..10_000).map(label_sst).collect()))]),
            )]),
            expect: Expect::Read,
        },
        Hostile {
            name: "locked.xls",
            family: "a password-protected .xls",
            bytes: xls(&[(
                "/Workbook",
                workbook_stream(&[record(0x002F, &[1, 0, 1, 0, 0, 0, 0, 0])], &[(false, worksheet(dimensions(0, 2, 0, 2), plain_cells()))]),
            )]),
            expect: Expect::Refused(&["protected by a password"]),
        },
    ]
}
