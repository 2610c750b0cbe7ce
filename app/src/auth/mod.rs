//! Passwords, session and invitation tokens, and the sign-in rate limit (server only).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use time::{Duration, OffsetDateTime};

use crate::model::Password;

/// The cookie that carries a session token.
pub const SESSION_COOKIE: &str = "caremap_session";
/// How long a session lasts after signing in.
pub const SESSION_LIFETIME: Duration = Duration::days(14);
/// How long an invitation link stays good.
pub const INVITATION_LIFETIME: Duration = Duration::days(7);
/// The window in which failed sign-ins are counted.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins allowed for one account, and from one client address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the system random number generator failed: {0}")]
    Random(String),
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// Hashes a password with Argon2id and a random salt, in PHC string form.
pub fn hash_password(password: &Password) -> Result<String, AuthError> {
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|error| AuthError::Random(error.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|error| AuthError::Hashing(error.to_string()))?;
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AuthError::Hashing(error.to_string()))
}

/// Whether `password` matches `hash`. With no hash (no such account) the same work is done
/// against a stand-in, so the answer takes as long either way.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static STAND_IN: LazyLock<String> = LazyLock::new(|| {
        let password = Password::parse("a stand-in password, never a real one").expect("long enough");
        hash_password(&password).expect("hashing works")
    });
    let (hash, real) = match hash {
        Some(hash) => (hash, true),
        None => (STAND_IN.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        tracing::error!("a stored password hash cannot be parsed");
        return false;
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && real
}

/// A new random token for a cookie or a link: 256 bits, as hex.
pub fn new_token() -> Result<String, AuthError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| AuthError::Random(error.to_string()))?;
    Ok(hex::encode(bytes))
}

/// What is stored in place of a token, so a copy of the database opens no session.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that starts a session, or (with no token) ends it.
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_LIFETIME.whole_seconds()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookies(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// Whether a sign-in may be tried, given the recent failures for the account and the client;
/// if not, how many minutes to wait.
pub fn sign_in_allowed(failures_for_account: i64, failures_from_client: i64) -> Result<(), i64> {
    if failures_for_account >= MAX_FAILURES_PER_ACCOUNT || failures_from_client >= MAX_FAILURES_PER_CLIENT {
        Err(FAILURE_WINDOW.whole_minutes())
    } else {
        Ok(())
    }
}

pub fn expires_in(lifetime: Duration) -> OffsetDateTime {
    OffsetDateTime::now_utc() + lifetime
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let password = Password::parse("correct horse battery staple").unwrap();
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", Some(&hash)));
        assert!(!verify_password("correct horse battery stapler", Some(&hash)));
        assert!(!verify_password("correct horse battery staple", None));
        assert_ne!(hash, hash_password(&password).unwrap(), "each hash has its own salt");
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let token = new_token().unwrap();
        assert_eq!(token.len(), 64);
        assert_ne!(token, new_token().unwrap());
        assert_eq!(token_hash(&token), token_hash(&token));
        assert_ne!(token_hash(&token), token);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_lax() {
        let cookie = session_cookie(Some("abc"), false);
        assert!(cookie.starts_with("caremap_session=abc;"));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"));
        assert!(session_cookie(Some("abc"), true).ends_with("; Secure"));
        assert!(session_cookie(None, false).contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        assert_eq!(token_from_cookies("a=1; caremap_session=xyz; b=2"), Some("xyz"));
        assert_eq!(token_from_cookies("caremap_session="), None);
        assert_eq!(token_from_cookies("other=1"), None);
    }

    #[test]
    fn sign_ins_stop_after_too_many_failures() {
        assert!(sign_in_allowed(MAX_FAILURES_PER_ACCOUNT - 1, 0).is_ok());
        assert_eq!(sign_in_allowed(MAX_FAILURES_PER_ACCOUNT, 0), Err(15));
        assert!(sign_in_allowed(0, MAX_FAILURES_PER_CLIENT).is_err());
    }
}
