//! How long browsers may keep each response.
//!
//! The build names the site's script, program and stylesheet by a hash of their content
//! (cargo-leptos `hash-files`), so such a name never points at other content: those files are
//! kept for a year and never asked for again. Everything else (pages, answers, the few files
//! without a hash in their name) is asked for again on each use, so a change reaches people at
//! once.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};

const KEEP_FOR_A_YEAR: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const ASK_AGAIN: HeaderValue = HeaderValue::from_static("no-cache");

/// Adds a `Cache-Control` header to every response that has none.
pub fn with_cache_policy<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(middleware::from_fn(|request: Request, next: Next| async move {
        let named_by_content = is_named_by_content(request.uri().path());
        let mut response = next.run(request).await;
        let keep = named_by_content && response.status() == StatusCode::OK;
        response.headers_mut().entry(header::CACHE_CONTROL).or_insert(if keep { KEEP_FOR_A_YEAR } else { ASK_AGAIN });
        response
    }))
}

/// Whether `path` names a built file whose name carries its content's hash: `/pkg/name.HASH.ext`,
/// the hash being 22 characters of unpadded URL-safe base64 (an MD5 digest).
fn is_named_by_content(path: &str) -> bool {
    let Some(file) = path.strip_prefix("/pkg/").filter(|file| !file.contains('/')) else {
        return false;
    };
    let mut parts = file.rsplit('.');
    let (Some(_extension), Some(hash), Some(_name)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() == 22 && hash.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::is_named_by_content;

    #[test]
    fn only_built_files_named_by_their_content_are_kept() {
        for (path, kept) in [
            ("/pkg/caremap.oCmdm0pLhzxk98DTDkoLpw.wasm", true),
            ("/pkg/caremap.K9yUTILEK6PYbe_-vOMXbg.js", true),
            ("/pkg/chunk_6.oCmdm0pLhzxk98DTDkoLpw.wasm", true),
            ("/pkg/__wasm_split.K9yUTILEK6PYbe_-vOMXbg.js", true),
            // Without a hash, or outside the built files, a name may point at new content.
            ("/pkg/caremap.wasm", false),
            ("/pkg/caremap.css", false),
            ("/early.js", false),
            ("/favicon.svg", false),
            ("/workspaces/oCmdm0pLhzxk98DTDkoLpw", false),
            ("/pkg/snippets/oCmdm0pLhzxk98DTDkoLpw/inline0.js", false),
            ("/pkg/caremap.oCmdm0pLhzxk98DTDkoLp.wasm", false),
            ("/pkg/caremap.oCmdm0pLhzxk98DTDkoL*w.wasm", false),
            ("/pkg/oCmdm0pLhzxk98DTDkoLpw.wasm", false),
        ] {
            assert_eq!(is_named_by_content(path), kept, "{path}");
        }
    }
}
