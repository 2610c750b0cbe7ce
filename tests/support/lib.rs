//! What the whole-program tests share: fresh databases and a running `caremap` server.

use sqlx::Connection;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A database for one test: a SQLite file in a temporary folder, or a PostgreSQL schema.
pub struct TestDatabase {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    // Held so the folder lives as long as the test.
    Sqlite { _folder: tempfile::TempDir },
    Postgres { base_url: String, schema: String },
}

impl TestDatabase {
    pub fn backend(&self) -> &'static str {
        match self.cleanup {
            Cleanup::Sqlite { .. } => "sqlite",
            Cleanup::Postgres { .. } => "postgres",
        }
    }

    /// Drops the PostgreSQL schema; a SQLite folder goes when the value is dropped.
    pub async fn remove(self) {
        if let Cleanup::Postgres { base_url, schema } = self.cleanup {
            let mut connection = sqlx::AnyConnection::connect(&base_url).await.unwrap();
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut connection)
                .await
                .unwrap();
        }
    }
}

/// A fresh database on every backend this run can reach: SQLite always, PostgreSQL when
/// `CAREMAP_TEST_POSTGRES_URL` is set (the test says so when it is not).
pub async fn databases(test: &str) -> Vec<TestDatabase> {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("caremap.db").display());
    let mut databases = vec![TestDatabase { url, cleanup: Cleanup::Sqlite { _folder: folder } }];
    match std::env::var("CAREMAP_TEST_POSTGRES_URL") {
        Ok(base_url) => databases.push(postgres_schema(test, base_url).await),
        Err(_) => eprintln!("{test}: PostgreSQL skipped: CAREMAP_TEST_POSTGRES_URL is not set"),
    }
    databases
}

async fn postgres_schema(test: &str, base_url: String) -> TestDatabase {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    sqlx::any::install_default_drivers();
    let schema = format!(
        "test_{test}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut connection = sqlx::AnyConnection::connect(&base_url)
        .await
        .unwrap_or_else(|error| panic!("cannot reach PostgreSQL at {base_url}: {error}"));
    sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&mut connection).await.unwrap();
    let separator = if base_url.contains('?') { '&' } else { '?' };
    let url = format!("{base_url}{separator}options=-c%20search_path%3D{schema}");
    TestDatabase { url, cleanup: Cleanup::Postgres { base_url, schema } }
}

/// The repository root: the release build and its site live below it.
pub fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// The release binary `make build` makes, or `CAREMAP_BIN`.
pub fn binary() -> PathBuf {
    let path = std::env::var_os("CAREMAP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository_root().join("target/release/caremap"));
    assert!(path.exists(), "{} is missing: run `make build` first", path.display());
    path
}

/// A port nothing listens on just now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `caremap serve` process, killed if the test ends without stopping it.
pub struct Server {
    child: Child,
    pub base_url: String,
}

impl Server {
    /// Starts the release binary from the repository root, with nothing from this process's
    /// environment but `PATH`, and waits until it answers.
    pub async fn start(database_url: &str) -> Server {
        Self::start_in(&repository_root(), &[("DATABASE_URL", database_url)]).await
    }

    /// Starts the server in `folder` with exactly the environment variables given.
    pub async fn start_in(folder: &std::path::Path, variables: &[(&str, &str)]) -> Server {
        let port = free_port();
        let child = Command::new(binary())
            .current_dir(folder)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("CAREMAP_ADDR", format!("127.0.0.1:{port}"))
            .envs(variables.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let server = Server { child, base_url: format!("http://127.0.0.1:{port}") };
        server.wait_until_ready().await;
        server
    }

    async fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let health = format!("{}/healthz", self.base_url);
        while Instant::now() < deadline {
            if reqwest::get(&health).await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not answer {health} within 30 seconds");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends SIGTERM and waits for the process to end.
    pub fn terminate(mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success(), "kill -TERM {pid} failed");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop within 15 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
