//! All SQL lives here. One store serves SQLite (the embedded default) and PostgreSQL (for
//! several server instances sharing one database) through sqlx's `Any` driver, so every
//! query is written once in SQL both understand: `$1` placeholders, TEXT ids made by the app,
//! integers read as `i64`, times as RFC 3339 text.

mod accounts;
mod audit;
mod codecs;
mod frameworks;
mod imports;
mod learning;
mod matrix;
mod migrations;
mod org_maps;
mod role_maps;
mod sample;
mod versioned;

use crate::model::Id;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use accounts::{Credentials, NewAccount};
pub use frameworks::{FrameworkOwner, FrameworkSync, Visible};
pub use imports::{MAX_PENDING_BYTES, MAX_PENDING_UPLOADS, PendingImport};
pub use learning::LearningMatrix;
pub use matrix::{ColumnId, Columns, ImportTarget, MapId, MatrixKind, OrgMaps, RoleMaps};

/// The embedded database used when no address is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/caremap.db";

/// Set on every SQLite connection: write-ahead logging so readers never block the writer,
/// foreign keys enforced, and a ten-second wait for another process's write lock before giving
/// up.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the database address is not supported: use sqlite://PATH (the default is \
         {DEFAULT_DATABASE_URL}) or postgres://USER@HOST:PORT/DATABASE"
    )]
    UnsupportedUrl,
    #[error("could not create the database folder {path}: {source}")]
    CreateFolder { path: PathBuf, source: std::io::Error },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    /// The value changed since the user saw it; nothing was written.
    #[error("this was changed by someone else in the meantime; it is now “{0}”")]
    Stale(Box<crate::model::Current>),
    /// The thing asked for does not exist here; the text names it, e.g. "The map".
    #[error("{0} was not found")]
    NotFound(&'static str),
    /// The cell changed since the editor saw it; nothing was written.
    #[error("the cell was changed by someone else in the meantime; it is now {}", .0.description)]
    StaleCell(crate::model::matrix::StaleCell),
    /// The workspace has as many uploads waiting as it may keep.
    #[error("the workspace's pending uploads are at their limit")]
    PendingUploadsFull,
    /// The invitation has been used, withdrawn or has expired, or never was.
    #[error("the invitation cannot be used")]
    InvitationClosed,
    /// A business rule refused the change, or it would duplicate something that exists.
    #[error("{0}")]
    Refused(crate::model::Refusal),
    /// A command named a workspace by a name several workspaces share.
    #[error("{count} workspaces are named “{name}”: give the workspace's id instead.")]
    AmbiguousWorkspace { count: usize, name: String },
}

impl From<crate::model::Current> for StoreError {
    fn from(current: crate::model::Current) -> Self {
        StoreError::Stale(Box::new(current))
    }
}

impl From<crate::model::Refusal> for StoreError {
    fn from(refusal: crate::model::Refusal) -> Self {
        StoreError::Refused(refusal)
    }
}

/// A handle on the database; cheap to clone and share between requests.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time: writers in this process queue here instead of
    /// polling the database lock; other processes are waited for by the busy timeout.
    sqlite_writer: Option<Arc<Mutex<()>>>,
}

/// A write transaction. On SQLite it holds the write lock from its first statement
/// (`BEGIN IMMEDIATE`), so a read-then-write cannot fail half-way with "database is locked".
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _writer: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }
}

impl Store {
    /// Opens the database at `url`, creating the SQLite file and its folder if missing, and
    /// brings it fully up to date: the schema, and the built-in frameworks every map starts
    /// from. Every command opens its database here, so each works on a new one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        let store = match backend {
            Backend::Sqlite => {
                let (path, url) = sqlite_location(url);
                if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(folder).map_err(|source| StoreError::CreateFolder { path: folder.to_owned(), source })?;
                }
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            connection.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                Store { pool, backend, sqlite_writer: Some(Arc::new(Mutex::new(()))) }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
                Store { pool, backend, sqlite_writer: None }
            }
        };
        migrations::run(&store).await?;
        let builtin = crate::frameworks::builtin().map_err(|error| StoreError::Inconsistent(error.to_string()))?;
        let sync = store.sync_builtin_frameworks(&builtin).await?;
        if !sync.installed.is_empty() || !sync.upgraded.is_empty() {
            tracing::info!(installed = ?sync.installed, upgraded = ?sync.upgraded, "built-in frameworks stored");
        }
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Answers whether the database responds.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection; used on shutdown so SQLite can checkpoint its journal.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        let writer = match &self.sqlite_writer {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _writer: writer })
    }

    /// Makes concurrent holders of the same `key` take turns until their transactions end, so
    /// that several server instances starting together do not both seed or migrate. SQLite
    /// needs nothing more: its write transactions already exclude each other.
    async fn serialise(&self, tx: &mut WriteTx, key: AdvisoryLock) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(key as i64).execute(&mut *tx.tx).await?;
        }
        Ok(())
    }
}

/// Keys of the PostgreSQL advisory locks the store takes; arbitrary but fixed numbers.
#[derive(Clone, Copy)]
enum AdvisoryLock {
    Migrations = 7_300_001,
    Frameworks = 7_300_002,
    Accounts = 7_300_003,
    Uploads = 7_300_004,
}

/// The file path in a SQLite URL, and the URL asking for the file to be created if missing.
fn sqlite_location(url: &str) -> (PathBuf, String) {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let url = if query.contains("mode=") {
        url.to_owned()
    } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    };
    (Path::new(path).to_owned(), url)
}

/// The current time in the stored form: see [`timestamp`].
fn now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

/// A time as stored: RFC 3339 in UTC with exactly six decimals, so that comparing the text
/// compares the times, on every backend.
pub fn timestamp(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    at.to_offset(time::UtcOffset::UTC).format(&format).expect("every UTC time formats")
}

/// How many rows one INSERT writes at most: well under both backends' limits on parameters.
const ROWS_PER_INSERT: usize = 100;

/// `count` rows of `columns` placeholders each, numbered on from `$1`, each row ending with
/// `constants` (e.g. ", 0, 1"): "($1, $2), ($3, $4)".
fn value_rows(count: usize, columns: usize, constants: &str) -> String {
    (0..count)
        .map(|row| {
            let placeholders: Vec<String> = (1..=columns).map(|column| format!("${}", row * columns + column)).collect();
            format!("({}{constants})", placeholders.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A new identifier: a UUIDv7, so ids made by any instance sort roughly by creation time.
fn new_id<R>() -> Id<R> {
    Id::from(uuid::Uuid::now_v7().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_rows_number_placeholders_on_across_rows() {
        assert_eq!(value_rows(2, 2, ""), "($1, $2), ($3, $4)");
        assert_eq!(value_rows(1, 3, ", 0"), "($1, $2, $3, 0)");
    }

    #[test]
    fn sqlite_urls_are_made_to_create_the_file() {
        assert_eq!(sqlite_location("sqlite://data/caremap.db"), (PathBuf::from("data/caremap.db"), "sqlite://data/caremap.db?mode=rwc".to_owned()));
        assert_eq!(sqlite_location("sqlite:/tmp/x.db?cache=shared"), (PathBuf::from("/tmp/x.db"), "sqlite:/tmp/x.db?cache=shared&mode=rwc".to_owned()));
        assert_eq!(sqlite_location("sqlite://x.db?mode=ro").1, "sqlite://x.db?mode=ro");
    }

    #[test]
    fn stored_times_sort_as_text() {
        use time::macros::datetime;
        let earlier = timestamp(datetime!(2026-01-02 03:04:05 UTC));
        let later = timestamp(datetime!(2026-01-02 03:04:05.5 UTC));
        assert_eq!(earlier, "2026-01-02T03:04:05.000000Z");
        assert!(earlier < later);
        assert_eq!(timestamp(datetime!(2026-01-02 04:04:05 +1)), earlier);
    }

    #[test]
    fn only_sqlite_and_postgres_urls_are_accepted() {
        assert_eq!(Backend::from_url("sqlite://a.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("postgresql://u@h/db").unwrap(), Backend::Postgres);
        assert!(matches!(Backend::from_url("mysql://h/db"), Err(StoreError::UnsupportedUrl)));
    }
}
