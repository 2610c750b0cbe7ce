//! Spreadsheets in and out through the release binary's command line, on SQLite and
//! PostgreSQL: an exported map re-imports exactly; hand-made matrices (LibreOffice .ods and
//! .xls, a CSV, an .xlsx with merged cells) import with reworded labels and varied marks, and
//! what is not understood is named by sheet, row and column; broken and hostile files are
//! refused with their reason and leave the database as it was.

use app::model::ActivityId;
use app::model::matrix::Level;
use app::model::org_map::OrgMap;
use app::model::role_map::RoleMap;
use app::store::Store;
use caremap_tests::hostile::{Expect, Hostile, zip_of};
use caremap_tests::{binary, databases, repository_root};
use sqlx::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const WORKSPACE: &str = "Sample: Northshire";

fn caremap(database_url: &str, args: &[&str]) -> Output {
    Command::new(binary()).args(args).env_clear().env("DATABASE_URL", database_url).env("RUST_LOG", "warn").output().unwrap()
}

/// Runs `caremap import --json` and answers its exit status and JSON.
fn import(database_url: &str, file: &Path, extra: &[&str]) -> (bool, serde_json::Value) {
    let mut args = vec!["import", file.to_str().unwrap(), "--workspace", WORKSPACE, "--json"];
    args.extend_from_slice(extra);
    let output = caremap(database_url, &args);
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.success(), json)
}

/// A database holding the sample workspace, made through the command line.
fn sample(database_url: &str) {
    let mut add = Command::new(binary())
        .args(["user", "add", "owner@example.org", "--name", "Owner", "--password-stdin"])
        .env_clear()
        .env("DATABASE_URL", database_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"correct horse battery staple\n").unwrap();
    assert!(add.wait().unwrap().success());
    assert!(caremap(database_url, &["demo", "--owner", "owner@example.org"]).status.success());
}

async fn maps(store: &Store) -> (OrgMap, RoleMap) {
    let (workspace, _) = store.workspace_for_command(WORKSPACE).await.unwrap();
    let org_map = store.org_maps(&workspace).await.unwrap()[0].id.clone();
    let role_map = store.role_maps(&workspace).await.unwrap()[0].id.clone();
    (store.org_map(&workspace, &org_map).await.unwrap(), store.role_map(&workspace, &role_map).await.unwrap())
}

/// Converts a spreadsheet to PDF with LibreOffice, as someone printing it would, and answers
/// the PDF's text.
fn pdf_text(file: &Path) -> String {
    let folder = file.parent().unwrap();
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", folder.display());
    let converted = Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir", folder.to_str().unwrap(), file.to_str().unwrap()])
        .output()
        .expect("LibreOffice (soffice) is installed by `make test`");
    assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
    let pdf = file.with_extension("pdf");
    let text = Command::new("pdftotext").args([pdf.to_str().unwrap(), "-"]).output().expect("pdftotext is installed by `make test`");
    String::from_utf8_lossy(&text.stdout).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    repository_root().join("tests/fixtures").join(name)
}

fn unmatched(json: &serde_json::Value) -> Vec<(String, u64, String, String)> {
    json["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["sheet"].as_str().unwrap().to_owned(),
                u["row"].as_u64().unwrap(),
                u["column"].as_str().unwrap().to_owned(),
                u["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_exported_map_imports_back_exactly_and_hand_made_ones_are_understood() {
    for database in databases("spreadsheets_flow").await {
        let url = &database.url;
        sample(url);
        let store = Store::connect(url).await.unwrap();
        let (org_map, role_map) = maps(&store).await;
        let folder = tempfile::tempdir().unwrap();

        // Export, then import the file as it is: nothing to change.
        for (kind, id) in [("org-map", org_map.summary.id.as_str()), ("role-map", role_map.summary.id.as_str())] {
            let out = folder.path().join(format!("{kind}.xlsx"));
            let export = caremap(url, &["export", "--workspace", WORKSPACE, "--kind", kind, "--id", id, "--out", out.to_str().unwrap()]);
            assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
            let (ok, json) = import(url, &out, &["--kind", kind, "--dry-run"]);
            assert!(ok, "{json}");
            assert_eq!((json["id"].as_str(), &json["added"], &json["changed"]), (Some(id), &0.into(), &0.into()), "{kind}: {json}");
            assert!(json["unchanged"].as_u64().unwrap() > 20, "{json}");
            assert_eq!(json["unmatched"], serde_json::json!([]));
            let (ok, json) = import(url, &out, &["--kind", kind]);
            assert!(ok && json["id"] == id, "{json}");
        }
        for kind in ["org-map", "role-map"] {
            let text = pdf_text(&folder.path().join(format!("{kind}.xlsx")));
            assert!(text.contains("Build strong relationships") && text.contains("Summary"), "{kind}: {text}");
        }
        let (after, role_after) = maps(&store).await;
        assert_eq!(after.cells, org_map.cells, "an unchanged import changes nothing, notes included");
        assert_eq!(role_after.cells, role_map.cells);
        let (_, json) = import(url, &folder.path().join("org-map.xlsx"), &["--kind", "role-map", "--dry-run"]);
        assert!(json["errors"][0].as_str().unwrap().contains("export of an organisation map, not a role map"), "{json}");

        // Hand-made files: the same matrix saved by LibreOffice as .ods and .xls, and as CSV.
        for name in ["hand-made-map.ods", "hand-made-map.xls", "hand-made-map.csv"] {
            let (ok, json) = import(url, &fixture(name), &["--kind", "org-map", "--dry-run"]);
            assert!(ok, "{name}: {json}");
            assert_eq!(json["id"], serde_json::Value::Null, "{name}: a new map");
            assert_eq!(json["added"], 2 + 7, "{name}: two organisations and seven marks: {json}");
            let places: Vec<(u64, String, String)> = unmatched(&json)
                .into_iter()
                .map(|(sheet, row, column, text)| {
                    assert!(sheet.starts_with("hand-made-map"), "{name}: sheet {sheet}");
                    (row, column, text)
                })
                .collect();
            assert_eq!(places, [(11, "A".into(), "Parking for visitors".into()), (14, "B".into(), "maybe".into())], "{name}: {json}");
        }
        let (ok, json) = import(url, &fixture("hand-made-map-merged.xlsx"), &["--kind", "org-map"]);
        assert!(ok, "{json}");
        let new_map = json["id"].as_str().unwrap().to_owned();
        let (workspace, _) = store.workspace_for_command(WORKSPACE).await.unwrap();
        let imported = store.org_map(&workspace, &new_map.into()).await.unwrap();
        assert_eq!(imported.summary.details.area, "Riverside");
        assert_eq!(imported.summary.details.date.to_string(), "2026-04-01");
        let names: Vec<&str> = imported.organisations.iter().map(|o| o.details.name.as_str()).collect();
        assert_eq!(names, ["Age UK Riverside", "Riverside GP surgery"]);
        let mut levels: Vec<(String, &str, &str)> = imported
            .cells
            .iter()
            .map(|c| (c.function_id.to_string(), if c.column_id == imported.organisations[0].id { "Age UK" } else { "GP" }, c.value.level.as_str()))
            .filter(|(_, _, level)| *level != "not-provided")
            .collect();
        levels.sort();
        assert_eq!(
            levels,
            [
                ("comm-01".into(), "Age UK", "fully"),
                ("comm-01".into(), "GP", "partly"),
                ("comm-02".into(), "Age UK", "fully"),
                ("comm-06".into(), "Age UK", "partly"),
                ("comm-06".into(), "GP", "fully"),
            ]
        );
        store.close().await;
        drop(folder);
        database.remove().await;
    }
}

#[tokio::test]
async fn broken_and_hostile_files_are_refused_and_change_nothing() {
    for database in databases("spreadsheets_hostile").await {
        let url = &database.url;
        sample(url);
        let store = Store::connect(url).await.unwrap();
        let before = maps(&store).await;
        let folder = tempfile::tempdir().unwrap();
        let exported = folder.path().join("good.xlsx");
        let id = before.0.summary.id.clone();
        assert!(caremap(url, &["export", "--workspace", WORKSPACE, "--kind", "org-map", "--id", &id, "--out", exported.to_str().unwrap()]).status.success());
        let good = std::fs::read(&exported).unwrap();
        let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        encrypted.extend(vec![0u8; 504]);
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        // LibreOffice's .xls, its first sheet's DIMENSIONS record made to declare 268,435,455 rows
        // by 256 columns, for which calamine would try to reserve terabytes.
        let mut huge_xls = std::fs::read(fixture("hand-made-map.xls")).unwrap();
        let at = huge_xls.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("a DIMENSIONS record");
        huge_xls[at + 8..at + 12].copy_from_slice(&0x0FFF_FFFFu32.to_le_bytes());
        huge_xls[at + 14..at + 16].copy_from_slice(&0x0100u16.to_le_bytes());
        let mut corpus: Vec<Hostile> = vec![
            Hostile { name: "empty.xlsx", family: "empty", bytes: vec![], expect: Expect::Refused(&["The file is empty."]) },
            Hostile { name: "truncated.xlsx", family: "truncated", bytes: good[..good.len() / 2].to_vec(), expect: Expect::Refused(&["damaged"]) },
            Hostile {
                name: "map.ods",
                family: "wrong extension",
                bytes: good.clone(),
                expect: Expect::Refused(&["is named “map.ods”, but it is an Excel workbook (.xlsx)"]),
            },
            Hostile {
                name: "picture.xlsx",
                family: "not a spreadsheet",
                bytes: b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
                expect: Expect::Refused(&["damaged"]),
            },
            Hostile {
                name: "bomb.xlsx",
                family: "zip bomb",
                bytes: zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &vec![b' '; 60 * 1024 * 1024])]),
                expect: Expect::Refused(&["zip bomb"]),
            },
            Hostile { name: "huge.xls", family: "huge .xls dimensions", bytes: huge_xls, expect: Expect::Refused(&["268435455 rows by 256 columns"]) },
            Hostile { name: "locked.xlsx", family: "encrypted .xlsx", bytes: encrypted, expect: Expect::Refused(&["protected by a password"]) },
        ];
        corpus.extend(caremap_tests::hostile::corpus());
        for file in corpus {
            let path = folder.path().join(file.name);
            std::fs::write(&path, &file.bytes).unwrap();
            let (ok, json) = import(url, &path, &["--kind", "org-map", "--id", &id]);
            let error = json["errors"][0].as_str().unwrap_or_default();
            eprintln!("{} ({}): {}", file.name, file.family, if error.is_empty() { "read" } else { error });
            match file.expect {
                Expect::Refused(reasons) => {
                    assert!(!ok, "{} ({}) was accepted: {json}", file.name, file.family);
                    assert!(reasons.iter().any(|reason| error.contains(reason)), "{} ({}): {error}", file.name, file.family);
                }
                // Read without harm: what it holds is no matrix, and the answer says so.
                Expect::Read => assert!(ok || error.contains("No function labels"), "{} ({}): {json}", file.name, file.family),
            }
        }
        // Formula text is never taken: the cells are reported and nothing is saved.
        let formula = folder.path().join("formula.csv");
        std::fs::write(&formula, b"Function,=HYPERLINK(\"http://evil.example\";\"Age UK\"),Age UK Northshire\nBuild relationships,=1+1,=2+2\n").unwrap();
        let (ok, json) = import(url, &formula, &["--kind", "org-map", "--id", &id]);
        assert!(ok, "{json}");
        assert_eq!((&json["added"], &json["changed"]), (&0.into(), &0.into()), "{json}");
        let texts: Vec<String> = unmatched(&json).into_iter().map(|(_, _, _, text)| text).collect();
        assert_eq!(texts.len(), 2, "{json}");
        assert!(texts.iter().all(|t| t.starts_with('=')), "{json}");
        let huge = folder.path().join("too-big.csv");
        std::fs::write(&huge, vec![b'a'; 26 * 1024 * 1024]).unwrap();
        let (ok, json) = import(url, &huge, &["--kind", "org-map", "--id", &id]);
        assert!(!ok && json["errors"][0].as_str().unwrap().contains("the largest caremap takes is 25 MB"), "{json}");
        assert_eq!(maps(&store).await, before, "nothing was saved");
        store.close().await;
        drop(folder);
        database.remove().await;
    }
}

#[tokio::test]
async fn a_web_upload_is_previewed_then_imported_or_refused_when_the_map_changed_meanwhile() {
    for database in databases("spreadsheets_web").await {
        let server = caremap_tests::Server::start(&database.url).await;
        let owner = server.set_up("owner@example.org").await;
        let sample = server.call(&owner, "create_sample_workspace", &[]).await;
        let location = sample.location.expect("the sample opens on its map");
        let parts: Vec<&str> = location.trim_start_matches('/').split('/').collect();
        let (workspace, map) = (parts[1].to_owned(), parts[3].to_owned());
        let upload = |target: &str, name: &str, content: Vec<u8>| {
            let (server, owner, workspace, target, name) = (&server, &owner, workspace.clone(), target.to_owned(), name.to_owned());
            async move {
                let answer =
                    server.upload(owner, &format!("/workspaces/{workspace}/imports"), &[("kind", "org-map"), ("target", &target)], &name, content).await;
                assert_eq!(answer.status, 303, "{}", answer.body);
                answer.location.unwrap().rsplit('/').next().unwrap().to_owned()
            }
        };
        let ids = |import: &str| vec![("workspace_id".to_owned(), workspace.clone()), ("import_id".to_owned(), import.to_owned())];
        let call = |function: &'static str, import: String| {
            let (server, owner, form) = (&server, &owner, ids(&import));
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                server.call(owner, function, &form).await
            }
        };

        // Importing sends what the preview page sends: the fingerprint of the plan it showed.
        let apply = |import: String| {
            let (server, owner, workspace) = (&server, &owner, workspace.clone());
            async move {
                let form = [("workspace_id", workspace.as_str()), ("import_id", import.as_str())];
                let preview = server.ok(owner, "get_import_preview", &form).await.json();
                let fingerprint = preview["fingerprint"].as_str().unwrap().to_owned();
                (fingerprint.clone(), server.call(owner, "apply_import", &[form[0], form[1], ("fingerprint", &fingerprint)]).await)
            }
        };

        // A hand-made file as a new map: previewed (nothing saved), then imported.
        let import = upload("", "hand-made-map.csv", std::fs::read(fixture("hand-made-map.csv")).unwrap()).await;
        let page = server.page(&owner, &format!("/workspaces/{workspace}/imports/{import}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for text in ["Added: 9", "as a new organisation map", "Riverside GP surgery", "Parking for visitors", "read as comm-01"] {
            assert!(page.body.contains(text), "the preview shows “{text}”");
        }
        // The preview was read once and kept: with the stored file spoilt, a later visit shows
        // the same; then the file is put back for the import.
        sqlx::any::install_default_drivers();
        let mut connection = sqlx::AnyConnection::connect(&database.url).await.unwrap();
        let spoil = |content: Vec<u8>| sqlx::query("UPDATE pending_imports SET content = $1 WHERE id = $2").bind(content).bind(import.clone());
        spoil(b"not a spreadsheet".to_vec()).execute(&mut connection).await.unwrap();
        let again = server.page(&owner, &format!("/workspaces/{workspace}/imports/{import}")).await;
        assert!(again.body.contains("Added: 9"), "the kept preview is shown again");
        spoil(std::fs::read(fixture("hand-made-map.csv")).unwrap()).execute(&mut connection).await.unwrap();
        let maps_before = server.ok(&owner, "list_org_maps", &[("workspace_id", &workspace)]).await.json()["maps"].as_array().unwrap().len();
        let (_, applied) = apply(import.clone()).await;
        let new_map = applied.location.expect("the import opens the new map");
        assert!(new_map.starts_with(&format!("/workspaces/{workspace}/maps/")), "{new_map}");
        let maps_after = server.ok(&owner, "list_org_maps", &[("workspace_id", &workspace)]).await.json()["maps"].as_array().unwrap().len();
        assert_eq!(maps_after, maps_before + 1);
        assert_eq!(call("get_import_preview", import).await.status, 404, "an applied upload is gone");

        // Into the sample map, where the cell changes between the preview and the import.
        let view = server.ok(&owner, "get_org_map", &[("workspace_id", &workspace), ("map_id", &map)]).await.json();
        let age_uk = view["map"]["organisations"].as_array().unwrap().iter().find(|o| o["details"]["name"] == "Age UK Northshire").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let cell = |function: &str| {
            view["map"]["cells"].as_array().unwrap().iter().find(|c| c["column_id"] == age_uk.as_str() && c["function_id"] == function).cloned()
        };
        let version = cell("comm-09").map_or(0, |c| c["value"]["version"].as_i64().unwrap());
        assert_ne!(cell("comm-09").map(|c| c["value"]["level"].clone()), Some("Partly".into()));
        let csv = b"Function,Age UK Northshire\nDemonstrate professional assertiveness appropriately and sensitively,partly\n".to_vec();
        let import = upload(&map, "change.csv", csv).await;
        let preview = call("get_import_preview", import.clone()).await.json();
        assert_eq!(preview["changed"].as_u64().unwrap() + preview["added"].as_u64().unwrap(), 1, "{preview}");
        assert_eq!(preview["changes"][0]["to"], "Partly provided");
        let fingerprint = preview["fingerprint"].as_str().unwrap().to_owned();
        let version = version.to_string();
        server
            .ok(
                &owner,
                "set_cell",
                &[
                    ("workspace_id", &workspace),
                    ("map_id", &map),
                    ("organisation_id", &age_uk),
                    ("function_id", "comm-09"),
                    ("version", &version),
                    ("level", "fully"),
                    ("note", ""),
                ],
            )
            .await;
        let refused = server.call(&owner, "apply_import", &[("workspace_id", &workspace), ("import_id", &import), ("fingerprint", &fingerprint)]).await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(refused.body.contains("changed this matrix since the preview"), "{}", refused.body);
        let after = server.ok(&owner, "get_org_map", &[("workspace_id", &workspace), ("map_id", &map)]).await.json();
        let level = after["map"]["cells"].as_array().unwrap().iter().find(|c| c["column_id"] == age_uk.as_str() && c["function_id"] == "comm-09").unwrap()["value"]["level"].clone();
        assert_eq!(level, "Fully", "the other person's change stands; nothing was imported");
        let replanned = call("get_import_preview", import.clone()).await.json();
        assert_eq!(replanned["changes"][0]["from"], "Fully provided", "the preview is planned again against the map as it is now: {replanned}");
        assert!(call("cancel_import", import.clone()).await.status < 400);
        assert_eq!(call("get_import_preview", import).await.status, 404, "a cancelled upload is gone");

        // A hostile file is previewed as refused, with its reason.
        let import = upload("", "bomb.xlsx", zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &vec![b' '; 60 * 1024 * 1024])])).await;
        let preview = call("get_import_preview", import).await.json();
        assert!(preview["errors"][0].as_str().unwrap().contains("zip bomb"), "{preview}");
        drop(server);
        database.remove().await;
    }
}

#[tokio::test]
async fn learning_needs_export_and_import_back_through_the_command_line() {
    use app::model::learning::AnalysisDetails;
    use app::model::programme::Need;
    for database in databases("spreadsheets_learning").await {
        let url = &database.url;
        sample(url);
        let store = Store::connect(url).await.unwrap();
        let (workspace, owner) = store.workspace_for_command(WORKSPACE).await.unwrap();
        let (_, role_map) = maps(&store).await;
        let coordinator = &role_map.roles[0];
        let details = AnalysisDetails::parse("person", "Northshire", "Asha Patel", "North", "2026-11-21").unwrap();
        let scope = role_map.learning_scope(&coordinator.id);
        let asha = store.create_analysis(&workspace, &owner, &details, &role_map.summary.frameworks, &scope, Some((&role_map, coordinator))).await.unwrap();
        let catalogue: Vec<ActivityId> = store.catalogue(&workspace).await.unwrap().into_iter().map(|a| a.id).collect();
        let need = |function: &str, priority: &str, activity: &str| {
            Need::parse(function.parse().unwrap(), priority, "=Build confidence", activity, "", "Tuesdays", "2027-03-31", "planned", &catalogue).unwrap()
        };
        store.set_need(&workspace, &asha, &owner, 0, &need("comm-01", "high", &catalogue[0])).await.unwrap();
        store.set_need(&workspace, &asha, &owner, 0, &need("core-05", "none", "")).await.unwrap();
        let before = store.needs(&workspace, &asha).await.unwrap();

        // Exported, then imported as it is: nothing changes.
        let folder = tempfile::tempdir().unwrap();
        let out = folder.path().join("learning.xlsx");
        let export = caremap(url, &["export", "--workspace", WORKSPACE, "--kind", "learning", "--out", out.to_str().unwrap()]);
        assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
        let (ok, json) = import(url, &out, &["--kind", "learning"]);
        assert!(ok, "{json}");
        assert_eq!((&json["added"], &json["changed"], &json["unchanged"]), (&0.into(), &0.into(), &2.into()), "{json}");
        assert_eq!(json["id"], workspace.as_str());
        assert_eq!(store.needs(&workspace, &asha).await.unwrap(), before, "every field of every need, as it was");
        assert!(pdf_text(&out).contains("Learning and development matrix"));

        // A hand-made grid: Asha's need changes, and a new person gets an analysis.
        let csv = folder.path().join("team.csv");
        std::fs::write(&csv, "Function,Asha Patel,Ben Hughes\nBuild relationships,Medium,High\nSafeguarding,,Low\nPerson-centred support,banana,\n").unwrap();
        let (ok, json) = import(url, &csv, &["--kind", "learning"]);
        assert!(ok, "{json}");
        assert_eq!((&json["added"], &json["changed"]), (&(1 + 2).into(), &1.into()), "Ben and his two needs; Asha's comm-01: {json}");
        assert_eq!(
            unmatched(&json).into_iter().map(|(_, row, column, text)| (row, column, text)).collect::<Vec<_>>(),
            [(4, "B".to_owned(), "banana".to_owned())]
        );
        let asha_needs = store.needs(&workspace, &asha).await.unwrap();
        let comm_01 = &asha_needs.iter().find(|(n, _)| n.function_id.as_str() == "comm-01").unwrap().0;
        assert_eq!((comm_01.priority.as_str(), comm_01.comment.as_str()), ("medium", "Tuesdays"), "the priority changes; the rest stays");
        let analyses = store.analyses(&workspace).await.unwrap();
        let ben = analyses.iter().find(|a| a.details.name == "Ben Hughes").expect("Ben has an analysis now");
        assert!(ben.scope.iter().any(|f| f.as_str() == "comm-01") && ben.scope.iter().any(|f| f.as_str() == "core-01"), "{:?}", ben.scope);
        assert_eq!(store.needs(&workspace, &ben.id).await.unwrap().len(), 2);
        store.close().await;
        drop(folder);
        database.remove().await;
    }
}

#[tokio::test]
async fn frameworks_import_from_hand_made_lists_and_export_back_exactly() {
    use app::store::Visible;
    for database in databases("spreadsheets_frameworks").await {
        let url = &database.url;
        sample(url);
        let store = Store::connect(url).await.unwrap();
        let (workspace, _) = store.workspace_for_command(WORKSPACE).await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        let list = folder.path().join("team.csv");
        std::fs::write(&list, "Team functions\nWhat the north team does\n\nCategory,Function,Statement\nContact,Phone people back,Phone people back within a day\n,Write letters,\nRecords,=SUM(A1),\nRecords,Keep notes,\n").unwrap();

        let (ok, json) = import(url, &list, &["--kind", "framework", "--dry-run"]);
        assert!(ok, "{json}");
        assert_eq!((&json["added"], &json["id"]), (&3.into(), &serde_json::Value::Null), "{json}");
        assert_eq!(store.list_frameworks(Visible::InWorkspace(&workspace)).await.unwrap().len(), 3, "a dry run saves nothing");
        let (ok, json) = import(url, &list, &["--kind", "framework"]);
        assert!(ok, "{json}");
        assert_eq!(
            unmatched(&json).into_iter().map(|(_, row, column, text)| (row, column, text)).collect::<Vec<_>>(),
            [(7, "B".to_owned(), "=SUM(A1)".to_owned())]
        );
        let id = json["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("local-team-functions-"), "{id}");
        let frameworks = store.list_frameworks(Visible::InWorkspace(&workspace)).await.unwrap();
        let local = frameworks.iter().find(|f| f.id.as_str() == id).expect("the workspace sees its framework");
        assert_eq!((local.name.as_str(), local.function_count, local.category_count, local.local), ("Team functions", 3, 2, true));
        assert_eq!(store.list_frameworks(Visible::BuiltInOnly).await.unwrap().len(), 3, "nobody else does");
        let stored = store.framework(&id.parse().unwrap()).await.unwrap().unwrap();
        assert_eq!(stored.description(), "What the north team does");

        // Exported and imported back: the same framework, unchanged.
        let out = folder.path().join("framework.xlsx");
        let export = caremap(url, &["export", "--workspace", WORKSPACE, "--kind", "framework", "--id", &id, "--out", out.to_str().unwrap()]);
        assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
        let (ok, json) = import(url, &out, &["--kind", "framework"]);
        assert!(ok, "{json}");
        assert_eq!((&json["added"], &json["changed"], &json["unchanged"], json["id"].as_str()), (&0.into(), &0.into(), &3.into(), Some(id.as_str())), "{json}");
        assert_eq!(store.framework(&id.parse().unwrap()).await.unwrap().unwrap(), stored, "every category, function and word as it was");
        assert!(pdf_text(&out).contains("Phone people back within a day"));

        // The list edited by hand and imported again updates the same framework, as version 2;
        // the function the file no longer lists is kept.
        std::fs::write(
            &list,
            "Team functions\nWhat the north team does\n\nCategory,Function\nContact,Phone people back the same day\nRecords,Keep notes\nRecords,Share notes\n",
        )
        .unwrap();
        let (ok, json) = import(url, &list, &["--kind", "framework"]);
        assert!(ok, "{json}");
        assert_eq!((&json["added"], &json["changed"], &json["unchanged"], json["id"].as_str()), (&1.into(), &1.into(), &1.into(), Some(id.as_str())), "{json}");
        assert!(json["warnings"][0].as_str().unwrap().contains("kept"), "{json}");
        let updated = store.framework(&id.parse().unwrap()).await.unwrap().unwrap();
        assert_eq!((updated.version(), updated.function_count()), (2, 4));

        // A copy of a built-in framework becomes the workspace's own, with ids of its own.
        let builtin = folder.path().join("core.xlsx");
        assert!(
            caremap(url, &["export", "--workspace", WORKSPACE, "--kind", "framework", "--id", "core-functions", "--out", builtin.to_str().unwrap()])
                .status
                .success()
        );
        let (ok, json) = import(url, &builtin, &["--kind", "framework"]);
        assert!(ok, "{json}");
        assert_eq!(json["added"], 7, "{json}");
        assert!(json["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().starts_with("7 function ids")), "{json}");
        let (refused, json) = import(url, &builtin, &["--kind", "framework", "--id", "core-functions"]);
        assert!(!refused, "a built-in framework is not changed: {json}");
        assert!(json["errors"][0].as_str().unwrap().contains("cannot be changed"), "{json}");
        assert_eq!(store.list_frameworks(Visible::InWorkspace(&workspace)).await.unwrap().len(), 5);
        store.close().await;
        drop(folder);
        database.remove().await;
    }
}

#[tokio::test]
async fn plans_programmes_and_frameworks_download_as_spreadsheets() {
    let database = databases("spreadsheets_tables").await.remove(0);
    let server = caremap_tests::Server::start(&database.url).await;
    let owner = server.set_up("owner@example.org").await;
    let location = server.call(&owner, "create_sample_workspace", &[]).await.location.unwrap();
    let plan_path = format!("{location}/plan.xlsx");
    let workspace_path = location.split("/maps/").next().unwrap().to_owned();
    let read = |bytes: &[u8]| app::sheets::read::read_workbook("file.xlsx", bytes).unwrap();
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    let (status, kind, bytes) = server.download(&owner, &plan_path).await;
    assert_eq!((status, kind.as_str()), (200, XLSX));
    let plan = &read(&bytes)[0];
    assert_eq!(plan.rows[2][..5], ["Function", "What", "With whom", "How", "Cost"]);
    let last = plan.rows.last().unwrap();
    assert_eq!(last[0], "Total");
    assert_eq!(last[4], "51500", "the sample plan's £1,500, £38,000 and £12,000, summed by formula");
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("plan.xlsx");
    std::fs::write(&file, &bytes).unwrap();
    assert!(pdf_text(&file).contains("Implementation plan"));

    let (status, _, bytes) = server.download(&owner, &format!("{workspace_path}/programme.xlsx")).await;
    assert_eq!(status, 200);
    let names: Vec<String> = read(&bytes).into_iter().map(|g| g.name).collect();
    assert_eq!(names, ["Per function", "Per activity", "Cohorts", "Progress"]);

    let (status, _, bytes) = server.download(&caremap_tests::Visitor::default(), "/frameworks/core-functions/framework.xlsx").await;
    assert_eq!(status, 200, "frameworks are public");
    let functions = &read(&bytes)[0];
    assert_eq!(functions.rows.len(), 3 + 7, "a title, the description, the headings and the seven core functions");
    assert_eq!(functions.rows[3][..3], ["Core functions", "core-01", "Person-centred support"]);
    assert_eq!(server.download(&caremap_tests::Visitor::default(), &plan_path).await.0, 401);

    // A framework uploaded to a workspace is previewed, imported, and seen by its members only.
    let list = b"Category,Function\nContact,Phone people back\nRecords,Keep notes\n".to_vec();
    let answer = server.upload(&owner, &format!("{workspace_path}/imports"), &[("kind", "framework"), ("target", "")], "Team list.csv", list).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let import = answer.location.unwrap().rsplit('/').next().unwrap().to_owned();
    let workspace = workspace_path.rsplit('/').next().unwrap().to_owned();
    let form = [("workspace_id", workspace.as_str()), ("import_id", import.as_str())];
    let preview = server.ok(&owner, "get_import_preview", &form).await.json();
    assert_eq!((&preview["added"], &preview["kind"]), (&2.into(), &"framework".into()), "{preview}");
    let fingerprint = preview["fingerprint"].as_str().unwrap().to_owned();
    let applied = server.call(&owner, "apply_import", &[form[0], form[1], ("fingerprint", &fingerprint)]).await;
    let page = applied.location.expect("the import opens the framework");
    assert!(page.starts_with("/frameworks/local-team-list-"), "named after the file: {page}");
    let listed = |visitor| {
        let server = &server;
        async move { server.ok(visitor, "list_frameworks", &[]).await.json().as_array().unwrap().len() }
    };
    assert_eq!((listed(&owner).await, listed(&caremap_tests::Visitor::default()).await), (4, 3));
    assert_eq!(server.page(&owner, &page).await.status, 200);
    assert_eq!(server.download(&owner, &format!("{page}/framework.xlsx")).await.0, 200);
    let other = server.workspace(&owner, "Elsewhere").await;
    let stranger = server.invite(&owner, &other, "viewer", "stranger@example.org").await;
    assert_eq!(server.page(&stranger, &page).await.status, 404, "another workspace's framework does not exist for outsiders");
    assert_eq!(server.download(&stranger, &format!("{page}/framework.xlsx")).await.0, 404);
    drop(server);
    database.remove().await;
}

/// The worst families of hostile files, uploaded to the running server and previewed all at
/// once: each preview is a clear refusal, the server answers its health check and serves
/// another workspace's map meanwhile, the whole process tree stays under 512 MB, and a refused
/// upload stays refused on every later visit, after a restart too, without being read again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_uploads_at_once_leave_the_server_serving_everyone() {
    let database = databases("spreadsheets_load").await.into_iter().next().unwrap();
    let server = caremap_tests::Server::start(&database.url).await;
    let owner = server.set_up("owner@example.org").await;
    let workspace_of = |location: String| location.trim_start_matches('/').split('/').nth(1).unwrap().to_owned();
    let target = workspace_of(server.call(&owner, "create_sample_workspace", &[]).await.location.unwrap());
    let other = server.call(&owner, "create_sample_workspace", &[]).await.location.unwrap();
    assert_ne!(workspace_of(other.clone()), target);

    let worst = [
        "lying-count.xlsx",
        "shared-megabyte.xlsx",
        "shared-30k.xlsx",
        "repeated.ods",
        "thousand-sheets.xlsx",
        "single-quotes.xlsx",
        "orphan.xls",
        "overlap.xlsx",
        "long-cell.xlsx",
    ];
    let corpus: Vec<Hostile> = caremap_tests::hostile::corpus().into_iter().filter(|file| worst.contains(&file.name)).collect();
    assert_eq!(corpus.len(), worst.len());
    let mut imports = Vec::new();
    for file in &corpus {
        let answer =
            server.upload(&owner, &format!("/workspaces/{target}/imports"), &[("kind", "org-map"), ("target", "")], file.name, file.bytes.clone()).await;
        assert_eq!(answer.status, 303, "{}: {}", file.name, answer.body);
        imports.push(answer.location.unwrap());
    }

    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pid = server.pid();
    let watch = {
        let done = done.clone();
        tokio::task::spawn_blocking(move || {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(caremap_tests::tree_memory(pid));
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            peak
        })
    };
    let others = {
        let (server, owner, done) = (&server, &owner, done.clone());
        async move {
            let mut served = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let health = reqwest::get(server.url("/healthz")).await.unwrap();
                assert_eq!(health.status(), 200, "the server stopped answering its health check");
                let map = server.page(owner, &other).await;
                assert_eq!(map.status, 200, "another workspace's map was not served");
                assert!(map.body.contains("Age UK Northshire"));
                served += 1;
            }
            served
        }
    };
    let previews = async {
        let pages = futures::future::join_all(imports.iter().map(|import| server.page(&owner, import))).await;
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        pages
    };
    let (pages, served) = tokio::join!(previews, others);
    let peak = watch.await.unwrap();
    for (file, page) in corpus.iter().zip(&pages) {
        assert_eq!(page.status, 200, "{}", file.name);
        let Expect::Refused(reasons) = file.expect else { panic!("{} is one of the worst", file.name) };
        assert!(reasons.iter().any(|reason| page.body.contains(reason)), "{}: the preview does not refuse it", file.name);
        assert!(!page.body.contains("Import</button>"), "{}: a refused file offers no import", file.name);
    }
    assert!(served > 0, "another workspace was served while the files were read");
    eprintln!("peak memory of the server and its readers: {:.0} MB", peak as f64 / 1e6);
    assert!(peak < 512 * 1024 * 1024, "the server and its readers took {peak} bytes");

    // After a restart, the refusal is shown again without reading the file.
    drop(server);
    // Sessions live in the database: the owner is still signed in.
    let server = caremap_tests::Server::start(&database.url).await;
    for (file, import) in corpus.iter().zip(&imports) {
        let page = server.page(&owner, import).await;
        let Expect::Refused(reasons) = file.expect else { unreachable!() };
        assert!(reasons.iter().any(|reason| page.body.contains(reason)), "{}: {}", file.name, page.body);
    }
    assert!(caremap_tests::children(server.pid()).is_empty(), "no reader runs for a file already refused");
    drop(server);
    database.remove().await;
}

/// A reader killed from outside while it reads is a refusal naming the file, and nothing is
/// saved.
#[tokio::test]
async fn a_reader_killed_from_outside_is_a_refusal() {
    let database = databases("spreadsheets_killed").await.into_iter().next().unwrap();
    let url = &database.url;
    sample(url);
    let folder = tempfile::tempdir().unwrap();
    // Large enough that reading it takes a while: 600,000 rows, 21 MB.
    let path = folder.path().join("long.csv");
    let rows: String = (0..600_000).map(|row| format!("Person {row},Organisation {row}\n")).collect();
    std::fs::write(&path, rows).unwrap();
    let mut import = Command::new(binary())
        .args(["import", path.to_str().unwrap(), "--workspace", WORKSPACE, "--kind", "org-map", "--json"])
        .env_clear()
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let reader = loop {
        let readers: Vec<u32> = caremap_tests::children(import.id())
            .into_iter()
            .filter(|pid| std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|line| String::from_utf8_lossy(&line).contains("read-spreadsheet")))
            .collect();
        if let Some(pid) = readers.first() {
            break *pid;
        }
        assert!(import.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline, "no reader was seen running");
        std::thread::sleep(std::time::Duration::from_micros(200));
    };
    assert!(Command::new("kill").args(["-KILL", &reader.to_string()]).status().unwrap().success());
    let output = import.wait_with_output().unwrap();
    assert!(!output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let error = json["errors"][0].as_str().unwrap();
    assert!(error.contains("Reading “long.csv” stopped before it finished"), "{error}");
    let store = Store::connect(url).await.unwrap();
    let (workspace, _) = store.workspace_for_command(WORKSPACE).await.unwrap();
    assert_eq!(store.org_maps(&workspace).await.unwrap().len(), 2, "nothing was saved: the sample's two maps");
    store.close().await;
    database.remove().await;
}
