//! What the whole-program tests share: fresh databases and a running `caremap` server.

pub mod hostile;

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
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut connection).await.unwrap();
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
    let schema = format!("test_{test}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut connection = sqlx::AnyConnection::connect(&base_url).await.unwrap_or_else(|error| panic!("cannot reach PostgreSQL at {base_url}: {error}"));
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
    let path = std::env::var_os("CAREMAP_BIN").map(PathBuf::from).unwrap_or_else(|| repository_root().join("target/release/caremap"));
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

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
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

/// A person using the API: their session cookie, if signed in.
#[derive(Clone, Default)]
pub struct Visitor {
    pub cookie: Option<String>,
}

/// What a server function answered.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub set_cookie: Option<String>,
    /// Where a redirect sends the browser.
    pub location: Option<String>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
}

impl Server {
    /// Calls a server function the way a same-origin page does.
    pub async fn call(&self, visitor: &Visitor, function: &str, form: &[(&str, &str)]) -> Answer {
        self.call_with(visitor, function, form, &[]).await
    }

    pub async fn call_with(&self, visitor: &Visitor, function: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Answer {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut request = client.post(self.url(&format!("/api/{function}"))).form(form);
        if let Some(cookie) = &visitor.cookie {
            request = request.header("cookie", cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let set_cookie = response.headers().get("set-cookie").map(|value| value.to_str().unwrap().split(';').next().unwrap().to_owned());
        let location = response.headers().get("location").map(|value| value.to_str().unwrap().to_owned());
        Answer { status, body: response.text().await.unwrap(), set_cookie, location }
    }

    /// Fetches a page as `visitor`.
    pub async fn page(&self, visitor: &Visitor, path: &str) -> Answer {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut request = client.get(self.url(path));
        if let Some(cookie) = &visitor.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        Answer { status, body: response.text().await.unwrap(), set_cookie: None, location: None }
    }

    /// Uploads a file with a form's `fields`, as the import form does, to `path`.
    pub async fn upload(&self, visitor: &Visitor, path: &str, fields: &[(&str, &str)], file_name: &str, content: Vec<u8>) -> Answer {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        form = form.part("file", reqwest::multipart::Part::bytes(content).file_name(file_name.to_owned()));
        let mut request = client.post(self.url(path)).multipart(form);
        if let Some(cookie) = &visitor.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|value| value.to_str().unwrap().to_owned());
        Answer { status, body: response.text().await.unwrap(), set_cookie: None, location }
    }

    /// Downloads a file as `visitor`: status, content type and bytes.
    pub async fn download(&self, visitor: &Visitor, path: &str) -> (u16, String, Vec<u8>) {
        let mut request = reqwest::Client::new().get(self.url(path));
        if let Some(cookie) = &visitor.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        (status, kind, response.bytes().await.unwrap().to_vec())
    }

    /// Calls a function that must succeed, and returns its answer.
    pub async fn ok(&self, visitor: &Visitor, function: &str, form: &[(&str, &str)]) -> Answer {
        let answer = self.call(visitor, function, form).await;
        assert!(answer.status < 400, "{function} answered {}: {}", answer.status, answer.body);
        answer
    }

    /// Creates the first administrator and returns them signed in.
    pub async fn set_up(&self, email: &str) -> Visitor {
        let answer = self.ok(&Visitor::default(), "create_first_admin", &[("email", email), ("name", "Ada Admin"), ("password", PASSWORD)]).await;
        Visitor { cookie: Some(answer.set_cookie.expect("a session cookie")) }
    }

    /// Creates a workspace as `owner` and returns its id.
    pub async fn workspace(&self, owner: &Visitor, name: &str) -> String {
        self.ok(owner, "create_workspace", &[("name", name)]).await;
        let list = self.ok(owner, "my_workspaces", &[]).await.json();
        list.as_array().unwrap().iter().find(|w| w["name"] == name).map(|w| w["id"].as_str().unwrap().to_owned()).expect("the new workspace is listed")
    }

    /// Makes an invitation into `workspace_id` with `role` as `owner`; answers its token, the
    /// end of the link.
    pub async fn invitation_token(&self, owner: &Visitor, workspace_id: &str, role: &str) -> String {
        let link = self.ok(owner, "create_invitation", &[("workspace_id", workspace_id), ("role", role)]).await.json();
        link.as_str().unwrap().rsplit('/').next().unwrap().to_owned()
    }

    /// Invites a new person into `workspace_id` with `role` and returns them signed in.
    pub async fn invite(&self, owner: &Visitor, workspace_id: &str, role: &str, email: &str) -> Visitor {
        let token = self.invitation_token(owner, workspace_id, role).await;
        let answer =
            self.ok(&Visitor::default(), "join_with_new_account", &[("token", &token), ("email", email), ("name", email), ("password", PASSWORD)]).await;
        Visitor { cookie: Some(answer.set_cookie.expect("a session cookie")) }
    }
}

impl Server {
    /// Creates an organisation map in `workspace_id` with one organisation; returns both ids.
    pub async fn org_map(&self, owner: &Visitor, workspace_id: &str, area: &str) -> (String, String) {
        self.ok(
            owner,
            "create_org_map",
            &[("workspace_id", workspace_id), ("area", area), ("date", "2026-04-01"), ("threshold", "3"), ("frameworks", "coordinating-care core-functions")],
        )
        .await;
        let list = self.ok(owner, "list_org_maps", &[("workspace_id", workspace_id)]).await.json();
        let map_id =
            list["maps"].as_array().unwrap().iter().find(|m| m["details"]["area"] == area).expect("the new map is listed")["id"].as_str().unwrap().to_owned();
        let organisation = self
            .ok(
                owner,
                "add_organisation",
                &[
                    ("workspace_id", workspace_id),
                    ("map_id", &map_id),
                    ("name", "Riverside GP Practice"),
                    ("sector", "independent"),
                    ("locality", "Riverside"),
                    ("website", ""),
                    ("contact", ""),
                ],
            )
            .await
            .json();
        (map_id, organisation.as_str().unwrap().to_owned())
    }
}

impl Server {
    /// Creates a role map in `workspace_id` over the guide's functions with one role; returns
    /// both ids.
    pub async fn role_map(&self, owner: &Visitor, workspace_id: &str, organisation: &str) -> (String, String) {
        self.ok(
            owner,
            "create_role_map",
            &[("workspace_id", workspace_id), ("organisation", organisation), ("date", "2026-04-01"), ("frameworks", "coordinating-care core-functions")],
        )
        .await;
        let list = self.ok(owner, "list_role_maps", &[("workspace_id", workspace_id)]).await.json();
        let map_id = list["maps"].as_array().unwrap().iter().find(|m| m["details"]["organisation"] == organisation).expect("the new role map is listed")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let role = self
            .ok(
                owner,
                "add_role",
                &[
                    ("workspace_id", workspace_id),
                    ("map_id", &map_id),
                    ("title", "Care coordinator"),
                    ("team", "Community"),
                    ("grade", "Band 6"),
                    ("hours", "37.5 hours"),
                ],
            )
            .await
            .json();
        (map_id, role.as_str().unwrap().to_owned())
    }

    /// Plans learning for a role; returns the new analysis's id, from where the answer sends the
    /// browser.
    pub async fn plan_learning(&self, owner: &Visitor, workspace_id: &str, map_id: &str, role_id: &str) -> String {
        let answer = self.call_with(owner, "plan_role_learning", &[("workspace_id", workspace_id), ("map_id", map_id), ("role_id", role_id)], &[]).await;
        assert!(answer.status < 400, "plan_role_learning: {} {}", answer.status, answer.body);
        let location = answer.location.clone().expect("plan_role_learning sends the browser to the analysis");
        location.rsplit('/').next().unwrap().to_owned()
    }
}

/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery staple";

/// The routes and server functions the release binary serves, from `caremap endpoints`.
pub fn served_endpoints() -> Vec<String> {
    let output = Command::new(binary()).arg("endpoints").env_clear().output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().lines().map(str::to_owned).collect()
}

/// The records a page route's placeholders name.
pub struct PageIds<'a> {
    pub workspace: &'a str,
    pub map: &'a str,
    pub role_map: &'a str,
    pub role: &'a str,
    pub analysis: &'a str,
}

/// A page route as `caremap endpoints` lists it, with its placeholders filled from `ids`: an
/// import and an invitation that do not exist, the map reviewed against itself, one framework.
pub fn page_path(route: &str, ids: &PageIds) -> String {
    let map = if route.contains("/role-maps/") { ids.role_map } else { ids.map };
    let path = route
        .replace("{id}", ids.workspace)
        .replace("{map}", map)
        .replace("{role}", ids.role)
        .replace("{analysis}", ids.analysis)
        .replace("{import}", "nobody")
        .replace("{token}", &"0".repeat(64));
    if path.ends_with("/review") {
        format!("{path}?baseline={0}&current={0}", ids.map)
    } else if path.starts_with("/frameworks/") {
        "/frameworks/core-functions".into()
    } else {
        path
    }
}

/// The processes whose parent is `pid`, read from /proc.
pub fn children(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return vec![] };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|child| {
            // The parent is the fourth field of /proc/PID/stat, after the name in parentheses.
            std::fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                .and_then(|stat| stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok()))
                == Some(pid)
        })
        .collect()
}

/// The resident memory of `pid` and all its descendants, in bytes, as /proc says now. A child
/// that has not yet run its own program still shares its parent's memory, and is not counted
/// twice.
pub fn tree_memory(pid: u32) -> u64 {
    let own = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0)
        * 1024;
    let command = |pid: u32| std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    own + children(pid).into_iter().filter(|child| command(*child) != command(pid)).map(tree_memory).sum::<u64>()
}
