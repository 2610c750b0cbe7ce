//! Organisation maps over HTTP against the release server: the page as served, cells and
//! their stale-edit refusal, organisations removed and put back, copies, reviews, plans, and
//! the audit entries each change leaves.

use caremap_tests::{Server, Visitor, databases};

struct Map {
    server: Server,
    owner: Visitor,
    workspace: String,
    map: String,
    organisation: String,
}

async fn map(database_url: &str) -> Map {
    let server = Server::start(database_url).await;
    let owner = server.set_up("owner@example.org").await;
    let workspace = server.workspace(&owner, "Riverside partnership").await;
    let (map, organisation) = server.org_map(&owner, &workspace, "Riverside").await;
    Map { server, owner, workspace, map, organisation }
}

impl Map {
    async fn set(&self, function: &str, version: i64, level: &str, note: &str) -> caremap_tests::Answer {
        let version = version.to_string();
        self.server
            .call(
                &self.owner,
                "set_cell",
                &[
                    ("workspace_id", &self.workspace),
                    ("map_id", &self.map),
                    ("organisation_id", &self.organisation),
                    ("function_id", function),
                    ("version", &version),
                    ("level", level),
                    ("note", note),
                ],
            )
            .await
    }

    async fn get(&self) -> serde_json::Value {
        self.server.ok(&self.owner, "get_org_map", &[("workspace_id", &self.workspace), ("map_id", &self.map)]).await.json()
    }

    async fn audit(&self, entity: &str) -> Vec<serde_json::Value> {
        let log = self.server.ok(&self.owner, "audit_log", &[("workspace_id", &self.workspace), ("entity", entity)]).await.json();
        log["entries"].as_array().unwrap().clone()
    }
}

#[tokio::test]
async fn cells_save_refuse_stale_edits_and_are_audited() {
    for database in databases("org_cells").await {
        let m = map(&database.url).await;
        let saved = m.set("comm-06", 0, "partly", "Tuesdays only").await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(saved.json()["version"], 1);
        let stale = m.set("comm-06", 0, "fully", "").await;
        assert_eq!(stale.status, 409);
        let current = &stale.json()["StaleCell"];
        assert_eq!((current["level"].as_str(), current["note"].as_str()), (Some("partly"), Some("Tuesdays only")), "{}", stale.body);
        assert_eq!(current["version"], 1, "the refusal carries the current cell");
        assert_eq!(current["description"], "Partly provided (note: “Tuesdays only”)");
        assert_eq!(m.set("comm-06", 1, "fully", "Tuesdays only").await.status, 200);

        let bad = m.set("comm-06", 2, "maybe", "").await;
        assert_eq!(bad.status, 400);
        let unknown = m.set("cpa-1.1", 2, "fully", "").await;
        assert_eq!(unknown.status, 404, "a function outside the map's frameworks: {}", unknown.body);
        let long = m.set("comm-06", 2, "fully", &"x".repeat(501)).await;
        assert_eq!(long.status, 400);
        assert!(long.body.contains("500 characters or fewer"));

        let view = m.get().await;
        let cells = view["map"]["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 1);
        assert_eq!((cells[0]["value"]["level"].as_str(), cells[0]["value"]["version"].as_i64()), (Some("Fully"), Some(2)));

        let audit = m.audit("cell").await;
        let changes: Vec<(String, String, String)> = audit
            .iter()
            .map(|e| (e["field"].as_str().unwrap().into(), e["old_value"].as_str().unwrap().into(), e["new_value"].as_str().unwrap().into()))
            .collect();
        assert_eq!(
            changes,
            [
                ("level".into(), "partly".into(), "fully".into()),
                ("note".into(), "".into(), "Tuesdays only".into()),
                ("level".into(), "none".into(), "partly".into()),
            ],
            "newest first; refused edits leave nothing"
        );
        assert_eq!(audit[0]["entity_id"], format!("{}/comm-06", m.organisation));
        database.remove().await;
    }
}

#[tokio::test]
async fn the_map_page_is_a_complete_table_with_the_gaps_marked() {
    let database = databases("org_page").await.remove(0);
    let m = map(&database.url).await;
    m.set("comm-01", 0, "fully", "").await;
    let page = m.server.page(&m.owner, &format!("/workspaces/{}/maps/{}", m.workspace, m.map)).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert_eq!(body.matches("<td role=\"gridcell\" id=\"cell-").count(), 46, "one cell per function for the one organisation");
    assert_eq!(body.matches("<th scope=\"row\" role=\"rowheader\" class=\"matrix__function\"").count(), 46);
    assert!(body.contains("<th scope=\"col\" role=\"columnheader\" class=\"matrix__column\"><span>Riverside GP Practice</span></th>"));
    assert_eq!(body.matches("<th scope=\"rowgroup\"").count(), 6, "five coordinating-care categories and the core functions");
    assert!(body.contains("1 of 46 functions are fully provided"));
    assert_eq!(body.matches("<td role=\"gridcell\" class=\"matrix__status\">Gap: nobody provides it</td>").count(), 45);
    assert!(body.contains("<a href=\"?show=gap#matrix-heading\">Gap: nobody provides it: 45</a></li>"), "the summary counts the gaps and links to them");
    assert!(body.contains("One provider only"));
    assert!(body.contains("<title id=\"chart-title\">Coverage per category</title>"), "the chart of coverage per category");

    // The same map as a spreadsheet: its Matrix sheet holds the organisation and the mark.
    let path = format!("/workspaces/{}/maps/{}/matrix.xlsx", m.workspace, m.map);
    let (status, kind, bytes) = m.server.download(&m.owner, &path).await;
    assert_eq!((status, kind.as_str()), (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    let grids = app::sheets::read::read_workbook("map.xlsx", &bytes).unwrap();
    let names: Vec<&str> = grids.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Matrix", "Summary", "caremap"]);
    let matrix = &grids[0];
    let header = matrix.rows.iter().position(|row| row.first().is_some_and(|c| c == "Function")).unwrap();
    assert_eq!(matrix.cell(header, 2), "Riverside GP Practice");
    assert_eq!(matrix.cell(header + 2, 2), "Fully provided", "comm-01, under the Communication band");
    assert_eq!(matrix.cell(header + 2, 1), "One provider only", "the status as the formula last worked it out");
    assert_eq!(m.server.download(&Visitor::default(), &path).await.0, 401);
    database.remove().await;
}

#[tokio::test]
async fn organisations_are_edited_reordered_removed_and_put_back() {
    for database in databases("org_organisations").await {
        let m = map(&database.url).await;
        let ids = [("workspace_id", m.workspace.as_str()), ("map_id", m.map.as_str())];
        let second = m
            .server
            .ok(
                &m.owner,
                "add_organisation",
                &[ids[0], ids[1], ("name", "Age UK"), ("sector", "voluntary"), ("locality", "North"), ("website", "https://www.ageuk.org.uk"), ("contact", "")],
            )
            .await
            .json();
        let second = second.as_str().unwrap();
        let bad = m
            .server
            .call(&m.owner, "add_organisation", &[ids[0], ids[1], ("name", "X"), ("sector", "charity"), ("locality", "N"), ("website", ""), ("contact", "")])
            .await;
        assert_eq!(bad.status, 400);
        assert_eq!(bad.json()["Invalid"]["field"], "sector");

        m.server.ok(&m.owner, "move_organisation", &[ids[0], ids[1], ("organisation_id", second), ("direction", "left")]).await;
        let names = |view: &serde_json::Value, key: &str| -> Vec<String> {
            view["map"][key].as_array().unwrap().iter().map(|o| o["details"]["name"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(names(&m.get().await, "organisations"), ["Age UK", "Riverside GP Practice"]);

        let edit = |version: &'static str, name: &'static str| {
            let server = &m.server;
            let owner = &m.owner;
            async move {
                server
                    .call(
                        owner,
                        "update_organisation",
                        &[
                            ids[0],
                            ids[1],
                            ("organisation_id", second),
                            ("version", version),
                            ("name", name),
                            ("sector", "voluntary"),
                            ("locality", "North"),
                            ("website", ""),
                            ("contact", ""),
                        ],
                    )
                    .await
            }
        };
        assert_eq!(edit("1", "Age UK Riverside").await.status, 200);
        let stale = edit("1", "Age Concern").await;
        assert_eq!(stale.status, 409);
        assert!(stale.body.contains("Age UK Riverside"), "{}", stale.body);

        m.set("comm-01", 0, "fully", "").await;
        m.server.ok(&m.owner, "remove_organisation", &[ids[0], ids[1], ("organisation_id", &m.organisation)]).await;
        // Removing again (say, from a second tab) changes nothing and records nothing.
        m.server.ok(&m.owner, "remove_organisation", &[ids[0], ids[1], ("organisation_id", &m.organisation)]).await;
        let view = m.get().await;
        assert_eq!(names(&view, "organisations"), ["Age UK Riverside"]);
        assert_eq!(names(&view, "removed"), ["Riverside GP Practice"]);
        assert_eq!(m.set("comm-02", 0, "fully", "").await.status, 400, "a removed organisation's cells cannot change");
        m.server.ok(&m.owner, "restore_organisation", &[ids[0], ids[1], ("organisation_id", &m.organisation)]).await;
        let view = m.get().await;
        assert_eq!(names(&view, "organisations"), ["Age UK Riverside", "Riverside GP Practice"]);
        assert_eq!(view["map"]["cells"].as_array().unwrap().len(), 1, "its cell came back with it");

        let audit = m.audit("organisation").await;
        let fields: Vec<(&str, &str, &str)> =
            audit.iter().map(|e| (e["field"].as_str().unwrap(), e["old_value"].as_str().unwrap_or(""), e["new_value"].as_str().unwrap_or(""))).collect();
        assert_eq!(
            fields,
            [
                ("on the map", "no", "yes"),
                ("on the map", "yes", "no"),
                ("website", "https://www.ageuk.org.uk", ""),
                ("name", "Age UK", "Age UK Riverside"),
                ("name", "", "Age UK"),
                ("name", "", "Riverside GP Practice"),
            ]
        );
        database.remove().await;
    }
}

#[tokio::test]
async fn a_copy_is_reviewed_against_its_baseline_and_plans_total_their_cost() {
    for database in databases("org_review").await {
        let m = map(&database.url).await;
        m.set("comm-01", 0, "fully", "").await;
        m.set("comm-02", 0, "fully", "").await;
        let ids = [("workspace_id", m.workspace.as_str()), ("map_id", m.map.as_str())];
        m.server.ok(&m.owner, "copy_org_map", &[ids[0], ids[1], ("area", "Riverside"), ("date", "2027-04-01"), ("threshold", "3")]).await;
        let list = m.server.ok(&m.owner, "list_org_maps", &[ids[0]]).await.json();
        let copy = list["maps"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(list["maps"][0]["copied_from"], m.map.as_str());
        let copied = m.server.ok(&m.owner, "get_org_map", &[ids[0], ("map_id", &copy)]).await.json();
        assert_eq!(copied["map"]["cells"].as_array().unwrap().len(), 2);
        let organisation = copied["map"]["organisations"][0]["id"].as_str().unwrap();
        for (function, level) in [("comm-02", "none"), ("comm-03", "fully")] {
            m.server
                .ok(
                    &m.owner,
                    "set_cell",
                    &[
                        ids[0],
                        ("map_id", &copy),
                        ("organisation_id", organisation),
                        ("function_id", function),
                        ("version", if function == "comm-02" { "1" } else { "0" }),
                        ("level", level),
                        ("note", ""),
                    ],
                )
                .await;
        }
        let review = m.server.ok(&m.owner, "compare_org_maps", &[ids[0], ("baseline", &m.map), ("current", &copy)]).await.json();
        let kind =
            |id: &str| review["review"]["functions"].as_array().unwrap().iter().find(|f| f["function_id"] == id).unwrap()["kind"].as_str().unwrap().to_owned();
        assert_eq!((kind("comm-01").as_str(), kind("comm-02").as_str(), kind("comm-03").as_str()), ("Unchanged", "Lost", "Gained"));
        let communication = &review["review"]["categories"][0];
        assert_eq!((communication["before"]["covered"].as_i64(), communication["after"]["covered"].as_i64()), (Some(2), Some(2)));

        let action = |what: &'static str, cost: &'static str, due: &'static str| {
            [
                ids[0],
                ids[1],
                ("function_id", "comm-06"),
                ("what", what),
                ("with_whom", ""),
                ("how", ""),
                ("cost", cost),
                ("due", due),
                ("communication", ""),
                ("risks", ""),
                ("status", "planned"),
            ]
        };
        m.server.ok(&m.owner, "add_action", &action("Agree follow-up", "1,500", "2027-03-31")).await;
        m.server.ok(&m.owner, "add_action", &action("Train duty staff", "250.50", "")).await;
        let refused = m.server.call(&m.owner, "add_action", &action("Bad", "lots", "")).await;
        assert_eq!(refused.json()["Invalid"]["field"], "cost");
        let page = m.server.page(&m.owner, &format!("/workspaces/{}/maps/{}/plan?sort=date", m.workspace, m.map)).await;
        assert!(page.body.contains("£1,750.50"), "the total cost is shown");
        let agree = page.body.find("Agree follow-up").unwrap();
        assert!(agree < page.body.find("Train duty staff").unwrap(), "dated actions first");
        database.remove().await;
    }
}
