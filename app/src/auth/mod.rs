//! Passwords, session and invitation tokens, and the sign-in rate limit (server only).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
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
/// Sign-ins to one account: a few tries, then a short wait between them that grows to half a
/// minute. It slows a guesser without locking out the person, who waits seconds at most.
pub const PER_ACCOUNT: Throttle =
    Throttle { free: 5, first_wait: Duration::seconds(2), longest_wait: Duration::seconds(30), forget_after: Duration::minutes(15) };
/// Failed sign-ins from one client address, to any account: more tries, as an office may share
/// one address, then waits that grow to a quarter of an hour.
pub const PER_CLIENT: Throttle =
    Throttle { free: 20, first_wait: Duration::seconds(30), longest_wait: Duration::minutes(15), forget_after: Duration::hours(1) };
/// Password hashes computed at once: each takes about 19 MiB, and the rest wait their turn.
const HASHES_AT_ONCE: usize = 2;
/// How long a request waits for its turn to hash before it is told to come back.
const HASH_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the system random number generator failed: {0}")]
    Random(String),
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// Hashes a password with Argon2id and a random salt, in PHC string form.
pub fn hash_password(password: &Password) -> Result<String, AuthError> {
    hash_text(password.expose())
}

fn hash_text(password: &str) -> Result<String, AuthError> {
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|error| AuthError::Random(error.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|error| AuthError::Hashing(error.to_string()))?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|error| AuthError::Hashing(error.to_string()))
}

/// Whether `password` matches `hash`. With no hash (no such account) the same work is done
/// against a stand-in, so the answer takes as long either way.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static STAND_IN: LazyLock<String> = LazyLock::new(|| hash_text("a stand-in password, never a real one").expect("hashing works"));
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
        Some(token) => format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", SESSION_LIFETIME.whole_seconds()),
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

/// How often something may be tried: `free` attempts, then a wait after each further one that
/// doubles from `first_wait` up to `longest_wait`. Attempts are forgotten after `forget_after`
/// with none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub free: i64,
    pub first_wait: Duration,
    pub longest_wait: Duration,
    pub forget_after: Duration,
}

/// What is stored of one subject's recent attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    pub count: i64,
    pub last_at: OffsetDateTime,
    /// When the next attempt may be made.
    pub next_at: OffsetDateTime,
}

impl Throttle {
    /// The attempts after one more at `now`; or, if one may not be made yet, how long to wait.
    pub fn attempt(&self, before: Option<Attempts>, now: OffsetDateTime) -> Result<Attempts, Duration> {
        let count = match before {
            Some(before) if now - before.last_at < self.forget_after => {
                if now < before.next_at {
                    return Err(before.next_at - now);
                }
                before.count
            }
            _ => 0,
        } + 1;
        let beyond_free = count - self.free + 1;
        let wait = if beyond_free <= 0 {
            Duration::ZERO
        } else {
            let doublings = u32::try_from(beyond_free - 1).unwrap_or(u32::MAX).min(20);
            (self.first_wait * 2_i32.pow(doublings)).min(self.longest_wait)
        };
        Ok(Attempts { count, last_at: now, next_at: now + wait })
    }
}

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHES_AT_ONCE);

/// A turn to hash a password, or `None` if none came free in time: the caller says caremap is
/// busy. Taken only after every cheaper check has passed.
pub async fn hashing_turn() -> Option<tokio::sync::SemaphorePermit<'static>> {
    tokio::time::timeout(HASH_QUEUE_WAIT, HASHING.acquire()).await.ok()?.ok()
}

pub fn expires_in(lifetime: Duration) -> OffsetDateTime {
    OffsetDateTime::now_utc() + lifetime
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let email = crate::model::Email::parse("ann@example.org").unwrap();
        let name = crate::model::PersonName::parse("Ann").unwrap();
        let password = Password::parse("correct horse battery staple", &email, &name).unwrap();
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
    fn sign_ins_slow_down_after_a_few_and_never_lock_out() {
        let start = time::macros::datetime!(2026-11-30 09:00 UTC);
        let mut attempts = None;
        for _ in 0..PER_ACCOUNT.free {
            let after = PER_ACCOUNT.attempt(attempts, start).expect("the first tries are free");
            attempts = Some(after);
        }
        assert_eq!(PER_ACCOUNT.attempt(attempts, start), Err(Duration::seconds(2)), "then a wait");
        let later = start + Duration::seconds(2);
        let after = PER_ACCOUNT.attempt(attempts, later).expect("allowed once the wait is over");
        assert_eq!(after.next_at - later, Duration::seconds(4), "and the wait doubles");
        let mut attempts = Some(after);
        let mut at = later;
        for _ in 0..20 {
            at = attempts.unwrap().next_at;
            attempts = Some(PER_ACCOUNT.attempt(attempts, at).unwrap());
        }
        assert_eq!(attempts.unwrap().next_at - at, PER_ACCOUNT.longest_wait, "up to the longest wait, so nobody is locked out");
        let quiet = at + PER_ACCOUNT.forget_after;
        assert_eq!(PER_ACCOUNT.attempt(attempts, quiet).unwrap().count, 1, "forgotten after a quiet spell");
    }
}
