//! Passwords: the policy ([`Password::new`]) and argon2id hashing ([`hash`], [`verify`]).
//!
//! A [`Password`] never prints itself (its `Debug` is redacted, it has no `Display`), and the
//! hashes never leave the crate through [`crate::User`].

use std::fmt;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::domain::Username;
use crate::error::{Result, StoreError, ValidationError};

/// Minimum length in characters.
pub const MIN_LEN: usize = 10;
/// Maximum length in characters (bounds the hashing work an attacker can ask for).
pub const MAX_LEN: usize = 128;
/// How many of the four classes (lower case, upper case, digit, symbol) must appear.
pub const MIN_CLASSES: usize = 3;

/// A new password that satisfies the policy: at least [`MIN_LEN`] characters, at least
/// [`MIN_CLASSES`] of lower case, upper case, digits and symbols (any other character, Chinese
/// included, counts as a symbol), and not the user name.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Checks `raw` against the policy for the account `username`.
    pub fn new(raw: &str, username: &Username) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if len < MIN_LEN {
            return Err(ValidationError::PasswordTooShort(MIN_LEN));
        }
        if len > MAX_LEN {
            return Err(ValidationError::PasswordTooLong(MAX_LEN));
        }
        let has = |f: fn(&char) -> bool| usize::from(raw.chars().any(|c| f(&c)));
        let classes = has(char::is_ascii_lowercase)
            + has(char::is_ascii_uppercase)
            + has(char::is_ascii_digit)
            + has(|c| !c.is_ascii_alphanumeric() && !c.is_whitespace());
        if classes < MIN_CLASSES {
            return Err(ValidationError::PasswordTooSimple);
        }
        if raw.trim().eq_ignore_ascii_case(username.as_str()) {
            return Err(ValidationError::PasswordEqualsUsername);
        }
        Ok(Password(raw.to_owned()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Hashes a password with argon2id (default parameters: m = 19 MiB, t = 2, p = 1) and a random
/// salt; returns the PHC string (`$argon2id$v=19$…`). CPU-heavy: call from a blocking thread, or
/// use [`hash_async`].
pub fn hash(password: &Password) -> Result<String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| StoreError::PasswordHash)
}

/// Checks `raw` against a PHC string. Any malformed hash simply fails to verify.
pub fn verify(raw: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(raw.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// At most this many argon2id computations run at once in a process. Each takes 19 MiB (the
/// argon2 default memory cost) and a core's worth of time, so a burst of logins (or a password
/// spraying attack) queues here instead of taking the server's memory.
const MAX_CONCURRENT_HASHES: usize = 4;

fn hash_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(MAX_CONCURRENT_HASHES))
}

/// [`hash`] on tokio's blocking pool.
pub async fn hash_async(password: &Password) -> Result<String> {
    let password = password.clone();
    let _permit = hash_permits()
        .acquire()
        .await
        .map_err(|_| StoreError::PasswordHash)?;
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|_| StoreError::PasswordHash)?
}

/// [`verify`] on tokio's blocking pool.
pub async fn verify_async(raw: &str, phc: &str) -> bool {
    let (raw, phc) = (raw.to_owned(), phc.to_owned());
    let Ok(_permit) = hash_permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify(&raw, &phc))
        .await
        .unwrap_or(false)
}

/// Spends the time of one verification against [`dummy_hash`] (always fails).
pub(crate) async fn verify_dummy_async(raw: &str) {
    let raw = raw.to_owned();
    let Ok(_permit) = hash_permits().acquire().await else {
        return;
    };
    let _ = tokio::task::spawn_blocking(move || verify(&raw, dummy_hash())).await;
}

/// A hash of a random password, verified against when the user name does not exist so that a
/// failed login takes about as long whether or not the account exists.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut bytes = [0u8; 16];
        // If the OS has no randomness the hash is of zeros: still a valid hash nobody knows.
        let _ = getrandom::fill(&mut bytes);
        let raw = format!("Dummy-{}", hex::encode(bytes));
        Argon2::default()
            .hash_password(raw.as_bytes())
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify_round_trip() {
        let user = Username::parse("zhangsan").unwrap();
        let pw = Password::new("Gongkai-2026!", &user).unwrap();
        let phc = hash(&pw).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(verify("Gongkai-2026!", &phc));
        assert!(!verify("gongkai-2026!", &phc));
        assert!(!verify("Gongkai-2026!", "not a hash"));
        assert!(!format!("{pw:?}").contains("Gongkai"));
    }

    #[test]
    fn dummy_hash_is_a_valid_phc_string() {
        assert!(dummy_hash().starts_with("$argon2id$"));
        assert!(!verify("anything", dummy_hash()));
    }
}
