//! Role maps over HTTP against the release server: the menu, roles and cells, the gaps on the
//! served page, job descriptions with their edits, the Word download, and planning learning.

use caremap_tests::{Server, Visitor, databases};
use std::io::Read;

struct RoleMap {
    server: Server,
    owner: Visitor,
    workspace: String,
    map: String,
    coordinator: String,
}

async fn role_map(database_url: &str) -> RoleMap {
    let server = Server::start(database_url).await;
    let owner = server.set_up("owner@example.org").await;
    let workspace = server.workspace(&owner, "Riverside trust").await;
    let (map, coordinator) = server.role_map(&owner, &workspace, "Riverside community team").await;
    RoleMap { server, owner, workspace, map, coordinator }
}

impl RoleMap {
    async fn call(&self, function: &str, extra: &[(&str, &str)]) -> caremap_tests::Answer {
        let mut form = vec![("workspace_id", self.workspace.as_str()), ("map_id", self.map.as_str())];
        form.extend_from_slice(extra);
        self.server.call(&self.owner, function, &form).await
    }

    async fn set(&self, role: &str, function: &str, version: i64, level: &str) -> caremap_tests::Answer {
        let version = version.to_string();
        self.call("set_role_cell", &[("role_id", role), ("function_id", function), ("version", &version), ("level", level), ("note", "")]).await
    }

    async fn get(&self) -> serde_json::Value {
        self.call("get_role_map", &[]).await.json()
    }

    async fn job_description(&self) -> serde_json::Value {
        let answer = self.call("get_job_description", &[("role_id", &self.coordinator)]).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()
    }
}

fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|id| id.as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_menu_roles_and_cells_make_the_gaps_and_the_job_description() {
    for database in databases("role_map_flow").await {
        let r = role_map(&database.url).await;
        let map = r.get().await;
        assert_eq!(
            ids(&map["map"]["summary"]["needed"]),
            ["core-01", "core-02", "core-03", "core-04", "core-05", "core-06", "core-07"],
            "core functions are on the menu from the start"
        );

        // Step 1: the menu, kept in framework order; stale and unknown menus are refused.
        let menu = r.call("set_role_menu", &[("version", "1"), ("needed", "info-04 comm-06 comm-01 core-01")]).await;
        assert_eq!(menu.status, 200, "{}", menu.body);
        assert_eq!(ids(&r.get().await["map"]["summary"]["needed"]), ["comm-01", "comm-06", "info-04", "core-01"]);
        let stale = r.call("set_role_menu", &[("version", "1"), ("needed", "comm-01")]).await;
        assert_eq!(stale.status, 409, "{}", stale.body);
        let unknown = r.call("set_role_menu", &[("version", "2"), ("needed", "comm-01 nope-99")]).await;
        assert_eq!((unknown.status, unknown.json()["Invalid"]["field"].as_str()), (400, Some("needed")), "{}", unknown.body);

        // Step 2 and 3: a second role, and cells.
        let support = r.call("add_role", &[("title", "Support worker"), ("team", ""), ("grade", "Band 3"), ("hours", "")]).await.json();
        let support = support.as_str().unwrap().to_owned();
        assert_eq!(r.set(&r.coordinator, "comm-06", 0, "leads").await.json()["version"], 1);
        let stale = r.set(&r.coordinator, "comm-06", 0, "supports").await;
        assert_eq!(stale.status, 409);
        assert_eq!(stale.json()["StaleCell"]["level"], "leads", "the refusal carries the current cell");
        assert_eq!(r.set(&r.coordinator, "comm-06", 0, "fully").await.status, 400, "an organisation map's level is not a role map's");
        assert_eq!(r.set(&support, "info-04", 0, "supports").await.status, 200);
        assert_eq!(r.set(&support, "comm-06", 0, "leads").await.status, 200);
        assert_eq!(r.set(&support, "supp-12", 0, "leads").await.status, 200, "work on a function not on the menu");

        let page = r.server.page(&r.owner, &format!("/workspaces/{}/role-maps/{}", r.workspace, r.map)).await;
        assert_eq!(page.status, 200);
        for expected in [
            "Gap: no role covers it",             // comm-01
            "Overlap: led by more than one role", // comm-06
            "Gap: supported, but no role leads",  // info-04
            "Done but not needed by the service (1)",
            "Support worker leads “Support people as part of the hospital discharge team”",
        ] {
            assert!(page.body.contains(expected), "the page shows {expected}");
        }

        // The job description: led functions as responsibilities, questions for each.
        let jd = r.job_description().await;
        let description = &jd["description"];
        assert_eq!(description["leads"][0]["statements"][0], "Follow up to make sure referrals have happened.");
        assert_eq!(description["interview_questions"].as_array().unwrap().len(), 1);
        assert_eq!(description["core"].as_array().unwrap().len(), 1, "the core functions on the menu");
        let version = jd["role"]["version"].as_i64().unwrap().to_string();
        let text = &jd["text"];
        let save = async |purpose: &str, version: &str| {
            let fields = [
                ("role_id", r.coordinator.as_str()),
                ("version", version),
                ("purpose", purpose),
                ("person_specification", text["person_specification"].as_str().unwrap()),
                ("questions", text["questions"].as_str().unwrap()),
                ("advert", text["advert"].as_str().unwrap()),
            ];
            r.call("save_job_description", &fields).await
        };
        let saved = save("To be each person's single point of contact.", &version).await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(save("Another purpose.", &version).await.status, 409, "an edit from a stale view is refused");

        // Leading another function regenerates the rest and keeps the edit.
        r.set(&r.coordinator, "comm-01", 0, "leads").await;
        let jd = r.job_description().await;
        assert_eq!(jd["description"]["purpose"], "To be each person's single point of contact.");
        assert_eq!(ids(&jd["edited"]), ["purpose"]);
        assert_eq!(jd["description"]["interview_questions"].as_array().unwrap().len(), 2);

        // The Word file holds the responsibilities.
        let path = format!("/workspaces/{}/role-maps/{}/roles/{}/job-description.docx", r.workspace, r.map, r.coordinator);
        let (status, kind, bytes) = r.server.download(&r.owner, &path).await;
        assert_eq!(status, 200);
        assert_eq!(kind, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        let mut document = String::new();
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap().by_name("word/document.xml").unwrap().read_to_string(&mut document).unwrap();
        assert!(document.contains("Follow up to make sure referrals have happened."));
        assert!(document.contains("To be each person&apos;s single point of contact."));
        let (status, _, _) = r.server.download(&Visitor::default(), &path).await;
        assert_eq!(status, 401);

        // Planning learning scopes it to exactly the role's functions and the core functions.
        let analysis = r.server.plan_learning(&r.owner, &r.workspace, &r.map, &r.coordinator).await;
        let view = r.server.ok(&r.owner, "get_learning_analysis", &[("workspace_id", &r.workspace), ("analysis_id", &analysis)]).await.json();
        let scope = ids(&view["analysis"]["summary"]["scope"]);
        assert_eq!(scope, ["comm-01", "comm-06", "core-01", "core-02", "core-03", "core-04", "core-05", "core-06", "core-07"]);
        assert_eq!(view["analysis"]["summary"]["details"]["level"], "Role");
        drop(r);
        database.remove().await;
    }
}

#[tokio::test]
async fn roles_are_edited_moved_removed_and_put_back_with_their_cells() {
    for database in databases("role_map_roles").await {
        let r = role_map(&database.url).await;
        let second = r.call("add_role", &[("title", "Team manager"), ("team", ""), ("grade", ""), ("hours", "")]).await.json();
        let second = second.as_str().unwrap().to_owned();
        r.set(&second, "core-01", 0, "leads").await;
        let edit = async |version: &str| {
            r.call(
                "update_role",
                &[("role_id", &r.coordinator), ("version", version), ("title", "Lead care coordinator"), ("team", ""), ("grade", "Band 7"), ("hours", "")],
            )
            .await
        };
        assert_eq!(edit("1").await.status, 200);
        let stale = edit("1").await;
        assert_eq!(stale.status, 409);
        assert!(stale.body.contains("Lead care coordinator, Band 7"), "{}", stale.body);
        assert_eq!(r.call("add_role", &[("title", " "), ("team", ""), ("grade", ""), ("hours", "")]).await.json()["Invalid"]["field"], "title");

        assert_eq!(r.call("move_role", &[("role_id", &second), ("direction", "left")]).await.status, 200);
        let titles = |map: &serde_json::Value, key: &str| -> Vec<String> {
            map["map"][key].as_array().unwrap().iter().map(|role| role["details"]["title"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(titles(&r.get().await, "roles"), ["Team manager", "Lead care coordinator"]);

        assert_eq!(r.call("remove_role", &[("role_id", &second)]).await.status, 200);
        let map = r.get().await;
        assert_eq!((titles(&map, "roles"), titles(&map, "removed")), (vec!["Lead care coordinator".to_owned()], vec!["Team manager".to_owned()]));
        assert_eq!(r.set(&second, "core-02", 0, "leads").await.status, 400, "a removed role's cells cannot change");
        assert_eq!(r.call("restore_role", &[("role_id", &second)]).await.status, 200);
        let cells = r.get().await["map"]["cells"].clone();
        assert!(cells.as_array().unwrap().iter().any(|cell| cell["column_id"] == second.as_str() && cell["value"]["level"] == "Leads"), "{cells}");
        drop(r);
        database.remove().await;
    }
}
