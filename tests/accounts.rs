//! Accounts and workspaces end to end, against the release server on every backend.

use caremap_tests::{PASSWORD, Server, Visitor, binary, databases};
use std::io::Write;
use std::process::{Command, Stdio};

#[tokio::test]
async fn setup_happens_once_and_sessions_end_on_sign_out() {
    for database in databases("setup").await {
        let server = Server::start(&database.url).await;
        let info = server.ok(&Visitor::default(), "session_info", &[]).await.json();
        assert_eq!(info["needs_setup"], true);

        let admin = server.set_up("ada@example.org").await;
        let info = server.ok(&admin, "session_info", &[]).await.json();
        assert_eq!(info["user"]["email"], "ada@example.org");
        assert_eq!(info["user"]["is_admin"], true);

        let again = server.call(&Visitor::default(), "create_first_admin", &[("email", "eve@example.org"), ("name", "Eve"), ("password", PASSWORD)]).await;
        assert_eq!(again.status, 409, "{}", again.body);
        assert!(again.body.contains("already set up"));

        server.ok(&admin, "sign_out", &[]).await;
        assert_eq!(server.call(&admin, "my_workspaces", &[]).await.status, 401, "the old cookie is dead");
        database.remove().await;
    }
}

#[tokio::test]
async fn bad_input_gets_a_message_for_its_field() {
    let database = databases("input").await.remove(0);
    let server = Server::start(&database.url).await;
    let short = server.call(&Visitor::default(), "create_first_admin", &[("email", "ada@example.org"), ("name", "Ada"), ("password", "too short")]).await;
    assert_eq!(short.status, 400);
    let error = short.json();
    assert_eq!(error["Invalid"]["field"], "password", "{error}");
    assert!(error["Invalid"]["message"].as_str().unwrap().contains("at least 12 characters"));
    let email = server.call(&Visitor::default(), "create_first_admin", &[("email", "ada"), ("name", "Ada"), ("password", PASSWORD)]).await;
    assert_eq!(email.json()["Invalid"]["field"], "email");
    // Nothing was created by the refused attempts.
    assert_eq!(server.ok(&Visitor::default(), "session_info", &[]).await.json()["needs_setup"], true);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_secure_behind_https() {
    let database = databases("cookie").await.remove(0);
    let server = Server::start(&database.url).await;
    server.set_up("ada@example.org").await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let sign_in = |https: bool| {
        let mut request = client.post(server.url("/api/sign_in")).form(&[("email", "ada@example.org"), ("password", PASSWORD)]);
        if https {
            request = request.header("x-forwarded-proto", "https");
        }
        request.send()
    };
    let plain = sign_in(false).await.unwrap();
    let cookie = plain.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    let secure = sign_in(true).await.unwrap();
    assert!(secure.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
}

#[tokio::test]
async fn wrong_passwords_slow_sign_in_down_without_locking_the_person_out() {
    for database in databases("rate_limit").await {
        let server = Server::start(&database.url).await;
        server.set_up("ada@example.org").await;
        let anonymous = Visitor::default();
        let guess = || server.call(&anonymous, "sign_in", &[("email", "ada@example.org"), ("password", "not the password")]);
        let mut statuses = Vec::new();
        for _ in 0..7 {
            let answer = guess().await;
            statuses.push(answer.status);
            if answer.status == 429 {
                assert_eq!(answer.json()["RateLimited"]["seconds"], 2, "{}", answer.body);
            }
        }
        assert_eq!(statuses, [400, 400, 400, 400, 400, 429, 429], "five tries, then a wait");
        // The person waits seconds, not a quarter of an hour, and is let in.
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let right = server.call(&Visitor::default(), "sign_in", &[("email", "ADA@example.org"), ("password", PASSWORD)]).await;
        assert!(right.status < 400, "{} {}", right.status, right.body);
        // Signing in forgets the account's failures.
        for _ in 0..5 {
            assert_eq!(guess().await.status, 400);
        }
        database.remove().await;
    }
}

/// Any instance serves any request: a session made on one is good on another, and ending it
/// on one ends it everywhere.
#[tokio::test]
async fn two_instances_on_one_database_share_sessions() {
    for database in databases("two_instances").await {
        let first = Server::start(&database.url).await;
        let second = Server::start(&database.url).await;
        let admin = first.set_up("ada@example.org").await;
        let info = second.ok(&admin, "session_info", &[]).await.json();
        assert_eq!(info["user"]["email"], "ada@example.org", "the second instance knows the session");
        let id = second.workspace(&admin, "Shared").await;
        let page = first.page(&admin, &format!("/workspaces/{id}")).await;
        assert!(page.body.contains("Shared"));
        second.ok(&admin, "sign_out", &[]).await;
        assert_eq!(first.call(&admin, "my_workspaces", &[]).await.status, 401);
        drop((first, second));
        database.remove().await;
    }
}

#[tokio::test]
async fn invitations_work_once_and_a_workspace_keeps_an_owner() {
    for database in databases("invitations").await {
        let server = Server::start(&database.url).await;
        let owner = server.set_up("owner@example.org").await;
        let id = server.workspace(&owner, "Northshire").await;

        let token = server.invitation_token(&owner, &id, "editor").await;
        let info = server.ok(&Visitor::default(), "invitation_info", &[("token", &token)]).await.json();
        assert_eq!((info["workspace_name"].as_str(), info["role"].as_str()), (Some("Northshire"), Some("editor")));
        let join = |email: &'static str| {
            let token = token.clone();
            let server = &server;
            async move {
                server.call(&Visitor::default(), "join_with_new_account", &[("token", &token), ("email", email), ("name", "Ed"), ("password", PASSWORD)]).await
            }
        };
        let first = join("ed@example.org").await;
        assert!(first.status < 400, "{}", first.body);
        let second = join("eve@example.org").await;
        assert_eq!(second.status, 410);
        assert_eq!(second.json(), "InvitationClosed", "{}", second.body);
        assert!(!second.body.contains("Northshire"), "a used link names no workspace: {}", second.body);
        let used = server.call(&Visitor::default(), "invitation_info", &[("token", &token)]).await;
        assert_eq!(used.status, 410);
        assert!(!used.body.contains("Northshire"), "{}", used.body);
        // The refused join created no account: Eve cannot sign in.
        let eve = server.call(&Visitor::default(), "sign_in", &[("email", "eve@example.org"), ("password", PASSWORD)]).await;
        assert_eq!(eve.status, 400);

        let overview = server.ok(&owner, "workspace_overview", &[("workspace_id", &id)]).await.json();
        let members = overview["members"].as_array().unwrap();
        assert_eq!(members.len(), 2);
        let owner_id = overview["my_user_id"].as_str().unwrap().to_owned();
        let ed_id = members.iter().find(|m| m["email"] == "ed@example.org").unwrap()["user_id"].as_str().unwrap().to_owned();

        let alone = server.call(&owner, "remove_member", &[("workspace_id", &id), ("user_id", &owner_id)]).await;
        assert_eq!(alone.status, 400);
        assert!(alone.body.contains("at least one owner"), "{}", alone.body);
        server.ok(&owner, "change_member_role", &[("workspace_id", &id), ("user_id", &ed_id), ("role", "owner")]).await;
        server.ok(&owner, "change_member_role", &[("workspace_id", &id), ("user_id", &owner_id), ("role", "viewer")]).await;
        let demoted = server.call(&owner, "create_invitation", &[("workspace_id", &id), ("role", "viewer")]).await;
        assert_eq!(demoted.status, 403, "a viewer can no longer invite");
        database.remove().await;
    }
}

#[tokio::test]
async fn a_stale_rename_is_refused_with_the_current_name_and_changes_are_audited() {
    for database in databases("audit").await {
        let server = Server::start(&database.url).await;
        let owner = server.set_up("owner@example.org").await;
        let id = server.workspace(&owner, "Northshire").await;
        server.ok(&owner, "rename_workspace", &[("workspace_id", &id), ("expected_name", "Northshire"), ("name", "North Shire")]).await;
        let stale = server.call(&owner, "rename_workspace", &[("workspace_id", &id), ("expected_name", "Northshire"), ("name", "Northshire ICB")]).await;
        assert_eq!(stale.status, 409);
        assert!(stale.body.contains("North Shire"), "the message shows the current name: {}", stale.body);

        let log = server.ok(&owner, "audit_log", &[("workspace_id", &id)]).await.json();
        let entries = log["entries"].as_array().unwrap();
        let newest = &entries[0];
        assert_eq!((newest["entity"].as_str(), newest["field"].as_str()), (Some("workspace"), Some("name")));
        assert_eq!((newest["old_value"].as_str(), newest["new_value"].as_str()), (Some("Northshire"), Some("North Shire")));
        assert_eq!(newest["actor_name"], "Ada Admin");
        assert_eq!(entries.len(), 3, "created (name, owner) and renamed; the refused rename wrote nothing");

        let members_only = server.ok(&owner, "audit_log", &[("workspace_id", &id), ("entity", "member")]).await.json();
        assert_eq!(members_only["entries"].as_array().unwrap().len(), 1);
        let nobody = server.ok(&owner, "audit_log", &[("workspace_id", &id), ("actor_id", "someone-else")]).await.json();
        assert!(nobody["entries"].as_array().unwrap().is_empty());

        let page = server.page(&owner, &format!("/workspaces/{id}/audit?entity=workspace")).await;
        assert_eq!(page.body.matches("class=\"audit-entry\"").count(), 2, "the page filters without JavaScript");
        database.remove().await;
    }
}

#[tokio::test]
async fn the_command_line_adds_people_and_workspaces() {
    let database = databases("cli").await.remove(0);
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(binary())
            .args(args)
            .args(["--database-url", &database.url])
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let added = run(&["user", "add", "ann@example.org", "--name", "Ann", "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(String::from_utf8_lossy(&added.stdout).contains("Created the administrator ann@example.org"));
    let short = run(&["user", "add", "bob@example.org", "--name", "Bob", "--password-stdin"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let created = run(&["workspace", "create", "Riverside", "--owner", "ann@example.org"], "");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let unknown = run(&["workspace", "create", "X", "--owner", "nobody@example.org"], "");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("there is no account for nobody@example.org"));
    let demo = run(&["demo", "--owner", "ann@example.org"], "");
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    assert!(String::from_utf8_lossy(&demo.stdout).contains("with the sample area"));
    let no_owner = run(&["demo", "--owner", "nobody@example.org"], "");
    assert!(!no_owner.status.success());
    assert!(String::from_utf8_lossy(&no_owner.stderr).contains("there is no account for nobody@example.org"));

    let server = Server::start(&database.url).await;
    let answer = server.ok(&Visitor::default(), "sign_in", &[("email", "ann@example.org"), ("password", PASSWORD)]).await;
    let ann = Visitor { cookie: answer.set_cookie };
    let list = server.ok(&ann, "my_workspaces", &[]).await.json();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Riverside", "Sample: Northshire"]);
    assert_eq!(list[0]["role"], "owner");
    let sample = list[1]["id"].as_str().unwrap();
    let maps = server.ok(&ann, "list_org_maps", &[("workspace_id", sample)]).await.json();
    assert_eq!(maps["maps"].as_array().unwrap().len(), 2, "the sample map and its baseline");
    assert_eq!(maps["maps"][0]["organisation_count"], 7);
}
