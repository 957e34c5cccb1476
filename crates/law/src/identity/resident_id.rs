//! 公民身份号码 (the number on the 居民身份证), GB 11643-1999.
//!
//! 18 characters: positions 1–6 the 地址码 (administrative division code, GB/T 2260), 7–14 the
//! 出生日期码 `YYYYMMDD`, 15–17 the 顺序码, 18 the 校验码. The check character is ISO 7064
//! MOD 11-2: `S = Σ aᵢ·Wᵢ` over positions 1–17 with `Wᵢ = 2^(18−i) mod 11`
//! (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), and the check is `(12 − S mod 11) mod 11`, written
//! `1 0 X 9 8 7 6 5 4 3 2` for `S mod 11 = 0 … 10` (an 11-valued check needs `X` for 10).
//!
//! The 地址码 is only checked to be digits: division codes change over time and a person keeps the
//! code of the place where the number was first issued, so a list of current codes would refuse
//! real numbers. The 15-digit first-generation numbers are refused (they stopped being valid on
//! 2013-01-01) with a message that says so.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::half_width;
use crate::error::ResidentIdError;

/// GB 11643-1999 §8.2 weights `2^(18−i) mod 11` for positions 1–17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for `S mod 11 = 0 … 10` (GB 11643-1999 §8.2).
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A 公民身份号码 whose length, characters, birth date and check character are valid
/// (GB 11643-1999). Construct with [`ResidentIdNumber::parse`]; the stored form is 18 ASCII
/// characters with an upper-case `X`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentIdNumber {
    number: String,
    born_on: NaiveDate,
}

/// Trim, full-width → half-width, `x` → `X`: what a person types with a Chinese IME.
fn normalise(input: &str) -> Vec<char> {
    input
        .trim()
        .chars()
        .map(|c| half_width(c).to_ascii_uppercase())
        .collect()
}

fn digit(c: char) -> Option<u32> {
    c.to_digit(10).filter(|_| c.is_ascii_digit())
}

/// The check character of 17 digit values.
fn check_char(digits: &[u32; 17]) -> char {
    let sum: u32 = digits.iter().zip(WEIGHTS.iter()).map(|(d, w)| d * w).sum();
    usize::try_from(sum % 11)
        .ok()
        .and_then(|i| CHECK_CHARS.get(i).copied())
        .unwrap_or('?')
}

/// Parses everything but the "not after today" rule.
fn parse_shape(input: &str) -> Result<(String, NaiveDate), ResidentIdError> {
    let chars = normalise(input);
    if chars.len() == 15 && chars.iter().all(char::is_ascii_digit) {
        return Err(ResidentIdError::Legacy15);
    }
    if chars.len() != 18 {
        return Err(ResidentIdError::Length(chars.len()));
    }
    let mut digits = [0u32; 17];
    for (i, (&c, slot)) in chars.iter().zip(digits.iter_mut()).enumerate() {
        *slot = digit(c).ok_or(ResidentIdError::Char {
            position: i + 1,
            found: c,
        })?;
    }
    let last = chars.get(17).copied().unwrap_or('?');
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(ResidentIdError::Char {
            position: 18,
            found: last,
        });
    }
    let born_on = birth_date(&digits)?;
    if check_char(&digits) != last {
        return Err(ResidentIdError::CheckChar);
    }
    Ok((chars.into_iter().collect(), born_on))
}

/// Positions 7–14 as a real date on or after 1900-01-01.
fn birth_date(digits: &[u32; 17]) -> Result<NaiveDate, ResidentIdError> {
    let field = |from: usize, to: usize| -> u32 {
        digits
            .get(from..to)
            .unwrap_or(&[])
            .iter()
            .fold(0, |acc, d| acc * 10 + d)
    };
    let (year, month, day) = (field(6, 10), field(10, 12), field(12, 14));
    let born_on = i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .ok_or_else(|| ResidentIdError::BirthDate {
            digits: format!("{year:04}{month:02}{day:02}"),
        })?;
    if born_on.year() < 1900 {
        return Err(ResidentIdError::BirthBefore1900 { born: born_on });
    }
    Ok(born_on)
}

impl ResidentIdNumber {
    /// Parses a number as typed by a person: surrounding spaces are ignored; full-width digits,
    /// full-width `Ｘ` and lower-case `x` are accepted and normalised. The birth date must be a
    /// real date from 1900-01-01 up to `today`.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, ResidentIdError> {
        let (number, born_on) = parse_shape(input)?;
        if born_on > today {
            return Err(ResidentIdError::BirthInFuture {
                born: born_on,
                today,
            });
        }
        Ok(ResidentIdNumber { number, born_on })
    }

    /// Parses a number that was validated with [`ResidentIdNumber::parse`] when it was entered
    /// (read back from the database or JSON): every rule but "birth date not after today", which
    /// needs the day of entry. Use [`ResidentIdNumber::parse`] for anything a person typed.
    pub fn parse_stored(input: &str) -> Result<Self, ResidentIdError> {
        let (number, born_on) = parse_shape(input)?;
        Ok(ResidentIdNumber { number, born_on })
    }

    /// The 18 characters (upper-case `X`).
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The 地址码 (positions 1–6).
    pub fn area_code(&self) -> &str {
        self.number.get(0..6).unwrap_or("")
    }

    /// The 出生日期码 (positions 7–14) as a date.
    pub fn birth_date(&self) -> NaiveDate {
        self.born_on
    }

    /// For lists and exports: the first 6 and last 4 characters, the 8 in between as `*`
    /// (`410102********1234`), so that an officer can tell applicants apart without the list
    /// showing the birth date (issue 6: masking in lists and exports).
    pub fn mask(&self) -> String {
        super::mask_middle(&self.number, 6, 4)
    }

    /// The check character for 17 digits (full-width accepted), or `None` if `body` is not 17
    /// digits. For generating test data and for tools; a person's input goes through
    /// [`ResidentIdNumber::parse`].
    pub fn check_char_for(body: &str) -> Option<char> {
        let chars = normalise(body);
        if chars.len() != 17 {
            return None;
        }
        let mut digits = [0u32; 17];
        for (&c, slot) in chars.iter().zip(digits.iter_mut()) {
            *slot = digit(c)?;
        }
        Some(check_char(&digits))
    }
}

impl fmt::Display for ResidentIdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.number)
    }
}

/// Masked, so that a number does not end up in logs by accident.
impl fmt::Debug for ResidentIdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentIdNumber({})", self.mask())
    }
}

impl TryFrom<String> for ResidentIdNumber {
    type Error = ResidentIdError;
    /// [`ResidentIdNumber::parse_stored`]: for values read back, not for form input.
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ResidentIdNumber::parse_stored(&value)
    }
}

impl From<ResidentIdNumber> for String {
    fn from(value: ResidentIdNumber) -> Self {
        value.number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_two_mod_11() {
        for (i, w) in WEIGHTS.iter().enumerate() {
            let exp = 17 - u32::try_from(i).unwrap();
            assert_eq!(2u32.pow(exp) % 11, *w);
        }
    }

    #[test]
    fn check_char_makes_the_weighted_sum_one_mod_11() {
        // ISO 7064 MOD 11-2: with the check's value (X = 10) weighted 1, Σ ≡ 1 (mod 11).
        for body in [
            "11010119900307123",
            "41010219800101001",
            "00000019000101000",
        ] {
            let c = ResidentIdNumber::check_char_for(body).unwrap();
            let v = if c == 'X' {
                10
            } else {
                c.to_digit(10).unwrap()
            };
            let sum: u32 = body
                .chars()
                .zip(WEIGHTS)
                .map(|(d, w)| d.to_digit(10).unwrap() * w)
                .sum();
            assert_eq!((sum + v) % 11, 1, "{body}{c}");
        }
    }
}
