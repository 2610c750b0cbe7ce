//! The release server over HTTP: health, pages without JavaScript, headers, errors, shutdown.
//! Each test starts `target/release/caremap` on a free port with a fresh database.

use caremap_tests::{Server, databases};
use reqwest::header;

#[tokio::test]
async fn healthz_reports_version_and_database() {
    for database in databases("healthz").await {
        let server = Server::start(&database.url).await;
        let response = reqwest::get(server.url("/healthz")).await.unwrap();
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"], database.backend());
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        drop(server);
        database.remove().await;
    }
}

#[tokio::test]
async fn framework_pages_list_every_function_without_javascript() {
    for database in databases("pages").await {
        let server = Server::start(&database.url).await;
        let list = reqwest::get(server.url("/frameworks")).await.unwrap().text().await.unwrap();
        for name in
            ["Coordinating care functions", "Core functions for all workers", "CPA care co-ordinator responsibilities"]
        {
            assert!(list.contains(name), "{name} missing from /frameworks");
        }
        assert!(list.contains("39 functions in 5 categories"));

        let page = reqwest::get(server.url("/frameworks/coordinating-care")).await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert_eq!(html.matches("data-function-id=").count(), 39);
        for id in ["comm-01", "comm-10", "supp-12", "info-08", "bus-04", "local-05"] {
            assert!(html.contains(&format!("data-function-id=\"{id}\"")), "{id} missing");
        }
        assert!(html.contains("Showing all 39 functions"));

        let core = reqwest::get(server.url("/frameworks/core-functions")).await.unwrap().text().await.unwrap();
        assert_eq!(core.matches("data-function-id=").count(), 7);
        drop(server);
        database.remove().await;
    }
}

#[tokio::test]
async fn the_filter_works_as_a_plain_form() {
    let database = databases("filter").await.remove(0);
    let server = Server::start(&database.url).await;
    let html = reqwest::get(server.url("/frameworks/coordinating-care?q=referrals"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // "Follow up to make sure referrals have happened" and "Take and make referrals …".
    assert_eq!(html.matches("data-function-id=").count(), 2, "{html}");
    assert!(html.contains("Showing 2 of 39 functions"));
    assert!(html.contains("value=\"referrals\""));
}

#[tokio::test]
async fn unknown_pages_and_frameworks_answer_404_in_words() {
    let database = databases("not_found").await.remove(0);
    let server = Server::start(&database.url).await;
    let missing = reqwest::get(server.url("/frameworks/no-such-framework")).await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("The framework \"no-such-framework\" was not found."));

    let invalid = reqwest::get(server.url("/frameworks/NOT%20AN%20ID")).await.unwrap();
    assert_eq!(invalid.status(), 404);

    let nowhere = reqwest::get(server.url("/no/such/page")).await.unwrap();
    assert_eq!(nowhere.status(), 404);
    assert!(nowhere.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_policy() {
    let database = databases("headers").await.remove(0);
    let server = Server::start(&database.url).await;
    let page = reqwest::get(server.url("/")).await.unwrap();
    let headers = page.headers().clone();
    let html = page.text().await.unwrap();
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry the nonce");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");

    // A second page gets a different nonce.
    let again = reqwest::get(server.url("/")).await.unwrap();
    assert_ne!(again.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap(), policy);

    // Files and JSON get the strict default policy.
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    let policy = health.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.starts_with("default-src 'self'") && policy.contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn responses_are_compressed_and_the_site_files_are_served() {
    let database = databases("compression").await.remove(0);
    let server = Server::start(&database.url).await;
    let client = reqwest::Client::new();
    for path in ["/frameworks/coordinating-care", "/pkg/caremap.css", "/pkg/caremap.js"] {
        let response = client
            .get(server.url(path))
            .header(header::ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip", "{path}");
    }
    let wasm = client.get(server.url("/pkg/caremap.wasm")).send().await.unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
}

#[tokio::test]
async fn with_nothing_set_it_creates_its_database_under_data() {
    let folder = tempfile::tempdir().unwrap();
    let site = caremap_tests::repository_root().join("target/site");
    let server = Server::start_in(folder.path(), &[("LEPTOS_SITE_ROOT", site.to_str().unwrap())]).await;
    assert!(folder.path().join("data/caremap.db").exists());
    let status = server.terminate();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let database = databases("shutdown").await.remove(0);
    let server = Server::start(&database.url).await;
    let base = server.base_url.clone();
    let status = server.terminate();
    assert!(status.success(), "exit status {status}");
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err(), "nothing listens any more");
}

#[tokio::test]
async fn a_bad_database_address_stops_start_up_with_a_reason() {
    let output = std::process::Command::new(caremap_tests::binary())
        .args(["serve", "--database-url", "mysql://localhost/caremap", "--addr", "127.0.0.1:0"])
        .env_clear()
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the database address is not supported"), "{stderr}");
}
