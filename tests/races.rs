//! Edits made at once. Every server function that writes "from the version the editor saw" is
//! listed below with a sample edit, or the first test fails: a new versioned function cannot
//! ship without being raced. Each edit is then made on one version from ten sessions at once,
//! through two server instances on PostgreSQL (where writes really interleave) and one on
//! SQLite: exactly one must be saved, nine told the data changed, and the audit log must hold
//! the one change, made by the one who was told it was saved. The single-use rule of
//! invitations and the sign-in limit are raced the same way.

use caremap_tests::{PASSWORD, Server, TestDatabase, Visitor, databases, repository_root};
use futures::future::join_all;
use std::collections::HashMap;

const SESSIONS: usize = 10;

/// The server functions whose arguments include the version (or name) the editor saw, read
/// from their source: `version: i64` or `expected_…`.
fn versioned_functions() -> Vec<String> {
    let folder = repository_root().join("app/src/api");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for piece in source.split("#[server(endpoint = \"").skip(1) {
            let (name, rest) = piece.split_once('"').unwrap();
            let signature = &rest[..rest.find('{').unwrap()];
            if signature.contains("version: i64") || signature.contains("expected_") {
                found.push(name.to_owned());
            }
        }
    }
    found.sort();
    found
}

/// One raced edit: the function, the object whose version it presents, and its form without
/// the version.
struct Row {
    function: &'static str,
    object: &'static str,
    form: Vec<(&'static str, String)>,
}

#[derive(Default)]
struct Fixture {
    servers: Vec<Server>,
    owner: Visitor,
    workspace_id: String,
    map_id: String,
    organisation_id: String,
    action_id: String,
    role_map_id: String,
    role_id: String,
    analysis_id: String,
    /// Ten people who may make every edit (owners), each with their user id.
    editors: Vec<(Visitor, String)>,
}

const WORKSPACE: &str = "Riverside";

async fn fixture(database: &TestDatabase) -> Fixture {
    let instances = if database.backend() == "postgres" { 2 } else { 1 };
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(Server::start(&database.url).await);
    }
    let server = &servers[0];
    let owner = server.set_up("owner@example.org").await;
    let workspace_id = server.workspace(&owner, WORKSPACE).await;
    let (map_id, organisation_id) = server.org_map(&owner, &workspace_id, "Riverside").await;
    let action = [
        ("workspace_id", workspace_id.as_str()),
        ("map_id", &map_id),
        ("function_id", "comm-06"),
        ("what", "Agree referral follow-up"),
        ("with_whom", ""),
        ("how", ""),
        ("cost", "100"),
        ("due", ""),
        ("communication", ""),
        ("risks", ""),
        ("status", "planned"),
    ];
    server.ok(&owner, "add_action", &action).await;
    let view = server.ok(&owner, "get_org_map", &[("workspace_id", &workspace_id), ("map_id", &map_id)]).await.json();
    let action_id = view["actions"][0]["id"].as_str().unwrap().to_owned();
    let (role_map_id, role_id) = server.role_map(&owner, &workspace_id, "Riverside team").await;
    let analysis_id = server.plan_learning(&owner, &workspace_id, &role_map_id, &role_id).await;
    let mut editors = Vec::new();
    for index in 0..SESSIONS {
        let editor = server.invite(&owner, &workspace_id, "owner", &format!("editor{index}@example.org")).await;
        let id = server.ok(&editor, "session_info", &[]).await.json()["user"]["id"].as_str().unwrap().to_owned();
        editors.push((editor, id));
    }
    Fixture { servers, owner, workspace_id, map_id, organisation_id, action_id, role_map_id, role_id, analysis_id, editors }
}

/// Every versioned function with a sample edit, in an order in which each finds its object at
/// a version the test can follow.
fn rows(w: &Fixture) -> Vec<Row> {
    let ws = || ("workspace_id", w.workspace_id.clone());
    let map = || ("map_id", w.map_id.clone());
    let role_map = || ("map_id", w.role_map_id.clone());
    let role = || ("role_id", w.role_id.clone());
    let analysis = || ("analysis_id", w.analysis_id.clone());
    let text = |value: &str| value.to_owned();
    vec![
        Row {
            function: "update_org_map",
            object: "map",
            form: vec![ws(), map(), ("area", text("Riverside and Hill")), ("date", text("2026-05-01")), ("threshold", text("2"))],
        },
        Row {
            function: "update_organisation",
            object: "organisation",
            form: vec![
                ws(),
                map(),
                ("organisation_id", w.organisation_id.clone()),
                ("name", text("Riverside Surgery")),
                ("sector", text("independent")),
                ("locality", text("Riverside")),
                ("website", String::new()),
                ("contact", String::new()),
            ],
        },
        Row {
            function: "set_cell",
            object: "org cell",
            form: vec![
                ws(),
                map(),
                ("organisation_id", w.organisation_id.clone()),
                ("function_id", text("comm-01")),
                ("level", text("fully")),
                ("note", text("Weekdays")),
            ],
        },
        Row {
            function: "update_action",
            object: "action",
            form: vec![
                ws(),
                map(),
                ("action_id", w.action_id.clone()),
                ("function_id", text("comm-06")),
                ("what", text("Agree referral follow-up by phone")),
                ("with_whom", String::new()),
                ("how", String::new()),
                ("cost", text("100")),
                ("due", String::new()),
                ("communication", String::new()),
                ("risks", String::new()),
                ("status", text("planned")),
            ],
        },
        Row {
            function: "update_role_map",
            object: "role map",
            form: vec![ws(), role_map(), ("organisation", text("Riverside care team")), ("date", text("2026-05-01"))],
        },
        Row { function: "set_role_menu", object: "role map", form: vec![ws(), role_map(), ("needed", text("comm-01 comm-02"))] },
        Row {
            function: "update_role",
            object: "role",
            form: vec![
                ws(),
                role_map(),
                role(),
                ("title", text("Senior care coordinator")),
                ("team", String::new()),
                ("grade", String::new()),
                ("hours", String::new()),
            ],
        },
        Row {
            function: "save_job_description",
            object: "role",
            form: vec![
                ws(),
                role_map(),
                role(),
                ("purpose", text("Coordinates care.")),
                ("person_specification", String::new()),
                ("questions", String::new()),
                ("advert", String::new()),
            ],
        },
        Row {
            function: "set_role_cell",
            object: "role cell",
            form: vec![ws(), role_map(), role(), ("function_id", text("comm-01")), ("level", text("leads")), ("note", String::new())],
        },
        Row { function: "set_learning_scope", object: "analysis", form: vec![ws(), analysis(), ("scope", text("comm-01 comm-02"))] },
        Row {
            function: "set_need",
            object: "need",
            form: vec![
                ws(),
                analysis(),
                ("function_id", text("comm-01")),
                ("priority", text("high")),
                ("need", text("Referral routes")),
                ("activity", String::new()),
                ("described", String::new()),
                ("comment", String::new()),
                ("target", String::new()),
                ("status", text("planned")),
            ],
        },
        Row { function: "change_learning_role", object: "analysis", form: vec![ws(), analysis(), ("role", format!("{}/{}", w.role_map_id, w.role_id))] },
        Row { function: "rename_workspace", object: "workspace", form: vec![ws(), ("expected_name", text(WORKSPACE)), ("name", text("Riverside and Hill"))] },
    ]
}

/// The versions the fixture's objects start at: 1 once made, 0 for a cell or need never set.
fn first_versions() -> HashMap<&'static str, i64> {
    HashMap::from([
        ("map", 1),
        ("organisation", 1),
        ("org cell", 0),
        ("action", 1),
        ("role map", 1),
        ("role", 1),
        ("role cell", 0),
        ("analysis", 1),
        ("need", 0),
        ("workspace", 0),
    ])
}

/// The workspace's audit log, newest first, as (actor, entity id, field) triples.
async fn audit(w: &Fixture) -> Vec<(String, String, String)> {
    let page = w.servers[0].ok(&w.owner, "audit_log", &[("workspace_id", &w.workspace_id)]).await.json();
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let text = |name: &str| entry[name].as_str().unwrap().to_owned();
            (text("actor_id"), text("entity_id"), text("field"))
        })
        .collect()
}

#[test]
fn every_versioned_function_is_raced() {
    // The table needs a fixture only for its ids; its functions are fixed.
    let listed: Vec<&str> = rows(&Fixture::default()).iter().map(|row| row.function).collect();
    let versioned = versioned_functions();
    assert!(versioned.len() >= 10, "versioned functions are found in app/src/api: {versioned:?}");
    let missing: Vec<&String> = versioned.iter().filter(|f| !listed.contains(&f.as_str())).collect();
    assert!(missing.is_empty(), "versioned functions with no row in tests/races.rs: {missing:?}");
    let stale: Vec<&&str> = listed.iter().filter(|f| !versioned.iter().any(|v| v == *f)).collect();
    assert!(stale.is_empty(), "rows for functions that are not versioned: {stale:?}");
}

#[tokio::test]
async fn ten_editors_on_one_version_make_one_change() {
    for database in databases("races_versioned").await {
        let w = fixture(&database).await;
        let mut versions = first_versions();
        for row in rows(&w) {
            let version = versions[row.object];
            let mut form: Vec<(&str, String)> = row.form.clone();
            if row.function != "rename_workspace" {
                form.push(("version", version.to_string()));
            }
            let before = audit(&w).await.len();
            let answers = join_all(w.editors.iter().enumerate().map(|(index, (editor, _))| {
                let server = &w.servers[index % w.servers.len()];
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                async move { server.call(editor, row.function, &form).await }
            }))
            .await;
            let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
            let saved: Vec<usize> = (0..SESSIONS).filter(|index| statuses[*index] < 400).collect();
            assert_eq!(
                saved.len(),
                1,
                "{} on {}: exactly one of ten is saved: {statuses:?} {}",
                row.function,
                database.backend(),
                answers.iter().find(|a| a.status >= 400 && a.status != 409).map(|a| a.body.as_str()).unwrap_or("")
            );
            for answer in answers.iter().filter(|answer| answer.status >= 400) {
                assert_eq!(answer.status, 409, "{}: the others are told it changed: {}", row.function, answer.body);
                assert!(answer.body.contains("Stale"), "{}: {}", row.function, answer.body);
            }
            let log = audit(&w).await;
            let new = &log[..log.len() - before];
            let winner = &w.editors[saved[0]].1;
            assert!(!new.is_empty(), "{}: the change is audited", row.function);
            assert!(new.iter().all(|(actor, ..)| actor == winner), "{}: only the one who saved is audited: {new:?}", row.function);
            let mut fields: Vec<(&String, &String)> = new.iter().map(|(_, entity, field)| (entity, field)).collect();
            fields.sort();
            let count = fields.len();
            fields.dedup();
            assert_eq!(fields.len(), count, "{}: each field is audited once: {new:?}", row.function);
            *versions.get_mut(row.object).unwrap() += 1;
        }
        drop(w);
        database.remove().await;
    }
}

#[tokio::test]
async fn an_invitation_admits_one_person_however_many_use_it_at_once() {
    for database in databases("races_invitations").await {
        let w = fixture(&database).await;
        for _ in 0..3 {
            let token = w.servers[0].invitation_token(&w.owner, &w.workspace_id, "viewer").await;
            let answers = join_all((0..SESSIONS).map(|index| {
                let server = &w.servers[index % w.servers.len()];
                let token = token.clone();
                async move {
                    let email = format!("joiner{index}.{}@example.org", &token[..8]);
                    server
                        .call(&Visitor::default(), "join_with_new_account", &[("token", &token), ("email", &email), ("name", "Joiner"), ("password", PASSWORD)])
                        .await
                }
            }))
            .await;
            let joined = answers.iter().filter(|answer| answer.status < 400).count();
            assert_eq!(joined, 1, "{}: one person joins by one link: {:?}", database.backend(), answers.iter().map(|a| a.status).collect::<Vec<_>>());
            for answer in answers.iter().filter(|answer| answer.status >= 400) {
                assert_eq!(answer.status, 410, "{}", answer.body);
                assert!(!answer.body.contains(WORKSPACE), "a used link says nothing of the workspace: {}", answer.body);
            }
            let info = w.servers[0].call(&Visitor::default(), "invitation_info", &[("token", &token)]).await;
            assert_eq!(info.status, 410);
            assert!(!info.body.contains(WORKSPACE), "{}", info.body);
        }
        let members = w.servers[0].ok(&w.owner, "workspace_overview", &[("workspace_id", &w.workspace_id)]).await.json();
        assert_eq!(members["members"].as_array().unwrap().len(), 1 + SESSIONS + 3, "the owner, the editors and three joiners");
        drop(w);
        database.remove().await;
    }
}

#[tokio::test]
async fn a_withdrawn_invitation_admits_nobody() {
    for database in databases("races_withdrawn").await {
        let server = Server::start(&database.url).await;
        let owner = server.set_up("owner@example.org").await;
        let workspace_id = server.workspace(&owner, WORKSPACE).await;
        let token = server.invitation_token(&owner, &workspace_id, "editor").await;
        let overview = server.ok(&owner, "workspace_overview", &[("workspace_id", &workspace_id)]).await.json();
        let id = overview["invitations"][0]["id"].as_str().unwrap().to_owned();
        server.ok(&owner, "revoke_invitation", &[("workspace_id", &workspace_id), ("invitation_id", &id)]).await;
        let overview = server.ok(&owner, "workspace_overview", &[("workspace_id", &workspace_id)]).await.json();
        assert_eq!(overview["invitations"].as_array().unwrap().len(), 0, "no longer listed as open");
        let join = server
            .call(&Visitor::default(), "join_with_new_account", &[("token", &token), ("email", "late@example.org"), ("name", "Late"), ("password", PASSWORD)])
            .await;
        assert_eq!(join.status, 410, "{}", join.body);
        let again = server.call(&owner, "revoke_invitation", &[("workspace_id", &workspace_id), ("invitation_id", &id)]).await;
        assert_eq!(again.status, 410, "withdrawing twice is refused: {}", again.body);
        database.remove().await;
    }
}

#[tokio::test]
async fn guesses_made_at_once_are_all_counted() {
    for database in databases("races_sign_in").await {
        let w = fixture(&database).await;
        let guesses = 60;
        let answers = join_all((0..guesses).map(|index| {
            let server = &w.servers[index % w.servers.len()];
            // The right password is among them, last.
            let password = if index == guesses - 1 { PASSWORD.to_owned() } else { format!("wrong guess {index}") };
            async move { server.call(&Visitor::default(), "sign_in", &[("email", "owner@example.org"), ("password", &password)]).await }
        }))
        .await;
        let checked = answers.iter().filter(|answer| answer.status != 429).count();
        let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
        assert!(checked <= 5, "{}: at most five guesses are checked: {statuses:?}", database.backend());
        assert!(statuses.iter().all(|status| matches!(status, 200 | 302 | 400 | 429)), "{statuses:?}");
        drop(w);
        database.remove().await;
    }
}

#[tokio::test]
async fn anonymous_floods_are_refused_before_any_password_is_hashed() {
    for database in databases("races_hashing").await {
        let server = Server::start(&database.url).await;
        server.set_up("owner@example.org").await;
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let watching = {
            let (peak, pid) = (peak.clone(), server.pid());
            tokio::spawn(async move {
                loop {
                    peak.fetch_max(caremap_tests::tree_memory(pid), std::sync::atomic::Ordering::Relaxed);
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            })
        };
        let flood = 300;
        let answers = join_all((0..flood).map(|index| {
            let server = &server;
            async move {
                let email = format!("flood{index}@example.org");
                let form = [
                    ("email", email.as_str()),
                    ("name", "Flood"),
                    ("password", PASSWORD),
                    ("token", "0000000000000000000000000000000000000000000000000000000000000000"),
                ];
                if index % 2 == 0 {
                    server.call(&Visitor::default(), "create_first_admin", &form[..3]).await
                } else {
                    server.call(&Visitor::default(), "join_with_new_account", &form).await
                }
            }
        }))
        .await;
        watching.abort();
        let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
        assert!(statuses.iter().step_by(2).all(|status| *status == 409), "setup is done: {statuses:?}");
        assert!(statuses.iter().skip(1).step_by(2).all(|status| *status == 410), "no such invitation: {statuses:?}");
        let peak = peak.load(std::sync::atomic::Ordering::Relaxed);
        println!("{flood} anonymous account requests at once: peak server memory {} MB", peak / 1_000_000);
        // One Argon2 hash takes 19 MiB: hashing these would take gigabytes.
        assert!(peak < 200_000_000, "peak memory {peak} bytes");
        drop(server);
        database.remove().await;
    }
}
