//! Who may call what. Every route and server function the binary serves must appear in the
//! table below, or the first test fails: a new endpoint cannot ship without its access rule.
//! Each rule is then tried for real against the release server: without a session, as a
//! member of another workspace, as a viewer writing, and from another site.

use caremap_tests::{PageIds, Server, Visitor, databases, page_path, served_endpoints};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// Members of the workspace whose role includes this one.
    Viewer,
    Editor,
    Owner,
}

/// A request's form fields.
type Fields = Vec<(&'static str, String)>;

/// Each endpoint, who may use it, and a valid request for the fixture's workspace.
fn table(w: &Fixture) -> Vec<(String, Access, Fields)> {
    let ws = || ("workspace_id", w.workspace_id.clone());
    let map = || ("map_id", w.map_id.clone());
    let organisation = || ("organisation_id", w.organisation_id.clone());
    let role_map = || ("map_id", w.role_map_id.clone());
    let role = || ("role_id", w.role_id.clone());
    let analysis = || ("analysis_id", w.analysis_id.clone());
    let role_fields = || vec![("title", "Care coordinator".into()), ("team", String::new()), ("grade", String::new()), ("hours", String::new())];
    let action_fields = || {
        vec![
            ws(),
            map(),
            ("function_id", "comm-06".into()),
            ("what", "Agree referral follow-up".into()),
            ("with_whom", String::new()),
            ("how", String::new()),
            ("cost", "100".into()),
            ("due", String::new()),
            ("communication", String::new()),
            ("risks", String::new()),
            ("status", "planned".into()),
        ]
    };
    let f = |name: &str| format!("POST /api/{name}");
    let p = |path: &str| format!("GET {path}");
    use Access::*;
    vec![
        (p("/"), Public, vec![]),
        (p("/frameworks"), Public, vec![]),
        (p("/frameworks/{id}"), Public, vec![]),
        (p("/frameworks/{id}/framework.xlsx"), Public, vec![]),
        (p("/setup"), Public, vec![]),
        (p("/sign-in"), Public, vec![]),
        (p("/invitations/{token}"), Public, vec![]),
        (p("/workspaces"), SignedIn, vec![]),
        (p("/workspaces/{id}"), Viewer, vec![]),
        (p("/workspaces/{id}/audit"), Viewer, vec![]),
        (p("/workspaces/{id}/maps"), Viewer, vec![]),
        (p("/workspaces/{id}/maps/{map}"), Viewer, vec![]),
        (p("/workspaces/{id}/maps/{map}/organisations"), Viewer, vec![]),
        (p("/workspaces/{id}/maps/{map}/plan"), Viewer, vec![]),
        (p("/workspaces/{id}/maps/{map}/matrix.xlsx"), Viewer, vec![]),
        (p("/workspaces/{id}/maps/{map}/plan.xlsx"), Viewer, vec![]),
        (p("/workspaces/{id}/review"), Viewer, vec![]),
        (p("/workspaces/{id}/role-maps"), Viewer, vec![]),
        (p("/workspaces/{id}/role-maps/{map}"), Viewer, vec![]),
        (p("/workspaces/{id}/role-maps/{map}/roles"), Viewer, vec![]),
        (p("/workspaces/{id}/role-maps/{map}/roles/{role}"), Viewer, vec![]),
        (p("/workspaces/{id}/role-maps/{map}/roles/{role}/job-description.docx"), Viewer, vec![]),
        (p("/workspaces/{id}/role-maps/{map}/matrix.xlsx"), Viewer, vec![]),
        (p("/workspaces/{id}/learning"), Viewer, vec![]),
        (p("/workspaces/{id}/learning-matrix.xlsx"), Viewer, vec![]),
        (p("/workspaces/{id}/learning/{analysis}"), Viewer, vec![]),
        (p("/workspaces/{id}/team-needs"), Viewer, vec![]),
        (p("/workspaces/{id}/programme"), Viewer, vec![]),
        (p("/workspaces/{id}/programme.xlsx"), Viewer, vec![]),
        (p("/workspaces/{id}/catalogue"), Viewer, vec![]),
        (p("/workspaces/{id}/imports/{import}"), Editor, vec![]),
        ("POST /workspaces/{id}/imports".to_owned(), Editor, vec![("kind", "org-map".into()), ("target", String::new())]),
        (f("list_frameworks"), Public, vec![]),
        (f("get_framework"), Public, vec![("id", "core-functions".into())]),
        (f("session_info"), Public, vec![]),
        (f("create_first_admin"), Public, vec![("email", "x@example.org".into()), ("name", "X".into()), ("password", "long enough password".into())]),
        (f("sign_in"), Public, vec![("email", "nobody@example.org".into()), ("password", "wrong password!".into())]),
        (f("invitation_info"), Public, vec![("token", "0".repeat(64))]),
        (
            f("join_with_new_account"),
            Public,
            vec![("token", "0".repeat(64)), ("email", "y@example.org".into()), ("name", "Y".into()), ("password", "long enough password".into())],
        ),
        (f("sign_out"), SignedIn, vec![]),
        (f("files_waiting"), SignedIn, vec![]),
        (f("my_workspaces"), SignedIn, vec![]),
        (f("create_workspace"), SignedIn, vec![("name", "Another".into())]),
        (f("accept_invitation"), SignedIn, vec![("token", "0".repeat(64))]),
        (f("create_sample_workspace"), SignedIn, vec![]),
        (f("workspace_overview"), Viewer, vec![ws()]),
        (f("audit_log"), Viewer, vec![ws()]),
        (f("list_org_maps"), Viewer, vec![ws()]),
        (f("get_org_map"), Viewer, vec![ws(), map()]),
        (f("compare_org_maps"), Viewer, vec![ws(), ("baseline", w.map_id.clone()), ("current", w.map_id.clone())]),
        (
            f("create_org_map"),
            Editor,
            vec![ws(), ("area", "Elsewhere".into()), ("date", "2026-04-01".into()), ("threshold", "3".into()), ("frameworks", "core-functions".into())],
        ),
        (
            f("update_org_map"),
            Editor,
            vec![ws(), map(), ("version", "999".into()), ("area", "A".into()), ("date", "2026-04-01".into()), ("threshold", "3".into())],
        ),
        (f("copy_org_map"), Editor, vec![ws(), map(), ("area", "Copy".into()), ("date", "2027-04-01".into()), ("threshold", "3".into())]),
        (
            f("add_organisation"),
            Editor,
            vec![
                ws(),
                map(),
                ("name", "Age UK".into()),
                ("sector", "voluntary".into()),
                ("locality", "North".into()),
                ("website", String::new()),
                ("contact", String::new()),
            ],
        ),
        (
            f("update_organisation"),
            Editor,
            vec![
                ws(),
                map(),
                organisation(),
                ("version", "999".into()),
                ("name", "GP".into()),
                ("sector", "private".into()),
                ("locality", "North".into()),
                ("website", String::new()),
                ("contact", String::new()),
            ],
        ),
        (f("move_organisation"), Editor, vec![ws(), map(), organisation(), ("direction", "right".into())]),
        (f("remove_organisation"), Editor, vec![ws(), map(), ("organisation_id", "nobody".into())]),
        (f("restore_organisation"), Editor, vec![ws(), map(), ("organisation_id", "nobody".into())]),
        (
            f("set_cell"),
            Editor,
            vec![ws(), map(), organisation(), ("function_id", "comm-01".into()), ("version", "999".into()), ("level", "fully".into()), ("note", String::new())],
        ),
        (f("add_action"), Editor, action_fields()),
        (f("update_action"), Editor, [action_fields(), vec![("action_id", "nobody".into()), ("version", "1".into())]].concat()),
        (f("delete_action"), Editor, vec![ws(), map(), ("action_id", "nobody".into())]),
        (f("list_role_maps"), Viewer, vec![ws()]),
        (f("get_role_map"), Viewer, vec![ws(), role_map()]),
        (f("get_job_description"), Viewer, vec![ws(), role_map(), role()]),
        (f("get_learning_analysis"), Viewer, vec![ws(), analysis()]),
        (f("list_learning"), Viewer, vec![ws()]),
        (f("get_catalogue"), Viewer, vec![ws()]),
        (f("get_programme"), Viewer, vec![ws(), ("team", String::new()), ("role", String::new()), ("priority", "high".into()), ("status", String::new())]),
        (f("get_team_needs"), Viewer, vec![ws(), ("team", String::new())]),
        (
            f("create_analysis"),
            Editor,
            vec![
                ws(),
                ("level", "person".into()),
                ("organisation", "Riverside".into()),
                ("name", "Asha Patel".into()),
                ("team", "North".into()),
                ("date", "2026-04-01".into()),
                ("role", String::new()),
                ("frameworks", "core-functions".into()),
            ],
        ),
        (f("set_learning_scope"), Editor, vec![ws(), analysis(), ("version", "999".into()), ("scope", "core-01".into())]),
        (f("change_learning_role"), Editor, vec![ws(), analysis(), ("version", "999".into()), ("role", format!("{}/{}", w.role_map_id, w.role_id))]),
        (
            f("set_need"),
            Editor,
            vec![
                ws(),
                analysis(),
                ("function_id", "core-01".into()),
                ("version", "999".into()),
                ("priority", "high".into()),
                ("need", String::new()),
                ("activity", String::new()),
                ("described", String::new()),
                ("comment", String::new()),
                ("target", String::new()),
                ("status", "planned".into()),
            ],
        ),
        (
            f("add_catalogue_activity"),
            Editor,
            vec![
                ws(),
                ("title", "Induction".into()),
                ("kind", "course".into()),
                ("provider", String::new()),
                ("duration", String::new()),
                ("cost", String::new()),
                ("functions", "core-01".into()),
            ],
        ),
        (f("add_example_activities"), Editor, vec![ws()]),
        (f("get_import_preview"), Editor, vec![ws(), ("import_id", "nobody".into())]),
        (f("apply_import"), Editor, vec![ws(), ("import_id", "nobody".into()), ("fingerprint", "0".repeat(64))]),
        (f("cancel_import"), Editor, vec![ws(), ("import_id", "nobody".into())]),
        (
            f("create_role_map"),
            Editor,
            vec![ws(), ("organisation", "Elsewhere".into()), ("date", "2026-04-01".into()), ("frameworks", "core-functions".into())],
        ),
        (f("update_role_map"), Editor, vec![ws(), role_map(), ("version", "999".into()), ("organisation", "A".into()), ("date", "2026-04-01".into())]),
        (f("set_role_menu"), Editor, vec![ws(), role_map(), ("version", "999".into()), ("needed", "comm-01".into())]),
        (f("add_role"), Editor, [vec![ws(), role_map()], role_fields()].concat()),
        (f("update_role"), Editor, [vec![ws(), role_map(), role(), ("version", "999".into())], role_fields()].concat()),
        (f("move_role"), Editor, vec![ws(), role_map(), role(), ("direction", "left".into())]),
        (f("remove_role"), Editor, vec![ws(), role_map(), ("role_id", "nobody".into())]),
        (f("restore_role"), Editor, vec![ws(), role_map(), ("role_id", "nobody".into())]),
        (
            f("set_role_cell"),
            Editor,
            vec![ws(), role_map(), role(), ("function_id", "comm-01".into()), ("version", "999".into()), ("level", "leads".into()), ("note", String::new())],
        ),
        (
            f("save_job_description"),
            Editor,
            vec![
                ws(),
                role_map(),
                role(),
                ("version", "999".into()),
                ("purpose", String::new()),
                ("person_specification", String::new()),
                ("questions", String::new()),
                ("advert", String::new()),
            ],
        ),
        (f("plan_role_learning"), Editor, vec![ws(), role_map(), role()]),
        (f("rename_workspace"), Owner, vec![ws(), ("expected_name", WORKSPACE.into()), ("name", WORKSPACE.into())]),
        (f("change_member_role"), Owner, vec![ws(), ("user_id", "nobody".into()), ("role", "viewer".into())]),
        (f("remove_member"), Owner, vec![ws(), ("user_id", "nobody".into())]),
        (f("create_invitation"), Owner, vec![ws(), ("role", "viewer".into())]),
        (f("revoke_invitation"), Owner, vec![ws(), ("invitation_id", "nobody".into())]),
    ]
}

const WORKSPACE: &str = "Riverside secret workspace";

struct Fixture {
    server: Server,
    workspace_id: String,
    map_id: String,
    organisation_id: String,
    role_map_id: String,
    role_id: String,
    analysis_id: String,
    viewer: Visitor,
    editor: Visitor,
    outsider: Visitor,
}

async fn fixture(database_url: &str) -> Fixture {
    let server = Server::start(database_url).await;
    let owner = server.set_up("owner@example.org").await;
    let workspace_id = server.workspace(&owner, WORKSPACE).await;
    let viewer = server.invite(&owner, &workspace_id, "viewer", "viewer@example.org").await;
    let editor = server.invite(&owner, &workspace_id, "editor", "editor@example.org").await;
    let elsewhere = server.workspace(&owner, "Elsewhere").await;
    let outsider = server.invite(&owner, &elsewhere, "owner", "outsider@example.org").await;
    let (map_id, organisation_id) = server.org_map(&owner, &workspace_id, "Riverside").await;
    let (role_map_id, role_id) = server.role_map(&owner, &workspace_id, "Riverside team").await;
    let analysis_id = server.plan_learning(&owner, &workspace_id, &role_map_id, &role_id).await;
    Fixture { server, workspace_id, map_id, organisation_id, role_map_id, role_id, analysis_id, viewer, editor, outsider }
}

/// Sends the table's request for `endpoint` as `visitor`.
async fn request(w: &Fixture, endpoint: &str, form: &[(&'static str, String)], visitor: &Visitor) -> caremap_tests::Answer {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    match endpoint.split_once(' ').unwrap() {
        ("GET", path) => {
            let ids = PageIds { workspace: &w.workspace_id, map: &w.map_id, role_map: &w.role_map_id, role: &w.role_id, analysis: &w.analysis_id };
            let path = page_path(path, &ids);
            w.server.page(visitor, &path).await
        }
        (_, path) if path.starts_with("/workspaces/") => {
            let path = path.replace("{id}", &w.workspace_id);
            w.server.upload(visitor, &path, &form, "map.csv", b"Function,Age UK\nBuild relationships,yes\n".to_vec()).await
        }
        (_, path) => w.server.call(visitor, path.trim_start_matches("/api/"), &form).await,
    }
}

#[tokio::test]
async fn every_endpoint_has_an_access_rule() {
    let database = databases("access_table").await.remove(0);
    let w = fixture(&database.url).await;
    let covered: Vec<String> = table(&w).into_iter().map(|(endpoint, ..)| endpoint).collect();
    let served = served_endpoints();
    assert!(served.len() >= 20, "the binary lists its endpoints: {served:?}");
    let missing: Vec<&String> = served.iter().filter(|e| !covered.contains(e)).collect();
    assert!(missing.is_empty(), "endpoints with no access rule in tests/access.rs: {missing:?}");
    let stale: Vec<&String> = covered.iter().filter(|e| !served.contains(e)).collect();
    assert!(stale.is_empty(), "access rules for endpoints that no longer exist: {stale:?}");
}

#[tokio::test]
async fn every_endpoint_enforces_its_rule() {
    for database in databases("access_rules").await {
        let w = fixture(&database.url).await;
        for (endpoint, access, form) in table(&w) {
            if access == Access::Public {
                continue;
            }
            let anonymous = request(&w, &endpoint, &form, &Visitor::default()).await;
            assert_eq!(anonymous.status, 401, "{endpoint} without a session: {}", anonymous.body);
            assert!(!anonymous.body.contains(WORKSPACE), "{endpoint} leaked the workspace");

            if matches!(access, Access::Viewer | Access::Editor | Access::Owner) {
                let outsider = request(&w, &endpoint, &form, &w.outsider).await;
                assert!(matches!(outsider.status, 403 | 404), "{endpoint} as an outsider: {}", outsider.status);
                assert!(!outsider.body.contains(WORKSPACE), "{endpoint} showed the workspace to an outsider");
                let member = request(&w, &endpoint, &form, &w.viewer).await;
                if access == Access::Viewer {
                    assert!(member.status < 400, "{endpoint} as a viewer: {} {}", member.status, member.body);
                } else if access == Access::Editor {
                    assert_eq!(member.status, 403, "{endpoint} as a viewer writing: {}", member.body);
                    // An editor gets past the access check: any refusal is about the request.
                    let editor = request(&w, &endpoint, &form, &w.editor).await;
                    assert!(editor.status != 401 && editor.status != 403, "{endpoint} as an editor: {} {}", editor.status, editor.body);
                } else {
                    assert_eq!(member.status, 403, "{endpoint} as a viewer writing: {}", member.body);
                    let editor = request(&w, &endpoint, &form, &w.editor).await;
                    assert_eq!(editor.status, 403, "{endpoint} as an editor: {}", editor.body);
                }
            }
        }
        drop(w);
        database.remove().await;
    }
}

#[tokio::test]
async fn state_changing_requests_from_other_sites_are_refused() {
    let database = databases("access_cross_site").await.remove(0);
    let w = fixture(&database.url).await;
    for (endpoint, _, form) in table(&w) {
        let Some(function) = endpoint.strip_prefix("POST /api/") else { continue };
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for header in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
            let answer = w.server.call_with(&w.editor, function, &form, &[header]).await;
            assert_eq!(answer.status, 403, "{function} with {header:?}");
        }
    }
    // The same request from the page's own origin goes through.
    let own_origin = w.server.base_url.clone();
    let answer = w.server.call_with(&w.editor, "my_workspaces", &[], &[("origin", &own_origin)]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}
