//! A learning matrix of 10,000 people × 46 functions written as .xlsx and read back, with the
//! time and peak heap memory of each, and Python's openpyxl (read-only mode) reading the same
//! file in the same run, for comparison; then the whole import, saved to a new SQLite database,
//! with the file read in this process and, as the web and the command line do it, by an
//! isolated reader (the release build of `caremap`), to show what isolation costs.
//! Run with `cargo bench -p app --features ssr --bench spreadsheet_roundtrip` (part of `make bench`).

mod common;

use app::imports::{ImportKind, ImportMode, ImportOutcome, ImportRequest, import};
use app::model::import::read_priority;
use app::model::sheet::read_matrix;
use app::model::{Email, PersonName, WorkspaceName};
use app::sheets::isolate::SpreadsheetReader;
use app::sheets::read::read_workbook;
use app::sheets::write::{LEARNING_SHEET, NEEDS_SHEET, learning_workbook};
use app::store::{NewAccount, Store};
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts the bytes the program holds on the heap, and the most it has held.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(held, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size > layout.size() {
                let held = HELD.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(held, Ordering::Relaxed);
            } else {
                HELD.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `work` once; answers its result, its time and the most heap it held beyond what was
/// held before.
fn measure<T>(work: impl FnOnce() -> T) -> (T, Duration, usize) {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let result = work();
    let elapsed = start.elapsed();
    (result, elapsed, PEAK.load(Ordering::Relaxed) - before)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let categories = common::categories();
    let learners = common::learners(&categories);
    let catalogue = common::catalogue();
    let functions: usize = categories.iter().map(|c| c.functions.len()).sum();
    let needs: usize = learners.iter().map(|l| l.needs.iter().filter(|n| !n.archived).count()).sum();
    println!("{} people × {functions} functions, {needs} current needs", learners.len());

    let (bytes, export_time, export_peak) = measure(|| learning_workbook("Benchmark", &learners, &categories, &catalogue).expect("the workbook is written"));
    println!("export: {:.2} s, peak heap {:.1} MiB, file {:.1} MiB", export_time.as_secs_f64(), mib(export_peak), mib(bytes.len()));
    let path = std::env::temp_dir().join("caremap-learning-benchmark.xlsx");
    std::fs::write(&path, &bytes).expect("the file is saved");

    let text: usize = read_workbook("learning.xlsx", &bytes).expect("the file reads").iter().flat_map(|g| &g.rows).flatten().map(String::len).sum();
    println!("text the file's cells hold: {:.1} MiB (the most a workbook may hold: {} MiB)", mib(text), app::sheets::read::MAX_TEXT_BYTES / (1024 * 1024));
    let ((cells, rows), import_time, import_peak) = measure(|| {
        let grids = read_workbook("learning.xlsx", &bytes).expect("the file reads");
        let matrix = grids.iter().find(|g| g.name == LEARNING_SHEET).expect("the learning matrix");
        let read = read_matrix(matrix, &categories, read_priority, "").expect("the matrix reads");
        let needs = grids.iter().find(|g| g.name == NEEDS_SHEET).expect("the needs").rows.len() - 1;
        (read.cells.iter().filter(|c| c.mark.is_some()).count(), needs)
    });
    assert_eq!((cells, rows), (needs, needs), "every need read back from both sheets");
    println!("import (read and match, before saving): {:.2} s, peak heap {:.1} MiB", import_time.as_secs_f64(), mib(import_peak));

    let program = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release/caremap");
    match reader_peak_memory(program, &path) {
        Some(peak) => println!(
            "the isolated reader alone on this file: peak resident memory {:.1} MiB (its heap may take {} MiB)",
            mib(peak),
            app::sheets::isolate::READER_HEAP_BYTES / (1024 * 1024)
        ),
        None => println!("the isolated reader's memory not measured: build {program} first (make build)"),
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/bench/openpyxl_read.py");
    match Command::new("python3").arg(script).arg(&path).output() {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            let seconds: f64 = text.split_whitespace().next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
            println!("openpyxl 3.1.5, read-only, same file: {}", text.trim());
            println!("openpyxl takes {:.1}× as long as caremap's import", seconds / import_time.as_secs_f64());
        }
        Ok(output) => println!("openpyxl not measured: {}", String::from_utf8_lossy(&output.stderr).trim()),
        Err(error) => println!("openpyxl not measured: {error}"),
    }
    let _ = std::fs::remove_file(&path);

    // The whole import, read on a thread of this process (as before isolation) and read by
    // caremap's own program in a child process (as the server and command line do), taking
    // turns so that both see the machine alike.
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let isolated =
        std::path::Path::new(program).exists().then(|| SpreadsheetReader::isolated(program.into(), vec![app::sheets::isolate::READER_COMMAND.into()]));
    if isolated.is_none() {
        println!("isolated reading not measured: build {program} first (make build)");
    }
    let mut times: [Vec<f64>; 2] = [vec![], vec![]];
    for round in 0..2 {
        for (index, reader) in [Some(SpreadsheetReader::InProcess), isolated.clone()].into_iter().enumerate() {
            let Some(reader) = reader else { continue };
            let ((outcome, analyses), save_time, save_peak) = measure(|| runtime.block_on(import_into_new_database(bytes.clone(), &reader)));
            let how = if index == 0 { "read in this process" } else { "read in an isolated reader" };
            println!(
                "import saved to SQLite, {how} (round {}: read, plan, then {analyses} analyses and {} needs written, audited, in one transaction): {:.1} s, peak heap {:.1} MiB",
                round + 1,
                outcome.added,
                save_time.as_secs_f64(),
                mib(save_peak)
            );
            times[index].push(save_time.as_secs_f64());
        }
    }
    if isolated.is_some() {
        let best = |times: &[f64]| times.iter().copied().fold(f64::INFINITY, f64::min);
        let (before, after) = (best(&times[0]), best(&times[1]));
        println!("isolation costs {:+.1} % on the whole import (best of two each: {before:.1} s → {after:.1} s)", (after / before - 1.0) * 100.0);
    }
}

/// Runs the isolated reader alone on the file at `path`, as the server would; answers the
/// most resident memory the kernel counted for it after it started (its VmHWM, read until it
/// ends: what it held as a fork of this process before it began does not count).
fn reader_peak_memory(program: &str, path: &std::path::Path) -> Option<usize> {
    let input = std::fs::File::open(path).ok()?;
    let mut child = Command::new(program)
        .args([app::sheets::isolate::READER_COMMAND, "--name=learning.xlsx"])
        .stdin(input)
        .stdout(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let (status, command) = (format!("/proc/{}/status", child.id()), format!("/proc/{}/cmdline", child.id()));
    let mut peak = 0;
    while child.try_wait().ok()?.is_none() {
        // Until it runs the reader, the child is still a copy of this process.
        let started = std::fs::read(&command).is_ok_and(|line| String::from_utf8_lossy(&line).contains(app::sheets::isolate::READER_COMMAND));
        let read = if started { std::fs::read_to_string(&status).unwrap_or_default() } else { String::new() };
        let kib = read.lines().find(|line| line.starts_with("VmHWM:")).and_then(|line| line.split_whitespace().nth(1)?.parse::<usize>().ok());
        peak = peak.max(kib.unwrap_or(0) * 1024);
        std::thread::sleep(Duration::from_millis(1));
    }
    child.wait().ok()?.success().then_some(peak)
}

/// Imports the workbook into a new workspace of a new SQLite database; answers what was done
/// and how many analyses the workspace then has.
async fn import_into_new_database(bytes: Vec<u8>, reader: &SpreadsheetReader) -> (ImportOutcome, usize) {
    let file = std::env::temp_dir().join(format!("caremap-import-benchmark-{}.db", std::process::id()));
    let store = Store::connect(&format!("sqlite://{}", file.display())).await.expect("the database opens");
    let email = Email::parse("bench@example.org").expect("an address");
    let owner = store.create_user(&email, &PersonName::parse("Bench").expect("a name"), "unused", NewAccount::Any).await.expect("a user");
    let workspace = store.create_workspace(&WorkspaceName::parse("Benchmark").expect("a name"), &owner.id).await.expect("a workspace");
    let request = ImportRequest {
        workspace_id: &workspace,
        actor_id: &owner.id,
        kind: ImportKind::Learning,
        file_name: "learning.xlsx",
        bytes,
        target: None,
        today: app::api::today(),
    };
    let outcome = import(&store, reader, request, ImportMode::Apply).await.expect("the import is saved");
    let analyses = store.analyses(&workspace).await.expect("the analyses").len();
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    (outcome, analyses)
}
