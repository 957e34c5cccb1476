//! Login names: ASCII, case-insensitive (stored lower case).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// A login name: 2–32 characters from `a-z 0-9 . _ -`, starting with a letter or digit, stored in
/// lower case so that `ZhangSan` and `zhangsan` are the same account. (The person's Chinese name
/// goes in `display_name`.)
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub const MIN_LEN: usize = 2;
    pub const MAX_LEN: usize = 32;

    /// Parses a user name as typed: surrounding spaces are ignored, upper case is folded.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let name = input.trim().to_ascii_lowercase();
        let len = name.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(ValidationError::UsernameLength {
                min: Self::MIN_LEN,
                max: Self::MAX_LEN,
            });
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        let starts_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !starts_ok || !name.chars().all(allowed) {
            return Err(ValidationError::UsernameChars);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Username({})", self.0)
    }
}

impl TryFrom<String> for Username {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Username::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

impl std::str::FromStr for Username {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Username::parse(s)
    }
}
