//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters from the 31-character set `0-9 A-H J-N P Q R T U W X Y` (no I, O, S, V, Z):
//! position 1 registration authority, 2 organisation category, 3–8 the registering authority's
//! administrative division code (digits), 9–17 the organisation code (GB 11714), 18 the check
//! character. Check: with the weights `3^(i-1) mod 31` for positions 1–17
//! (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
//! `check = 31 − (Σ value·weight mod 31)`, and 31 becomes 0.
//!
//! The one implementation in gongkai: the store (organs) and the application form (applicants that
//! are 法人或其他组织) both use this type.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::half_width;
use crate::error::CreditCodeError;

/// The code characters in value order (value = index).
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A 统一社会信用代码 whose length, characters, division code and check character are valid.
/// Construct with [`CreditCode::parse`]; the stored form is upper case ASCII.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

fn value_of(c: char) -> Option<u32> {
    let b = u8::try_from(u32::from(c)).ok()?;
    CHARSET
        .iter()
        .position(|&x| x == b)
        .and_then(|p| u32::try_from(p).ok())
}

/// Full-width ASCII (as typed with a Chinese IME) to half-width; lower case to upper case.
fn normalise_char(c: char) -> char {
    half_width(c).to_ascii_uppercase()
}

impl CreditCode {
    /// Parses a code as typed by a person: surrounding spaces are ignored, lower case and
    /// full-width characters are accepted and normalised.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let chars: Vec<char> = input.trim().chars().map(normalise_char).collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::Length(chars.len()));
        }
        let mut values = [0u32; 18];
        for (i, (&c, slot)) in chars.iter().zip(values.iter_mut()).enumerate() {
            *slot = value_of(c).ok_or(CreditCodeError::Char {
                position: i + 1,
                found: c,
            })?;
        }
        if !chars
            .iter()
            .skip(2)
            .take(6)
            .all(|c: &char| c.is_ascii_digit())
        {
            return Err(CreditCodeError::Division);
        }
        let expected = check_value(&values);
        if values.get(17).copied() != Some(expected) {
            return Err(CreditCodeError::CheckDigit {
                expected: char_of(expected),
            });
        }
        Ok(CreditCode(chars.into_iter().collect()))
    }

    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The check character for the first 17 characters of `body` (which must be from the code's
    /// character set), or `None` if `body` is not 17 valid characters. Useful to generate test
    /// data and to tell a user which character was expected.
    pub fn check_char_for(body: &str) -> Option<char> {
        let chars: Vec<char> = body.chars().map(normalise_char).collect();
        if chars.len() != 17 {
            return None;
        }
        let mut values = [0u32; 18];
        for (&c, slot) in chars.iter().zip(values.iter_mut()) {
            *slot = value_of(c)?;
        }
        Some(char_of(check_value(&values)))
    }
}

fn check_value(values: &[u32; 18]) -> u32 {
    let sum: u32 = values.iter().zip(WEIGHTS.iter()).map(|(v, w)| v * w).sum();
    let check = 31 - sum % 31;
    if check == 31 { 0 } else { check }
}

fn char_of(value: u32) -> char {
    usize::try_from(value)
        .ok()
        .and_then(|i| CHARSET.get(i))
        .map_or('?', |&b| char::from(b))
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditCode({})", self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

impl std::str::FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CreditCode::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn computed_check_digit_validates_and_a_changed_digit_fails() {
        let body = "11100000000013127";
        let check = CreditCode::check_char_for(body).unwrap();
        let code = format!("{body}{check}");
        assert!(CreditCode::parse(&code).is_ok(), "{code}");
        // Change each of the first 17 characters: the check must catch every single change.
        for i in 0..17 {
            let mut chars: Vec<char> = code.chars().collect();
            chars[i] = if chars[i] == '1' { '2' } else { '1' };
            let changed: String = chars.into_iter().collect();
            if changed[2..8].chars().all(|c| c.is_ascii_digit()) {
                assert!(
                    matches!(
                        CreditCode::parse(&changed),
                        Err(CreditCodeError::CheckDigit { .. })
                    ),
                    "{changed}"
                );
            }
        }
    }
}
