//! The release server over HTTP: health, pages without JavaScript, headers, errors, shutdown.
//! Each test starts `target/release/caremap` on a free port with a fresh database.

use caremap_tests::{Server, Visitor, databases};
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
        for name in ["Coordinating care functions", "Core functions for all workers", "CPA care co-ordinator responsibilities"] {
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
    let html = reqwest::get(server.url("/frameworks/coordinating-care?q=referrals")).await.unwrap().text().await.unwrap();
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
async fn responses_are_compressed_and_the_site_files_are_named_by_content_and_kept() {
    let database = databases("compression").await.remove(0);
    let server = Server::start(&database.url).await;
    let client = reqwest::Client::new();
    let page = client.get(server.url("/frameworks/coordinating-care")).header(header::ACCEPT_ENCODING, "gzip").send().await.unwrap();
    assert_eq!(page.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache", "a page is asked for again each time");
    let html = client.get(server.url("/")).send().await.unwrap().text().await.unwrap();
    // The page names the built files it needs, each with a hash of its content in its name.
    let built = |extension: &str| {
        let named = html.match_indices("/pkg/caremap.").map(|(at, _)| &html[at..at + html[at..].find('"').unwrap()]);
        named.filter(|path| path.ends_with(&format!(".{extension}"))).last().unwrap_or_else(|| panic!("the page names a .{extension} file")).to_owned()
    };
    for (path, content_type) in [(built("css"), "text/css"), (built("js"), "text/javascript"), (built("wasm"), "application/wasm")] {
        assert!(path.len() > "/pkg/caremap..css".len() + 20, "{path} carries a hash");
        for encoding in ["br", "gzip"] {
            let response = client.get(server.url(&path)).header(header::ACCEPT_ENCODING, encoding).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding, "{path}: compressed once, at build time");
            assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable", "{path}");
            assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with(content_type), "{path}");
        }
    }
    // Files without a hash in their name are asked for again; a missing built file is not kept.
    let early = client.get(server.url("/early.js")).send().await.unwrap();
    assert_eq!(early.status(), 200);
    assert_eq!(early.headers()[header::CACHE_CONTROL], "no-cache");
    let missing = client.get(server.url("/pkg/caremap.AAAAAAAAAAAAAAAAAAAAAA.wasm")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()[header::CACHE_CONTROL], "no-cache");
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

/// Reads from `stream` until the server closes it, or `limit` passes; answers what was read,
/// and whether it was closed.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, limit: std::time::Duration) -> (String, bool) {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return (String::from_utf8_lossy(&received).into_owned(), true),
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), false),
        }
    }
}

/// What the server answers a POST to `path` of which only the head is sent: `content_type`
/// and a Content-Length of `length`, as `visitor`. The body never follows.
async fn answer_to_head_only(server: &Server, visitor: &Visitor, path: &str, content_type: &str, length: usize) -> String {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(server.base_url.trim_start_matches("http://")).await.unwrap();
    let cookie = visitor.cookie.as_ref().map(|cookie| format!("Cookie: {cookie}\r\n")).unwrap_or_default();
    let head = format!("POST {path} HTTP/1.1\r\nHost: caremap\r\n{cookie}Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    read_until_closed(&mut stream, std::time::Duration::from_secs(5)).await.0
}

#[tokio::test]
async fn slow_and_idle_connections_are_closed_while_others_are_served() {
    use tokio::io::AsyncWriteExt;
    for database in databases("slow_clients").await {
        let server = Server::start(&database.url).await;
        let address = server.base_url.trim_start_matches("http://").to_owned();
        let mut idle = tokio::net::TcpStream::connect(&address).await.unwrap();
        let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: caremap\r\n").await.unwrap();
        // Others are served meanwhile.
        assert_eq!(reqwest::get(server.url("/healthz")).await.unwrap().status(), 200);
        let started = std::time::Instant::now();
        let limit = std::time::Duration::from_secs(40);
        let ((_, idle_closed), (_, slow_closed)) = tokio::join!(read_until_closed(&mut idle, limit), read_until_closed(&mut slow, limit));
        assert!(idle_closed, "a connection that sends nothing is closed");
        assert!(slow_closed, "a connection that never finishes its headers is closed");
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "within the header deadline: {:?}", started.elapsed());
        drop(server);
        database.remove().await;
    }
}

#[tokio::test]
async fn uploads_are_refused_before_their_body_is_read_and_too_large_ones_get_413() {
    for database in databases("upload_limits").await {
        let server = Server::start(&database.url).await;
        let owner = server.set_up("ada@example.org").await;
        let workspace_id = server.workspace(&owner, "Riverside").await;
        let path = format!("/workspaces/{workspace_id}/imports");

        // Each answer comes though not a byte of the announced body was sent: anonymous, 401;
        // from someone who may upload but over the limit, 413 in words.
        let multipart = "multipart/form-data; boundary=x";
        let anonymous = answer_to_head_only(&server, &Visitor::default(), &path, multipart, 24_000_000).await;
        assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");
        let too_large = answer_to_head_only(&server, &owner, &path, multipart, 26 * 1024 * 1024).await;
        assert!(too_large.starts_with("HTTP/1.1 413"), "{too_large}");
        assert!(too_large.contains("25 MB"), "{too_large}");
        drop(server);
        database.remove().await;
    }
}

#[tokio::test]
async fn a_form_over_the_limit_is_answered_413_in_words() {
    for database in databases("form_limit").await {
        let server = Server::start(&database.url).await;
        let owner = server.set_up("ada@example.org").await;
        // The answer comes from the form's declared length, before any of it is sent.
        let answer = answer_to_head_only(&server, &owner, "/api/create_workspace", "application/x-www-form-urlencoded", 3 * 1024 * 1024).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("too large"), "{answer}");
        drop(server);
        database.remove().await;
    }
}

#[tokio::test]
async fn a_workspace_keeps_a_bounded_number_of_uploads_waiting() {
    for database in databases("upload_quota").await {
        let server = Server::start(&database.url).await;
        let owner = server.set_up("ada@example.org").await;
        let workspace_id = server.workspace(&owner, "Riverside").await;
        let path = format!("/workspaces/{workspace_id}/imports");
        let upload = || server.upload(&owner, &path, &[("kind", "org-map"), ("target", "")], "map.csv", b"Function,Age UK\nBuild relationships,yes\n".to_vec());
        for _ in 0..10 {
            let answer = upload().await;
            assert!(answer.status < 400, "{} {}", answer.status, answer.body);
        }
        let refused = upload().await;
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert!(refused.body.contains("already has 10 uploads"), "{}", refused.body);
        drop(server);
        database.remove().await;
    }
}
