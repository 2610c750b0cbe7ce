//! Untrusted spreadsheets are read in a child process of caremap's own program, so that no file,
//! whatever it finds in a parser, can stop the server or harm another request. The child limits
//! its own heap and CPU time through the kernel before it reads a byte, holds no database
//! handle and no environment, takes the file on its standard input and passes its cells back on
//! its standard output as they are read. The parent checks every cell against the same limits
//! again, kills a child that runs past the time limit, and turns a child that dies (of an
//! allocation failure, a signal or its CPU limit) into a refusal naming the file. Only a few
//! children run at once; the rest wait their turn.

use super::read::{CellSink, Checked, GridBuilder, MAX_CELL_CHARS, MAX_FILE_BYTES, ReadError, read_cells, read_workbook};
use crate::model::sheet::SheetGrid;
use std::ffi::OsString;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

/// The hidden subcommand of `caremap` that reads one spreadsheet in a child process.
pub const READER_COMMAND: &str = "read-spreadsheet";
/// How long reading one file may take, by the clock, before its reader is killed.
pub const READ_TIME_LIMIT: Duration = Duration::from_secs(30);
/// The heap a reader may take. An .xlsx is streamed, so even a learning matrix of 10,000
/// people × 46 functions (16 MB) needs a small part of it; an .xls or .ods is held whole by its
/// parser and needs more. Two readers at their limit, and the server, stay under 512 MB.
pub const READER_HEAP_BYTES: u64 = 192 * 1024 * 1024;
/// The CPU time a reader may take.
const READER_CPU_SECONDS: u64 = 30;
/// How many readers run at once: one for each of the machine's cores, as a rule.
pub const READERS_AT_ONCE: usize = 2;
/// What is kept of a reader's complaints on its standard error, for the log.
const COMPLAINTS_KEPT: usize = 16 * 1024;

/// How spreadsheets from outside are read.
#[derive(Clone)]
pub enum SpreadsheetReader {
    /// In a child process with hard limits, a few at a time: what the server and the command
    /// line use.
    Isolated(Arc<Isolation>),
    /// On a blocking thread of this process, with none of the isolation: only the baseline that
    /// the benchmark measures isolation against.
    InProcess,
}

/// The program a reader runs, and the turns readers take.
pub struct Isolation {
    program: PathBuf,
    args: Vec<OsString>,
    turns: Semaphore,
    /// Files waiting for their turn just now.
    waiting: AtomicUsize,
}

/// Counts a file as waiting for as long as it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl SpreadsheetReader {
    /// Readers running `program` with `args`, then `--name=FILE NAME`.
    pub fn isolated(program: PathBuf, args: Vec<OsString>) -> Self {
        SpreadsheetReader::Isolated(Arc::new(Isolation { program, args, turns: Semaphore::new(READERS_AT_ONCE), waiting: AtomicUsize::new(0) }))
    }

    /// Readers running this very program's hidden reading subcommand.
    pub fn this_program() -> std::io::Result<Self> {
        Ok(Self::isolated(std::env::current_exe()?, vec![READER_COMMAND.into()]))
    }

    /// How many files are waiting for a reader just now, for the progress line of an upload.
    pub fn waiting(&self) -> usize {
        match self {
            SpreadsheetReader::Isolated(isolation) => isolation.waiting.load(Ordering::Relaxed),
            SpreadsheetReader::InProcess => 0,
        }
    }

    /// Reads a file named `name` into grids of text, or says why not.
    pub async fn read(&self, name: &str, bytes: Vec<u8>) -> Result<Vec<SheetGrid>, ReadError> {
        match self {
            SpreadsheetReader::Isolated(isolation) => isolation.read(name, bytes).await,
            SpreadsheetReader::InProcess => {
                let name = name.to_owned();
                let reading = tokio::task::spawn_blocking(move || read_workbook(&name, &bytes));
                reading.await.unwrap_or_else(|panic| {
                    tracing::error!(%panic, "reading a spreadsheet panicked");
                    Err(ReadError::Damaged("the reader failed on it".into()))
                })
            }
        }
    }
}

impl Isolation {
    async fn read(&self, name: &str, bytes: Vec<u8>) -> Result<Vec<SheetGrid>, ReadError> {
        let stopped = || ReadError::ReaderStopped { name: name.to_owned() };
        let turn = {
            let _waiting = Waiting::start(&self.waiting);
            self.turns.acquire().await
        };
        let _turn = turn.map_err(|_| stopped())?;
        let mut child = tokio::process::Command::new(&self.program)
            .args(&self.args)
            .arg(format!("--name={name}"))
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| {
                tracing::error!(%error, program = %self.program.display(), "the spreadsheet reader did not start");
                stopped()
            })?;
        let (Some(mut input), Some(output), Some(complaints)) = (child.stdin.take(), child.stdout.take(), child.stderr.take()) else {
            return Err(stopped());
        };
        // A reader that stops early closes its input: that is seen in how it ended, not here.
        tokio::spawn(async move {
            let _ = input.write_all(&bytes).await;
        });
        let complaints = tokio::spawn(first_bytes(complaints, COMPLAINTS_KEPT));
        let output = output.into_owned_fd().map_err(|_| stopped())?;
        let decoding = tokio::task::spawn_blocking(move || receive(BufReader::with_capacity(256 * 1024, std::fs::File::from(output))));
        let finished = tokio::time::timeout(READ_TIME_LIMIT, async {
            let received = decoding.await;
            (received, child.wait().await)
        })
        .await;
        let Ok((received, status)) = finished else {
            let _ = child.kill().await;
            tracing::warn!(file = name, "a spreadsheet reader ran past its time limit and was killed");
            return Err(ReadError::TookTooLong { name: name.to_owned(), seconds: READ_TIME_LIMIT.as_secs() });
        };
        match received {
            Ok(Ok(Received::Grids(grids))) => Ok(grids),
            Ok(Ok(Received::Refused(error))) | Ok(Err(error)) => {
                // A refusal of the parent's own checks leaves the child writing to a closed pipe.
                let _ = child.kill().await;
                Err(error)
            }
            Ok(Ok(Received::Cut)) | Err(_) => {
                let complaints = complaints.await.unwrap_or_default();
                let complaints = String::from_utf8_lossy(&complaints);
                tracing::warn!(file = name, ?status, %complaints, "a spreadsheet reader stopped before it finished");
                Err(died(name, status.ok(), &complaints))
            }
        }
    }
}

/// Why a reader that stopped before it finished did so, for the person who sent the file.
fn died(name: &str, status: Option<std::process::ExitStatus>, complaints: &str) -> ReadError {
    use std::os::unix::process::ExitStatusExt;
    let name = name.to_owned();
    if complaints.contains("memory allocation of") || complaints.contains("capacity overflow") {
        ReadError::TooMuchMemory { name }
    } else if status.and_then(|s| s.signal()) == Some(libc::SIGXCPU) {
        ReadError::TookTooLong { name, seconds: READER_CPU_SECONDS }
    } else {
        ReadError::ReaderStopped { name }
    }
}

/// The first `kept` bytes a stream sends; the rest is read and dropped, so the writer never
/// waits on a full pipe.
async fn first_bytes(mut stream: impl tokio::io::AsyncRead + Unpin, kept: usize) -> Vec<u8> {
    let (mut text, mut buffer) = (Vec::new(), [0u8; 4096]);
    while let Ok(read @ 1..) = stream.read(&mut buffer).await {
        let room = kept.saturating_sub(text.len()).min(read);
        text.extend_from_slice(&buffer[..room]);
    }
    text
}

// What passes from a reader to its parent: a tag byte, then little-endian numbers and text.
const SHEET: u8 = b'S';
const CELL: u8 = b'C';
const DONE: u8 = b'D';
const REFUSED: u8 = b'R';
/// The longest sheet name or refusal that passes: far more than either is.
const MAX_MESSAGE_BYTES: u32 = 64 * 1024;

/// How a reader's output ended.
enum Received {
    Grids(Vec<SheetGrid>),
    Refused(ReadError),
    /// The output stopped, or made no sense, before its end.
    Cut,
}

/// Builds the grids from a reader's output, checking every cell against the limits again.
fn receive(mut output: impl Read) -> Result<Received, ReadError> {
    let mut grids = Checked::new(GridBuilder::default());
    let mut text = Vec::new();
    loop {
        let mut tag = [0u8; 1];
        if output.read_exact(&mut tag).is_err() {
            return Ok(Received::Cut);
        }
        let ok = match tag[0] {
            SHEET => read_text(&mut output, &mut text, MAX_MESSAGE_BYTES).map(|name| grids.sheet(name)),
            CELL => match (read_u32(&mut output), read_u32(&mut output)) {
                (Some(row), Some(column)) => read_text(&mut output, &mut text, 4 * MAX_CELL_CHARS as u32).map(|cell| grids.cell(row, column, cell.to_owned())),
                _ => None,
            },
            REFUSED => {
                let refusal = read_text(&mut output, &mut text, MAX_MESSAGE_BYTES).and_then(|json| serde_json::from_str(json).ok());
                return Ok(refusal.map_or(Received::Cut, Received::Refused));
            }
            DONE => return grids.into_inner().finish().map(Received::Grids),
            _ => None,
        };
        match ok {
            Some(result) => result?,
            None => return Ok(Received::Cut),
        }
    }
}

fn read_u32(input: &mut impl Read) -> Option<u32> {
    let mut bytes = [0u8; 4];
    input.read_exact(&mut bytes).ok().map(|()| u32::from_le_bytes(bytes))
}

/// Reads a length and that many bytes of UTF-8 into `buffer`; none if the length is over `most`.
fn read_text<'b>(input: &mut impl Read, buffer: &'b mut Vec<u8>, most: u32) -> Option<&'b str> {
    let length = read_u32(input).filter(|length| *length <= most)?;
    buffer.resize(length as usize, 0);
    input.read_exact(buffer).ok()?;
    std::str::from_utf8(buffer).ok()
}

/// Passes cells to the parent as they are read.
struct Sender<W: Write> {
    output: W,
}

impl<W: Write> Sender<W> {
    fn text(&mut self, text: &str) -> std::io::Result<()> {
        self.output.write_all(&(text.len() as u32).to_le_bytes())?;
        self.output.write_all(text.as_bytes())
    }
}

/// The parent has gone: nothing more can be said to it.
fn gone(error: std::io::Error) -> ReadError {
    ReadError::Damaged(format!("the reader's output failed: {error}"))
}

impl<W: Write> CellSink for Sender<W> {
    fn sheet(&mut self, name: &str) -> Result<(), ReadError> {
        self.output.write_all(&[SHEET]).map_err(gone)?;
        self.text(name).map_err(gone)
    }

    fn cell(&mut self, row: u32, column: u32, text: String) -> Result<(), ReadError> {
        self.output.write_all(&[CELL]).map_err(gone)?;
        self.output.write_all(&row.to_le_bytes()).map_err(gone)?;
        self.output.write_all(&column.to_le_bytes()).map_err(gone)?;
        self.text(&text).map_err(gone)
    }
}

/// The reader itself: `caremap read-spreadsheet --name=FILE`, run by [`Isolation`] with the file
/// on its standard input. Limits itself first, then reads, passing cells on as it goes, and
/// ends with the word that all is read or why the file is refused.
pub fn run_reader(name: &str) -> ExitCode {
    if let Err(error) = limit_this_process() {
        eprintln!("caremap: the reader cannot limit itself: {error}");
        return ExitCode::FAILURE;
    }
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin().lock().take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes) {
        eprintln!("caremap: the reader cannot read its input: {error}");
        return ExitCode::FAILURE;
    }
    let mut sender = Checked::new(Sender { output: BufWriter::with_capacity(256 * 1024, std::io::stdout().lock()) });
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_cells(name, &bytes, &mut sender)))
        .unwrap_or_else(|_| Err(ReadError::Damaged("the reader failed on it".into())));
    let mut output = sender.into_inner().output;
    let ended = match read {
        Ok(()) => output.write_all(&[DONE]),
        Err(refusal) => {
            let json = serde_json::to_string(&refusal).expect("a refusal is plain data");
            output.write_all(&[REFUSED]).and_then(|()| Sender { output: &mut output }.text(&json))
        }
    };
    match ended.and_then(|()| output.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

/// Limits this process's heap and CPU time through the kernel, and lets it write no files and
/// leave no core dump.
fn limit_this_process() -> std::io::Result<()> {
    let limit = |resource, soft: u64, hard: u64| {
        let limit = libc::rlimit { rlim_cur: soft as libc::rlim_t, rlim_max: hard as libc::rlim_t };
        // SAFETY: setrlimit reads the limit passed by reference and nothing else.
        if unsafe { libc::setrlimit(resource, &limit) } == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
    };
    limit(libc::RLIMIT_DATA, READER_HEAP_BYTES, READER_HEAP_BYTES)?;
    limit(libc::RLIMIT_CPU, READER_CPU_SECONDS, READER_CPU_SECONDS + 1)?;
    limit(libc::RLIMIT_FSIZE, 0, 0)?;
    limit(libc::RLIMIT_CORE, 0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a reader writes for `cells` on one sheet, then its ending.
    fn output(cells: &[(u32, u32, &str)], ending: Result<(), ReadError>) -> Vec<u8> {
        let mut sender = Sender { output: Vec::new() };
        sender.sheet("Matrix").unwrap();
        for (row, column, text) in cells {
            sender.cell(*row, *column, (*text).to_owned()).unwrap();
        }
        let mut output = sender.output;
        match ending {
            Ok(()) => output.push(DONE),
            Err(refusal) => {
                output.push(REFUSED);
                Sender { output: &mut output }.text(&serde_json::to_string(&refusal).unwrap()).unwrap();
            }
        }
        output
    }

    #[test]
    fn cells_pass_to_the_parent_and_build_the_same_grid() {
        let bytes = output(&[(0, 0, "Function"), (0, 2, "GP"), (2, 1, "x")], Ok(()));
        let Ok(Received::Grids(grids)) = receive(&bytes[..]) else { panic!("grids") };
        assert_eq!(grids[0].name, "Matrix");
        assert_eq!(grids[0].rows, vec![vec!["Function".to_owned(), String::new(), "GP".to_owned()], vec![], vec![String::new(), "x".to_owned()]]);
    }

    #[test]
    fn a_refusal_passes_whole_and_a_cut_or_garbled_output_is_no_answer() {
        let bytes = output(&[(0, 0, "a")], Err(ReadError::TooManySheets));
        assert!(matches!(receive(&bytes[..]), Ok(Received::Refused(ReadError::TooManySheets))));
        let whole = output(&[(0, 0, "Function"), (1, 0, "Build relationships")], Ok(()));
        assert!(matches!(receive(&whole[..whole.len() - 1]), Ok(Received::Cut)), "no ending");
        assert!(matches!(receive(&whole[..whole.len() - 5]), Ok(Received::Cut)), "cut inside a cell");
        let mut garbled = whole.clone();
        garbled[0] = b'?';
        assert!(matches!(receive(&garbled[..]), Ok(Received::Cut)));
    }

    #[test]
    fn the_parent_checks_the_limits_again() {
        let far = output(&[(0, 0, "a"), (999_999, 16_383, "b")], Ok(()));
        assert!(matches!(receive(&far[..]), Err(ReadError::TooManyCells { .. })));
        let long = "x".repeat(MAX_CELL_CHARS + 1);
        let bytes = output(&[(4, 1, &long)], Ok(()));
        assert_eq!(receive(&bytes[..]).err(), Some(ReadError::CellTooLong { sheet: "Matrix".into(), row: 5, column: "B".into(), chars: MAX_CELL_CHARS + 1 }));
    }

    #[test]
    fn a_reader_that_dies_is_a_refusal_naming_the_file() {
        use std::os::unix::process::ExitStatusExt;
        let signal = |number: i32| Some(std::process::ExitStatus::from_raw(number));
        assert_eq!(
            died("a.xlsx", signal(libc::SIGABRT), "memory allocation of 549755813888 bytes failed\n"),
            ReadError::TooMuchMemory { name: "a.xlsx".into() }
        );
        assert!(matches!(died("a.xlsx", signal(libc::SIGXCPU), ""), ReadError::TookTooLong { .. }));
        assert_eq!(died("a.xlsx", signal(libc::SIGKILL), ""), ReadError::ReaderStopped { name: "a.xlsx".into() });
        assert!(
            ReadError::TooMuchMemory { name: "a.xlsx".into() }
                .to_string()
                .contains("“a.xlsx” needs more memory than caremap allows for a spreadsheet; it may be damaged")
        );
    }
}
