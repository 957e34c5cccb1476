//! Money as an integer number of 分 (fen).
//!
//! Fees under 国办函〔2020〕109号 are whole 元 today, but money is never a float (DESIGN.md §4): an
//! integer of 分 adds and compares exactly, and can show 角/分 if a local rule ever needs them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in 分 (1元 = 100分). Shown in 元: "5500元", "12.50元".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    /// 0元.
    pub const ZERO: Money = Money(0);

    /// An amount given in 分.
    pub const fn from_fen(fen: i64) -> Self {
        Money(fen)
    }

    /// An amount given in whole 元. An `i32` of 元 always fits in `i64` 分, so this cannot overflow.
    pub const fn from_yuan(yuan: i32) -> Self {
        Money(yuan as i64 * 100)
    }

    /// The amount in 分.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Whether the amount is more than 0元.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self × times`, or `None` on overflow.
    pub fn checked_mul(self, times: u32) -> Option<Money> {
        self.0.checked_mul(i64::from(times)).map(Money)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        // unsigned_abs: i64::MIN has no positive i64 counterpart.
        let abs = self.0.unsigned_abs();
        let (yuan, fen) = (abs / 100, abs % 100);
        if fen == 0 {
            write!(f, "{sign}{yuan}元")
        } else {
            write!(f, "{sign}{yuan}.{fen:02}元")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_in_yuan() {
        assert_eq!(Money::from_yuan(5500).to_string(), "5500元");
        assert_eq!(Money::from_fen(1250).to_string(), "12.50元");
        assert_eq!(Money::from_fen(5).to_string(), "0.05元");
        assert_eq!(Money::ZERO.to_string(), "0元");
        assert_eq!(Money::from_fen(-305).to_string(), "-3.05元");
        assert_eq!(
            Money::from_fen(i64::MIN).to_string(),
            "-92233720368547758.08元"
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(
            Money::from_yuan(100).checked_mul(20),
            Some(Money::from_yuan(2000))
        );
        assert_eq!(
            Money::from_fen(i64::MAX).checked_add(Money::from_fen(1)),
            None
        );
        assert_eq!(Money::from_fen(i64::MAX).checked_mul(2), None);
    }

    #[test]
    fn serialises_as_integer_fen() {
        let json = serde_json::to_string(&Money::from_yuan(12)).unwrap();
        assert_eq!(json, "1200");
        let back: Money = serde_json::from_str("1250").unwrap();
        assert_eq!(back, Money::from_fen(1250));
    }
}
