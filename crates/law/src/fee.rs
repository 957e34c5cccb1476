//! 信息处理费 — 国办函〔2020〕109号 (legal-rules.md §C).
//!
//! Providing information is free (条例 Art 42 ¶1); an organ *may* charge when the quantity or
//! frequency of requests clearly exceeds a reasonable range, by one of two excess-progressive
//! (超额累进) standards (109号 Art 3): per application in a natural month (按件计收, Art 4) or per
//! page of the application (按量计收, Art 5). Charging stays a decision of the organ: this module only
//! computes what the standard allows.

use crate::error::FeeError;
use crate::money::Money;
use crate::provision::ProvisionForm;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most applications of one applicant in one month this module computes. The tiers grow by
/// 100元/件 every 10 applications; far beyond any real month, the count is surely a typing error.
pub const MAX_PIECES_PER_MONTH: u32 = 10_000;

/// The most pages of one application this module computes.
pub const MAX_PAGES: u32 = 1_000_000;

/// The two fee standards. Each application uses exactly one (109号 Art 3: 不得同时按照两种标准重复计算).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeStandard {
    /// 按件计收 (109号 Art 4).
    PerPiece,
    /// 按量计收 (109号 Art 5).
    PerPage,
}

impl FeeStandard {
    pub const fn label(self) -> &'static str {
        match self {
            FeeStandard::PerPiece => "按件计收",
            FeeStandard::PerPage => "按量计收",
        }
    }

    pub const fn article(self) -> &'static str {
        match self {
            FeeStandard::PerPiece => "国办函〔2020〕109号第四条",
            FeeStandard::PerPage => "国办函〔2020〕109号第五条",
        }
    }

    /// The counting unit: 件 (applications) or 页 (pages).
    pub const fn unit(self) -> &'static str {
        match self {
            FeeStandard::PerPiece => "件",
            FeeStandard::PerPage => "页",
        }
    }

    /// The tier that unit number `n` (≥ 1) falls in: its first and last unit and its unit price.
    /// The last unit is `None` for the open top tier.
    fn band(self, n: u32) -> (u32, Option<u32>, Money) {
        match self {
            // 109号 Art 4: 10件以下（含10件）不收费；11–30件（含30件）100元/件；30件以上部分以10件为
            // 一档，每增加一档，收费标准提高100元/件. So 31–40 → 200, 41–50 → 300, …
            FeeStandard::PerPiece => {
                if n <= 10 {
                    (1, Some(10), Money::ZERO)
                } else if n <= 30 {
                    (11, Some(30), Money::from_yuan(100))
                } else {
                    let band = (n - 31) / 10; // 0 for 31–40
                    let from = 31 + band * 10; // ≤ n
                    // Callers cap n at MAX_PIECES_PER_MONTH, so this never saturates; it only
                    // keeps an uncapped call from overflowing.
                    let price = i32::try_from(band)
                        .ok()
                        .and_then(|b| b.checked_add(2))
                        .and_then(|b| b.checked_mul(100))
                        .unwrap_or(i32::MAX);
                    (from, Some(from.saturating_add(9)), Money::from_yuan(price))
                }
            }
            // 109号 Art 5: 30页以下（含30页）不收费；31–100页（含100页）的部分10元/页；101–200页
            // （含200页）的部分20元/页；200页以上的部分40元/页.
            FeeStandard::PerPage => {
                if n <= 30 {
                    (1, Some(30), Money::ZERO)
                } else if n <= 100 {
                    (31, Some(100), Money::from_yuan(10))
                } else if n <= 200 {
                    (101, Some(200), Money::from_yuan(20))
                } else {
                    (201, None, Money::from_yuan(40))
                }
            }
        }
    }
}

impl fmt::Display for FeeStandard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One tier of a progressive fee: units `from..=to` at `unit_price` each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTier {
    pub standard: FeeStandard,
    /// First unit (application or page) in this tier, counting from 1.
    pub from: u32,
    /// Last unit in this tier that is actually charged (not the tier's upper bound).
    pub to: u32,
    pub unit_price: Money,
    pub quantity: u32,
    pub subtotal: Money,
}

impl FeeTier {
    /// "第1–10件：免费" or "第11–30件：20件 × 100元 = 2000元".
    pub fn description(&self) -> String {
        let unit = self.standard.unit();
        let range = if self.from == self.to {
            format!("第{}{unit}", self.from)
        } else {
            format!("第{}–{}{unit}", self.from, self.to)
        };
        if self.unit_price == Money::ZERO {
            format!("{range}：免费")
        } else {
            format!(
                "{range}：{}{unit} × {} = {}",
                self.quantity, self.unit_price, self.subtotal
            )
        }
    }
}

/// A computed fee with the tiers that make it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBreakdown {
    pub standard: FeeStandard,
    /// Applications in the month (per piece) or pages (per page) that were priced.
    pub quantity: u32,
    pub total: Money,
    /// Empty when the quantity is 0.
    pub tiers: Vec<FeeTier>,
}

impl FeeBreakdown {
    /// The breakdown as Chinese lines, one per tier, then "合计：…".
    pub fn lines(&self) -> Vec<String> {
        self.tiers
            .iter()
            .map(FeeTier::description)
            .chain(std::iter::once(format!("合计：{}", self.total)))
            .collect()
    }
}

impl fmt::Display for FeeBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// Prices units `first..=last` progressively. `first ≥ 1`; an empty range gives no tiers.
fn progressive(standard: FeeStandard, first: u32, last: u32) -> Result<FeeBreakdown, FeeError> {
    let mut tiers = Vec::new();
    let mut total = Money::ZERO;
    let mut n = first;
    while n <= last {
        let (_, band_end, unit_price) = standard.band(n);
        let to = band_end.map_or(last, |end| end.min(last));
        let quantity = to - n + 1;
        let subtotal = unit_price.checked_mul(quantity).ok_or(FeeError::Overflow)?;
        total = total.checked_add(subtotal).ok_or(FeeError::Overflow)?;
        tiers.push(FeeTier {
            standard,
            from: n,
            to,
            unit_price,
            quantity,
            subtotal,
        });
        match to.checked_add(1) {
            Some(next) => n = next,
            None => break,
        }
    }
    Ok(FeeBreakdown {
        standard,
        quantity: last.saturating_sub(first.saturating_sub(1)),
        total,
        tiers,
    })
}

fn check_pieces(count: u32) -> Result<(), FeeError> {
    if count > MAX_PIECES_PER_MONTH {
        return Err(FeeError::TooManyPieces {
            count,
            max: MAX_PIECES_PER_MONTH,
        });
    }
    Ok(())
}

/// The fee of the `n`-th application of one applicant in one natural month (109号 Art 4):
/// 0 for n ≤ 10, 100元 for 11–30, then `100 × (1 + ⌈(n − 30) / 10⌉)` 元.
pub fn per_piece_fee_for_nth(n: u32) -> Result<Money, FeeError> {
    if n == 0 {
        return Err(FeeError::NthZero);
    }
    check_pieces(n)?;
    Ok(FeeStandard::PerPiece.band(n).2)
}

/// The total per-piece fee for `count` applications of one applicant in one natural month.
pub fn per_piece_total(count: u32) -> Result<FeeBreakdown, FeeError> {
    check_pieces(count)?;
    progressive(FeeStandard::PerPiece, 1, count)
}

/// The per-page fee for one application of `pages` pages (109号 Art 5, counted per application as
/// Art 3 makes the choice of standard per application). How pages are counted is UNCONFIRMED
/// (legal-rules.md §C.3): the caller passes the number the officer entered.
pub fn per_page_fee(pages: u32) -> Result<FeeBreakdown, FeeError> {
    if pages > MAX_PAGES {
        return Err(FeeError::TooManyPages {
            pages,
            max: MAX_PAGES,
        });
    }
    progressive(FeeStandard::PerPage, 1, pages)
}

/// Whether the per-page standard may be used for information provided in `form` (109号 Art 5).
pub const fn per_page_applies(form: ProvisionForm) -> bool {
    form.per_page_fee_applies()
}

/// The fee of one application under the one standard the organ chose (109号 Art 3). Built only
/// through [`FeeDecision::per_piece`] or [`FeeDecision::per_page`], so it always names exactly one
/// standard and an amount computed by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeDecision {
    pub standard: FeeStandard,
    /// Per piece: the application's number in the applicant's month. Per page: its page count.
    pub quantity: u32,
    /// Per page only: the form of provision that makes the standard applicable.
    pub form: Option<ProvisionForm>,
    pub amount: Money,
    /// The tiers behind `amount` (per piece: the one tier of this application).
    pub breakdown: FeeBreakdown,
}

impl FeeDecision {
    /// Per piece: this application is the `nth_in_month`-th of the applicant in the natural month.
    pub fn per_piece(nth_in_month: u32) -> Result<Self, FeeError> {
        let amount = per_piece_fee_for_nth(nth_in_month)?;
        let breakdown = progressive(FeeStandard::PerPiece, nth_in_month, nth_in_month)?;
        Ok(FeeDecision {
            standard: FeeStandard::PerPiece,
            quantity: nth_in_month,
            form: None,
            amount,
            breakdown,
        })
    }

    /// Per page: `pages` pages provided in `form`; refused for 查阅抄录 (109号 Art 5).
    pub fn per_page(pages: u32, form: ProvisionForm) -> Result<Self, FeeError> {
        if !per_page_applies(form) {
            return Err(FeeError::PerPageNotApplicable { form: form.label() });
        }
        let breakdown = per_page_fee(pages)?;
        Ok(FeeDecision {
            standard: FeeStandard::PerPage,
            quantity: pages,
            form: Some(form),
            amount: breakdown.total,
            breakdown,
        })
    }

    /// One Chinese sentence for the 收费通知 draft and the case file.
    pub fn summary(&self) -> String {
        match self.standard {
            FeeStandard::PerPiece => format!(
                "按件计收（{}）：本件为申请人本自然月内第{}件申请，信息处理费{}。",
                self.standard.article(),
                self.quantity,
                self.amount
            ),
            FeeStandard::PerPage => format!(
                "按量计收（{}）：以{}形式提供，共{}页，信息处理费{}。",
                self.standard.article(),
                self.form.map_or("", ProvisionForm::label),
                self.quantity,
                self.amount
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(y: i32) -> Money {
        Money::from_yuan(y)
    }

    #[test]
    fn per_piece_vector_45_is_5500_yuan() {
        // legal-rules.md §C.2: 10×0 + 20×100 + 10×200 + 5×300 = 5,500 元.
        let b = per_piece_total(45).unwrap();
        assert_eq!(b.total, yuan(5500));
        assert_eq!(
            b.lines(),
            [
                "第1–10件：免费",
                "第11–30件：20件 × 100元 = 2000元",
                "第31–40件：10件 × 200元 = 2000元",
                "第41–45件：5件 × 300元 = 1500元",
                "合计：5500元",
            ]
        );
        assert_eq!(b.quantity, 45);
    }

    #[test]
    fn per_piece_nth_matches_the_formula() {
        assert_eq!(per_piece_fee_for_nth(1).unwrap(), Money::ZERO);
        assert_eq!(per_piece_fee_for_nth(10).unwrap(), Money::ZERO);
        assert_eq!(per_piece_fee_for_nth(11).unwrap(), yuan(100));
        assert_eq!(per_piece_fee_for_nth(30).unwrap(), yuan(100));
        for n in 31..=500u32 {
            // 100 × (1 + ceil((n − 30) / 10))
            let expected = 100 * (1 + (n - 30).div_ceil(10));
            assert_eq!(
                per_piece_fee_for_nth(n).unwrap(),
                yuan(i32::try_from(expected).unwrap()),
                "n = {n}"
            );
        }
        assert_eq!(per_piece_fee_for_nth(0), Err(FeeError::NthZero));
    }

    #[test]
    fn per_page_vectors() {
        // legal-rules.md §C.3.
        assert_eq!(per_page_fee(31).unwrap().total, yuan(10));
        assert_eq!(per_page_fee(100).unwrap().total, yuan(700));
        let b = per_page_fee(250).unwrap();
        assert_eq!(b.total, yuan(4700));
        assert_eq!(
            b.lines(),
            [
                "第1–30页：免费",
                "第31–100页：70页 × 10元 = 700元",
                "第101–200页：100页 × 20元 = 2000元",
                "第201–250页：50页 × 40元 = 2000元",
                "合计：4700元",
            ]
        );
    }

    #[test]
    fn zero_gives_zero_and_no_tiers() {
        for b in [per_piece_total(0).unwrap(), per_page_fee(0).unwrap()] {
            assert_eq!(b.total, Money::ZERO);
            assert!(b.tiers.is_empty());
            assert_eq!(b.lines(), ["合计：0元"]);
        }
    }

    #[test]
    fn absurd_inputs_are_refused_not_overflowed() {
        assert!(matches!(
            per_page_fee(MAX_PAGES + 1),
            Err(FeeError::TooManyPages { .. })
        ));
        assert!(matches!(
            per_piece_total(u32::MAX),
            Err(FeeError::TooManyPieces { .. })
        ));
        assert!(per_piece_fee_for_nth(u32::MAX).is_err());
        // The largest accepted inputs compute without overflow.
        assert_eq!(
            per_page_fee(MAX_PAGES).unwrap().total,
            yuan(700 + 2000 + 999_800 * 40)
        );
        assert!(
            per_piece_total(MAX_PIECES_PER_MONTH)
                .unwrap()
                .total
                .is_positive()
        );
    }

    #[test]
    fn a_decision_names_one_standard() {
        let d = FeeDecision::per_piece(45).unwrap();
        assert_eq!(d.standard, FeeStandard::PerPiece);
        assert_eq!(d.amount, yuan(300));
        assert_eq!(
            d.breakdown.lines(),
            ["第45件：1件 × 300元 = 300元", "合计：300元"]
        );
        assert_eq!(
            d.summary(),
            "按件计收（国办函〔2020〕109号第四条）：本件为申请人本自然月内第45件申请，信息处理费300元。"
        );

        let d = FeeDecision::per_page(250, ProvisionForm::Paper).unwrap();
        assert_eq!(d.amount, yuan(4700));
        assert_eq!(d.form, Some(ProvisionForm::Paper));

        let err = FeeDecision::per_page(250, ProvisionForm::Inspect).unwrap_err();
        assert!(err.to_string().contains("查阅抄录"), "{err}");
    }
}
