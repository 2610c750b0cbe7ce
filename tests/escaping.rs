//! Text people type comes back in pages as text, never as markup. Every stored text field of a
//! workspace is filled with markup that would close the element it lands in (a `<title>`, a
//! `<textarea>`, a `<script>` holding page data, an attribute) and add an element or attribute
//! of its own; then every page the binary serves is fetched, and its raw HTML must not hold
//! that markup anywhere. A page added later is fetched too, as the list comes from the binary.

use caremap_tests::{PASSWORD, PageIds, Server, Visitor, databases, page_path, served_endpoints};

/// Closes each kind of element text may land in, then adds an element and an attribute.
const HOSTILE: &str = r#"</title></textarea></script><meta name=x>" data-x="1"#;
/// What an unescaped copy of `HOSTILE` puts into the page.
const ADDED_ELEMENT: &str = "<meta name=x>";
const ADDED_ATTRIBUTE: &str = r#"" data-x="1"#;

#[tokio::test]
async fn stored_text_is_escaped_in_every_page() {
    assert!(HOSTILE.len() <= 60, "fits every field");
    for database in databases("escaping").await {
        let server = Server::start(&database.url).await;
        let owner = server.ok(&Visitor::default(), "create_first_admin", &[("email", "ada@example.org"), ("name", HOSTILE), ("password", PASSWORD)]).await;
        let owner = Visitor { cookie: Some(owner.set_cookie.unwrap()) };
        let workspace_id = server.workspace(&owner, HOSTILE).await;
        let ws = workspace_id.as_str();

        server
            .ok(
                &owner,
                "create_org_map",
                &[("workspace_id", ws), ("area", HOSTILE), ("date", "2026-04-01"), ("threshold", "3"), ("frameworks", "coordinating-care core-functions")],
            )
            .await;
        let maps = server.ok(&owner, "list_org_maps", &[("workspace_id", ws)]).await.json();
        let map_id = maps["maps"][0]["id"].as_str().unwrap().to_owned();
        let organisation = server
            .ok(
                &owner,
                "add_organisation",
                &[
                    ("workspace_id", ws),
                    ("map_id", &map_id),
                    ("name", HOSTILE),
                    ("sector", "voluntary"),
                    ("locality", HOSTILE),
                    ("website", ""),
                    ("contact", HOSTILE),
                ],
            )
            .await
            .json();
        let organisation_id = organisation.as_str().unwrap().to_owned();
        server
            .ok(
                &owner,
                "set_cell",
                &[
                    ("workspace_id", ws),
                    ("map_id", &map_id),
                    ("organisation_id", &organisation_id),
                    ("function_id", "comm-01"),
                    ("version", "0"),
                    ("level", "partly"),
                    ("note", HOSTILE),
                ],
            )
            .await;
        server
            .ok(
                &owner,
                "add_action",
                &[
                    ("workspace_id", ws),
                    ("map_id", &map_id),
                    ("function_id", "comm-06"),
                    ("what", HOSTILE),
                    ("with_whom", HOSTILE),
                    ("how", HOSTILE),
                    ("cost", "100"),
                    ("due", ""),
                    ("communication", HOSTILE),
                    ("risks", HOSTILE),
                    ("status", "planned"),
                ],
            )
            .await;

        server
            .ok(
                &owner,
                "create_role_map",
                &[("workspace_id", ws), ("organisation", HOSTILE), ("date", "2026-04-01"), ("frameworks", "coordinating-care core-functions")],
            )
            .await;
        let role_maps = server.ok(&owner, "list_role_maps", &[("workspace_id", ws)]).await.json();
        let role_map_id = role_maps["maps"][0]["id"].as_str().unwrap().to_owned();
        let role = server
            .ok(
                &owner,
                "add_role",
                &[("workspace_id", ws), ("map_id", &role_map_id), ("title", HOSTILE), ("team", HOSTILE), ("grade", HOSTILE), ("hours", HOSTILE)],
            )
            .await
            .json();
        let role_id = role.as_str().unwrap().to_owned();
        server
            .ok(
                &owner,
                "set_role_cell",
                &[
                    ("workspace_id", ws),
                    ("map_id", &role_map_id),
                    ("role_id", &role_id),
                    ("function_id", "comm-01"),
                    ("version", "0"),
                    ("level", "leads"),
                    ("note", HOSTILE),
                ],
            )
            .await;
        server
            .ok(
                &owner,
                "save_job_description",
                &[
                    ("workspace_id", ws),
                    ("map_id", &role_map_id),
                    ("role_id", &role_id),
                    ("version", "1"),
                    ("purpose", HOSTILE),
                    ("person_specification", HOSTILE),
                    ("questions", ""),
                    ("advert", HOSTILE),
                ],
            )
            .await;

        server
            .ok(
                &owner,
                "add_catalogue_activity",
                &[
                    ("workspace_id", ws),
                    ("title", HOSTILE),
                    ("kind", "course"),
                    ("provider", HOSTILE),
                    ("duration", HOSTILE),
                    ("cost", ""),
                    ("functions", "comm-01"),
                ],
            )
            .await;
        let analysis_id = server.plan_learning(&owner, ws, &role_map_id, &role_id).await;
        server.ok(&owner, "set_learning_scope", &[("workspace_id", ws), ("analysis_id", &analysis_id), ("version", "1"), ("scope", "comm-01")]).await;
        server
            .ok(
                &owner,
                "set_need",
                &[
                    ("workspace_id", ws),
                    ("analysis_id", &analysis_id),
                    ("function_id", "comm-01"),
                    ("version", "0"),
                    ("priority", "high"),
                    ("need", HOSTILE),
                    ("activity", ""),
                    ("described", HOSTILE),
                    ("comment", HOSTILE),
                    ("target", ""),
                    ("status", "planned"),
                ],
            )
            .await;

        let mut fetched = 0;
        for endpoint in served_endpoints() {
            let Some(path) = endpoint.strip_prefix("GET ") else { continue };
            if path.ends_with(".xlsx") || path.ends_with(".docx") {
                continue;
            }
            let ids = PageIds { workspace: ws, map: &map_id, role_map: &role_map_id, role: &role_id, analysis: &analysis_id };
            let path = page_path(path, &ids);
            let page = server.page(&owner, &path).await;
            assert!(page.status < 500, "{path}: {}", page.status);
            assert!(!page.body.contains(ADDED_ELEMENT), "{path} writes stored text as markup: {}", around(&page.body, ADDED_ELEMENT));
            // In text a quote is harmless; inside a tag it would end an attribute's value.
            for (at, _) in page.body.match_indices(ADDED_ATTRIBUTE) {
                assert!(!inside_tag(&page.body, at), "{path} lets stored text out of an attribute: {}", around(&page.body, ADDED_ATTRIBUTE));
            }
            fetched += 1;
        }
        assert!(fetched >= 20, "every page is fetched: {fetched}");
        // The hostile text is on the pages, as text: the test would see it if it leaked.
        let plan = server.page(&owner, &format!("/workspaces/{ws}/maps/{map_id}/plan")).await;
        assert!(plan.body.contains("&lt;meta name=x&gt;"), "the plan shows the action's text");
        drop(server);
        database.remove().await;
    }
}

/// Whether `at` lies within a tag: after a "<" with no ">" since. Escaped text holds no "<".
fn inside_tag(html: &str, at: usize) -> bool {
    let before = &html[..at];
    before.rfind('<') > before.rfind('>')
}

/// The HTML around the first `needle`, for the failure message.
fn around<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html.find(needle).unwrap_or(0);
    let start = html.floor_char_boundary(at.saturating_sub(200));
    let end = html.ceil_char_boundary((at + 200).min(html.len()));
    &html[start..end]
}
