//! Finding likely 重复申请 (条例 Art 36(6): 行政机关已就申请人提出的政府信息公开申请作出答复、申请人
//! 重复申请公开相同政府信息的，告知申请人不予重复处理; table 三 row (五)2).
//!
//! This module only **lists candidates** for the officer: whether two requests ask for "相同政府信息"
//! is a legal judgement the officer makes and records as the outcome
//! [`Outcome::NotProcessedRepeated`]. Nothing here decides automatically.
//!
//! An earlier application is a candidate when
//! 1. it was made by the same applicant ([`ApplicantKey`]: same identity document or credit code);
//! 2. it was answered (Art 36(6) needs 已…作出答复) on or before the day the new one was received —
//!    withdrawn and abandoned applications (table 三 rows (六)1–3) were never answered, see
//!    [`counts_as_answered`];
//! 3. the descriptions are similar: the Jaccard index of their sets of character bigrams, after
//!    [`normalise_description`], is at least the threshold.
//!
//! **Threshold.** [`DEFAULT_THRESHOLD_PERCENT`] = 60, set from the vectors in `tests/repeat.rs`
//! (base: "申请公开西市场街道2023年老旧小区改造项目的招标文件"):
//!
//! | variant | similarity | listed at 60 |
//! |---|---|---|
//! | 请 instead of 申请, a trailing 。 | 96 % | yes |
//! | punctuation, spaces, full-width digits, quotes | 100 % | yes |
//! | 2022年 instead of 2023年 | 85 % | yes, with `differing_numbers` = 2022, 2023 |
//! | the same plus 及中标通知书 | 81 % | yes |
//! | same project, another document (中标结果公告) | 68 % | yes — the officer dismisses it |
//! | reworded: 我想了解…（2023年）的招标文件 | 57 % | no |
//! | another project in the same template (背街小巷整治) | 57 % | no |
//! | reworded: 请提供2023年…改造工程招标文件 | 47 % | no |
//! | another subject (新华区财政预算) | 17 % | no |
//!
//! Character bigrams cannot tell a rewording of the same request from the same template about
//! another subject (both 57 % above), so no threshold separates them. 60 lists every copy-pasted or
//! lightly edited request — the usual 重复申请 — and keeps out the template noise of applicants who
//! file many requests in one wording (exactly the applicants most likely to repeat), so the list
//! stays worth reading. A missed rewording costs little: the request is answered again, which is
//! lawful; an organ that wants more recall passes a lower threshold (about 45).

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::identity::{ApplicantKey, half_width};
use crate::outcome::Outcome;

/// The default minimum similarity, in percent, for an earlier application to be listed.
pub const DEFAULT_THRESHOLD_PERCENT: u8 = 60;

/// The application being registered.
#[derive(Debug, Clone, Copy)]
pub struct NewApplication<'a> {
    pub applicant: &'a ApplicantKey,
    /// The description of the information requested (Art 29 ¶2(2)), as entered.
    pub description: &'a str,
    /// Its receipt date (Art 31).
    pub received_on: NaiveDate,
}

/// An earlier, answered application of the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnsweredApplication<I> {
    /// The caller's id of the application (e.g. the store's row id).
    pub id: I,
    pub applicant: ApplicantKey,
    /// The description of the information requested, as entered.
    pub description: String,
    pub replied_on: NaiveDate,
    pub outcome: Outcome,
}

/// How alike two descriptions are: `shared` bigrams out of `total` distinct bigrams of both
/// (Jaccard index `shared / total`). Compared exactly, without floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Similarity {
    pub shared: usize,
    pub total: usize,
}

impl Similarity {
    /// The Jaccard index in `[0, 1]`, for display.
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        // Counts of characters of a description: far below 2^52, so the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        let (shared, total) = (self.shared as f64, self.total as f64);
        shared / total
    }

    /// The index in whole percent, rounded down.
    pub fn percent(&self) -> u32 {
        if self.total == 0 {
            return 0;
        }
        u32::try_from(self.shared.saturating_mul(100) / self.total).unwrap_or(100)
    }

    /// Whether the index is at least `percent` %.
    pub fn at_least(&self, percent: u8) -> bool {
        self.total > 0
            && u128::from(u64::try_from(self.shared).unwrap_or(u64::MAX)) * 100
                >= u128::from(percent) * u128::from(u64::try_from(self.total).unwrap_or(u64::MAX))
    }

    /// Orders by the index, exactly (cross-multiplication).
    fn cmp_index(&self, other: &Similarity) -> std::cmp::Ordering {
        let wide = |n: usize| u128::from(u64::try_from(n).unwrap_or(u64::MAX));
        (wide(self.shared) * wide(other.total)).cmp(&(wide(other.shared) * wide(self.total)))
    }
}

impl fmt::Display for Similarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

/// An earlier application the officer should look at before deciding on Art 36(6).
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatCandidate<'a, I> {
    pub earlier: &'a AnsweredApplication<I>,
    pub similarity: Similarity,
    /// Numbers (years, 文号 numbers, amounts) found in only one of the two descriptions, e.g.
    /// `["2022", "2023"]`. Non-empty is a strong hint that different information is requested even
    /// though the wording is alike.
    pub differing_numbers: Vec<String>,
}

impl<I> RepeatCandidate<'_, I> {
    /// A line for the officer, in Chinese.
    pub fn note(&self) -> String {
        let mut note = format!(
            "与{}已答复（{}）的申请内容相似度{}，请核对是否为重复申请（条例第三十六条第（六）项）",
            self.earlier.replied_on,
            self.earlier.outcome.label(),
            self.similarity
        );
        if !self.differing_numbers.is_empty() {
            note.push_str(&format!(
                "；注意：两次申请中的数字不同（{}），可能申请的是不同信息",
                self.differing_numbers.join("、")
            ));
        }
        note
    }
}

/// Whether an earlier application with this outcome was 答复 in the sense of Art 36(6). The three
/// (六) 其他处理 outcomes are not: a withdrawal and the two abandonments (Art 30 overdue 补正,
/// 109号 overdue fee) end the application without an answer to it.
pub const fn counts_as_answered(outcome: Outcome) -> bool {
    !matches!(
        outcome,
        Outcome::OtherOverdueCorrection | Outcome::OtherOverdueFee | Outcome::OtherOther
    )
}

/// The text compared: full-width → half-width, ASCII letters in lower case, and only letters and
/// digits kept (whitespace, Chinese and ASCII punctuation, brackets and symbols removed).
pub fn normalise_description(text: &str) -> String {
    text.chars()
        .map(|c| half_width(c).to_ascii_lowercase())
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn bigrams(normalised: &str) -> BTreeSet<(char, char)> {
    let chars: Vec<char> = normalised.chars().collect();
    chars
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((*a, *b)),
            _ => None,
        })
        .collect()
}

/// The character-bigram Jaccard index of two descriptions after [`normalise_description`]. Two
/// texts that normalise to the same single character count as identical; empty texts share nothing.
pub fn similarity(a: &str, b: &str) -> Similarity {
    let (a, b) = (normalise_description(a), normalise_description(b));
    similarity_normalised(&a, &b)
}

fn similarity_normalised(a: &str, b: &str) -> Similarity {
    let (ba, bb) = (bigrams(a), bigrams(b));
    if ba.is_empty() || bb.is_empty() {
        let same = !a.is_empty() && a == b;
        return Similarity {
            shared: usize::from(same),
            total: usize::from(same),
        };
    }
    Similarity {
        shared: ba.intersection(&bb).count(),
        total: ba.union(&bb).count(),
    }
}

/// The maximal runs of ASCII digits of a normalised text.
fn numbers(normalised: &str) -> BTreeSet<String> {
    normalised
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The earlier applications that may make `new` a 重复申请, most similar first (then the most
/// recent reply first). Only same-applicant, answered-before-receipt applications with a similarity
/// of at least `threshold_percent` % are listed (see the module documentation).
pub fn repeat_candidates<'a, I>(
    new: &NewApplication<'_>,
    earlier: &'a [AnsweredApplication<I>],
    threshold_percent: u8,
) -> Vec<RepeatCandidate<'a, I>> {
    let text = normalise_description(new.description);
    let new_numbers = numbers(&text);
    let mut found: Vec<RepeatCandidate<'a, I>> = earlier
        .iter()
        .filter(|e| {
            e.applicant == *new.applicant
                && e.replied_on <= new.received_on
                && counts_as_answered(e.outcome)
        })
        .filter_map(|e| {
            let other = normalise_description(&e.description);
            let similarity = similarity_normalised(&text, &other);
            if !similarity.at_least(threshold_percent) {
                return None;
            }
            let differing_numbers = new_numbers
                .symmetric_difference(&numbers(&other))
                .cloned()
                .collect();
            Some(RepeatCandidate {
                earlier: e,
                similarity,
                differing_numbers,
            })
        })
        .collect();
    found.sort_by(|x, y| {
        y.similarity
            .cmp_index(&x.similarity)
            .then(y.earlier.replied_on.cmp(&x.earlier.replied_on))
    });
    found
}
