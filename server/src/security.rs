//! Security headers for every response.
//!
//! Pages get a Content Security Policy carrying the per-request nonce that Leptos puts on its
//! own inline scripts; everything else gets a stricter default policy.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_http::set_header::SetResponseHeaderLayer;

const DEFAULT_POLICY: &str = "default-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'; object-src 'none'";

fn page_policy(nonce: &str) -> String {
    // 'wasm-unsafe-eval' lets the page compile its own WebAssembly; nothing else may be evaluated.
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'; object-src 'none'"
    )
}

/// Called while a page renders: gives it the policy that admits its nonce.
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    match HeaderValue::from_str(&page_policy(&nonce.to_string())) {
        Ok(policy) => response.insert_header(header::CONTENT_SECURITY_POLICY, policy),
        Err(error) => tracing::error!(%error, "nonce is not a valid header value"),
    }
}

/// Adds the headers every response carries; a page's own policy is left as it is.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let always: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
    ];
    let router = router.layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_POLICY)));
    always.into_iter().fold(router, |router, (name, value)| router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))))
}

/// Refuses state-changing requests that a browser says come from another site, on top of the
/// session cookie's SameSite=Lax. Requests with neither header (command-line clients) pass:
/// they carry no one else's cookies.
pub fn refuse_cross_site<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(middleware::from_fn(|request: Request, next: Next| async move {
        let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe && is_cross_site(request.headers()) {
            tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
            return (StatusCode::FORBIDDEN, "Requests from other sites are refused.").into_response();
        }
        next.run(request).await
    }))
}

/// The largest form a server function takes: axum's default body limit, which server
/// functions read under.
const FORM_MAX_BYTES: u64 = 2 * 1024 * 1024;

/// Answers 413, in words, for a server function call whose body says it is over the limit,
/// before any of it is read (the limit itself would end the call as a failure, 500).
pub fn refuse_oversized_forms<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(middleware::from_fn(|request: Request, next: Next| async move {
        if request.uri().path().starts_with("/api/") && declares_more_than(request.headers(), FORM_MAX_BYTES) {
            return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large to send: shorten the text in it.").into_response();
        }
        next.run(request).await
    }))
}

/// Whether a request's Content-Length says its body is over `limit` bytes.
pub fn declares_more_than(headers: &HeaderMap, limit: u64) -> bool {
    headers.get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok()).is_some_and(|length| length > limit)
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|value: &HeaderValue| value.to_str().ok());
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (None, _) => false,
        (Some(origin), Some(host)) => {
            let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            authority != Some(host)
        }
        (Some(_), None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (HeaderName::from_static(name), HeaderValue::from_static(value))).collect()
    }

    #[test]
    fn only_same_origin_browser_requests_pass() {
        assert!(!is_cross_site(&headers(&[])));
        assert!(!is_cross_site(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!is_cross_site(&headers(&[("origin", "https://caremap.example"), ("host", "caremap.example")])));
        assert!(is_cross_site(&headers(&[("origin", "https://evil.example"), ("host", "caremap.example")])));
        assert!(is_cross_site(&headers(&[("origin", "null"), ("host", "caremap.example")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
    }

    #[test]
    fn page_policy_admits_only_its_nonce_and_own_origin() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(HeaderValue::from_str(&policy).is_ok());
    }
}
