//! Learning needs over HTTP against the release server, on SQLite and PostgreSQL: analyses at
//! each level with their scopes, needs recorded (and refused when stale or out of scope), the
//! catalogue, scope edits that archive, the team grid and the programme under filters.

use caremap_tests::{Server, Visitor, databases};

struct Learning {
    server: Server,
    owner: Visitor,
    workspace: String,
    map: String,
    coordinator: String,
}

impl Learning {
    async fn call(&self, function: &str, extra: &[(&str, &str)]) -> caremap_tests::Answer {
        let mut form = vec![("workspace_id", self.workspace.as_str())];
        form.extend_from_slice(extra);
        self.server.call(&self.owner, function, &form).await
    }

    async fn ok(&self, function: &str, extra: &[(&str, &str)]) -> serde_json::Value {
        let answer = self.call(function, extra).await;
        assert_eq!(answer.status, 200, "{function}: {}", answer.body);
        answer.json()
    }

    /// Starts an analysis; answers its id, from where the answer sends the browser.
    async fn create(&self, fields: &[(&str, &str)]) -> String {
        let mut form = vec![
            ("workspace_id", self.workspace.as_str()),
            ("organisation", ""),
            ("team", ""),
            ("date", "2026-11-21"),
            ("role", ""),
            ("frameworks", "coordinating-care core-functions"),
        ];
        for (name, value) in fields {
            form.retain(|(existing, _)| existing != name);
            form.push((name, value));
        }
        let answer = self.server.call_with(&self.owner, "create_analysis", &form, &[]).await;
        assert!(answer.status < 400, "create_analysis: {} {}", answer.status, answer.body);
        answer.location.expect("create_analysis opens the analysis").rsplit('/').next().unwrap().to_owned()
    }

    async fn need(&self, analysis: &str, function: &str, version: i64, priority: &str, activity: &str, status: &str) -> caremap_tests::Answer {
        let version = version.to_string();
        self.call(
            "set_need",
            &[
                ("analysis_id", analysis),
                ("function_id", function),
                ("version", &version),
                ("priority", priority),
                ("need", "Confidence in this function"),
                ("activity", activity),
                ("described", ""),
                ("comment", ""),
                ("target", "2027-03-31"),
                ("status", status),
            ],
        )
        .await
    }

    async fn programme(&self, filters: &[(&str, &str)]) -> serde_json::Value {
        let mut form = vec![("team", ""), ("role", ""), ("priority", ""), ("status", "")];
        for (name, value) in filters {
            form.retain(|(existing, _)| existing != name);
            form.push((name, value));
        }
        self.ok("get_programme", &form).await["programme"].clone()
    }
}

async fn learning(database_url: &str) -> Learning {
    let server = Server::start(database_url).await;
    let owner = server.set_up("owner@example.org").await;
    let workspace = server.workspace(&owner, "Riverside trust").await;
    let (map, coordinator) = server.role_map(&owner, &workspace, "Riverside community team").await;
    let l = Learning { server, owner, workspace, map, coordinator };
    // The coordinator leads comm-01, on a menu of comm-01, comm-06 and the core functions.
    let needed = "comm-01 comm-06 core-01 core-02 core-03 core-04 core-05 core-06 core-07";
    l.ok("set_role_menu", &[("map_id", &l.map), ("version", "1"), ("needed", needed)]).await;
    l.ok("set_role_cell", &[("map_id", &l.map), ("role_id", &l.coordinator), ("function_id", "comm-01"), ("version", "0"), ("level", "leads"), ("note", "")])
        .await;
    l
}

fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|id| id.as_str().unwrap()).collect()
}

fn function_ids(programme: &serde_json::Value) -> Vec<&str> {
    programme["functions"].as_array().unwrap().iter().map(|f| f["function_id"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn needs_recorded_in_analyses_roll_up_into_the_programme() {
    for database in databases("learning_flow").await {
        let l = learning(&database.url).await;
        let role = format!("{}/{}", l.map, l.coordinator);

        // A named person following the role: its functions and the core ones, its team and map.
        let asha = l.create(&[("level", "person"), ("name", "Asha Patel"), ("role", &role)]).await;
        let view = l.ok("get_learning_analysis", &[("analysis_id", &asha)]).await;
        let summary = &view["analysis"]["summary"];
        assert_eq!(ids(&summary["scope"]), ["comm-01", "core-01", "core-02", "core-03", "core-04", "core-05", "core-06", "core-07"]);
        assert_eq!((summary["details"]["team"].as_str(), summary["details"]["organisation"].as_str()), (Some("Community"), Some("Riverside community team")));
        assert_eq!(view["needs"].as_array().unwrap().len(), 8, "a blank need per function in scope");
        assert!(view["needs"].as_array().unwrap().iter().all(|n| n["version"] == 0));

        // A team's analysis with no role starts with the core functions only.
        let team = l.create(&[("level", "team"), ("name", "Community"), ("organisation", "Riverside trust")]).await;
        let view = l.ok("get_learning_analysis", &[("analysis_id", &team)]).await;
        assert_eq!(ids(&view["analysis"]["summary"]["scope"]).len(), 7);
        let bad_date = l
            .call(
                "create_analysis",
                &[
                    ("level", "person"),
                    ("name", "X"),
                    ("organisation", "Y"),
                    ("team", ""),
                    ("date", "31/12/2026"),
                    ("role", ""),
                    ("frameworks", "core-functions"),
                ],
            )
            .await;
        assert_eq!((bad_date.status, bad_date.json()["Invalid"]["field"].as_str()), (400, Some("date")), "{}", bad_date.body);
        let bad_role = l
            .call(
                "create_analysis",
                &[("level", "person"), ("name", "X"), ("organisation", ""), ("team", ""), ("date", "2026-11-21"), ("role", "nonsense"), ("frameworks", "")],
            )
            .await;
        assert_eq!((bad_role.status, bad_role.json()["Invalid"]["field"].as_str()), (400, Some("role")), "{}", bad_role.body);

        // The catalogue starts with the guide's examples; a new activity has a cost.
        let catalogue = l.ok("get_catalogue", &[]).await;
        assert_eq!(catalogue["activities"].as_array().unwrap().iter().filter(|a| a["example"] == true).count(), 6);
        let workshop = l
            .ok(
                "add_catalogue_activity",
                &[
                    ("title", "Care coordination workshop"),
                    ("kind", "course"),
                    ("provider", "Trust"),
                    ("duration", "1 day"),
                    ("cost", "150"),
                    ("functions", "comm-01 core-01"),
                ],
            )
            .await;
        let workshop = workshop.as_str().unwrap().to_owned();
        let no_functions =
            l.call("add_catalogue_activity", &[("title", "X"), ("kind", "course"), ("provider", ""), ("duration", ""), ("cost", ""), ("functions", "")]).await;
        assert_eq!(no_functions.status, 400);
        assert_eq!(l.ok("add_example_activities", &[]).await, 0, "every example is there already");

        // Needs: recorded, refused when stale or outside the scope.
        assert_eq!(l.need(&asha, "comm-01", 0, "high", &workshop, "planned").await.json()["version"], 1);
        let stale = l.need(&asha, "comm-01", 0, "low", "", "planned").await;
        assert_eq!(stale.status, 409, "{}", stale.body);
        assert!(stale.body.contains("priority high, planned"), "{}", stale.body);
        assert_eq!(l.need(&asha, "bus-01", 0, "high", "", "planned").await.status, 400, "bus-01 is not in Asha's scope");
        assert_eq!(l.need(&asha, "comm-01", 0, "high", "not-an-activity", "planned").await.status, 400);
        l.need(&asha, "core-05", 0, "medium", "", "done").await;
        let ben = l.create(&[("level", "person"), ("name", "Ben Hughes"), ("role", &role)]).await;
        assert_eq!(l.need(&ben, "comm-01", 0, "high", &workshop, "not-started").await.status, 200);

        // The programme: per function, per activity with its cost, cohorts and progress.
        let programme = l.programme(&[]).await;
        assert_eq!(function_ids(&programme), ["comm-01", "core-05"]);
        assert_eq!(
            (programme["functions"][0]["demand"]["high"].as_u64(), programme["functions"][0]["demand"]["people"].as_array().unwrap().len()),
            (Some(2), 2)
        );
        assert_eq!(programme["functions"][0]["demand"]["earliest_target"], "2027-03-31");
        let activity = &programme["activities"][0];
        assert_eq!((activity["title"].as_str(), activity["total_cost"].as_i64()), (Some("Care coordination workshop"), Some(30_000)));
        assert_eq!(programme["total_cost"], 30_000);
        assert_eq!(programme["cohorts"][0]["people"].as_array().unwrap().len(), 2);
        let per_person: Vec<(u64, u64)> =
            programme["per_person"].as_array().unwrap().iter().map(|p| (p["done"].as_u64().unwrap(), p["total"].as_u64().unwrap())).collect();
        assert_eq!(per_person, [(1, 2), (0, 0), (0, 1)], "Asha, the team, Ben");
        assert_eq!(function_ids(&l.programme(&[("priority", "high")]).await), ["comm-01"]);
        assert_eq!(function_ids(&l.programme(&[("status", "done")]).await), ["core-05"]);
        assert!(function_ids(&l.programme(&[("team", "Elsewhere")]).await).is_empty());
        assert_eq!(l.call("get_programme", &[("team", ""), ("role", ""), ("priority", "urgent"), ("status", "")]).await.status, 400);
        let page = l.server.page(&l.owner, &format!("/workspaces/{}/programme?priority=high", l.workspace)).await;
        assert!(page.body.contains("Care coordination workshop") && page.body.contains("Ben Hughes"), "the served programme page");

        // Editing the scope archives what leaves it, from the version read.
        let version = l.ok("get_learning_analysis", &[("analysis_id", &asha)]).await["analysis"]["summary"]["version"].as_i64().unwrap().to_string();
        let core = "core-01 core-02 core-03 core-04 core-05 core-06 core-07";
        assert_eq!(l.ok("set_learning_scope", &[("analysis_id", &asha), ("version", &version), ("scope", core)]).await, 1);
        assert_eq!(l.call("set_learning_scope", &[("analysis_id", &asha), ("version", &version), ("scope", core)]).await.status, 409);
        assert_eq!(l.call("set_learning_scope", &[("analysis_id", &asha), ("version", "2"), ("scope", "")]).await.status, 400);
        let view = l.ok("get_learning_analysis", &[("analysis_id", &asha)]).await;
        assert_eq!(view["archived"][0]["need"]["function_id"], "comm-01", "kept, under archived");
        assert_eq!(view["needs"].as_array().unwrap().len(), 7);
        assert_eq!(l.programme(&[]).await["functions"][0]["demand"]["high"], 1, "Asha's archived need no longer counts");

        // The team grid: the team's named people, the functions any of them covers.
        let grid = l.ok("get_team_needs", &[("team", "")]).await;
        assert_eq!(grid["team"], "Community");
        let people: Vec<&str> = grid["people"].as_array().unwrap().iter().map(|p| p["summary"]["details"]["name"].as_str().unwrap()).collect();
        assert_eq!(people, ["Asha Patel", "Ben Hughes"], "the team's own analysis is not a person");
        assert_eq!(grid["categories"][0]["functions"][0]["id"], "comm-01", "Ben still covers comm-01");

        // A stale role change is refused.
        let moved = l.call("change_learning_role", &[("analysis_id", &ben), ("version", "0"), ("role", &role)]).await;
        assert_eq!(moved.status, 409, "{}", moved.body);
        drop(l);
        database.remove().await;
    }
}
