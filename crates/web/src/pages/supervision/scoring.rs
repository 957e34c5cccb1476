//! 考核 scoring: each criterion is a rate in [0, 1] per organ, the supervising organ sets a whole
//! weight per criterion (stored per organ, audited), and
//!
//! ```text
//! score = 100 × Σ wᵢ·rᵢ ÷ Σ wᵢ
//! ```
//!
//! An organ with nothing to judge on a criterion (no item published, no reply made, no case, a
//! report not yet due) gets [`NEUTRAL`] for it: nothing went wrong there, so it neither gains nor
//! loses against organs that did the work well. The page prints this rule and the formula with
//! the current weights.

use std::collections::BTreeMap;

use gongkai_store::supervision::{Counts, Measure, WEIGHT_MAX};

use super::report_state::ReportState;

/// The value of a rate an organ has no case for.
pub const NEUTRAL: f64 = 1.0;

/// One criterion of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criterion {
    /// The key in the stored weights and the form (`w_<key>`).
    pub key: &'static str,
    pub label: &'static str,
    /// How the rate is computed, in Chinese, with its legal basis.
    pub rule: &'static str,
    pub default_weight: u32,
}

/// The criteria, in the order of the page, the form and the formula.
pub const CRITERIA: [Criterion; 5] = [
    Criterion {
        key: "timeliness",
        label: "主动公开按期率",
        rule: "按期公开的信息 ÷ 期间公开的信息（条例第二十六条：形成或者变更之日起20个工作日内公开）",
        default_weight: 30,
    },
    Criterion {
        key: "interpretation",
        label: "政策解读率",
        rule: "已有政策解读的规章和规范性文件 ÷ 期间公开的规章和规范性文件",
        default_weight: 15,
    },
    Criterion {
        key: "reply_on_time",
        label: "按期答复率",
        rule: "未超过答复期限的答复 ÷ 期间作出的答复（条例第三十三条）",
        default_weight: 30,
    },
    Criterion {
        key: "not_corrected",
        label: "复议诉讼未被纠正率",
        rule: "结果未被纠正的案件 ÷ 期间的行政复议、行政诉讼案件（条例第五十一条）",
        default_weight: 10,
    },
    Criterion {
        key: "annual_report",
        label: "年度报告按时公开",
        rule: "按时公开为 1，逾期公开或逾期未公开为 0，未到期限的按中性值计（条例第四十九条）",
        default_weight: 15,
    },
];

/// The weights, in the order of [`CRITERIA`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights(pub [u32; CRITERIA.len()]);

impl Default for Weights {
    fn default() -> Self {
        Weights(CRITERIA.map(|c| c.default_weight))
    }
}

impl Weights {
    /// The stored weights; a criterion missing from them (added after they were saved) takes
    /// its default.
    pub fn from_stored(stored: &BTreeMap<String, u32>) -> Weights {
        Weights(CRITERIA.map(|c| stored.get(c.key).copied().unwrap_or(c.default_weight)))
    }

    pub fn to_map(self) -> BTreeMap<String, u32> {
        CRITERIA
            .iter()
            .zip(self.0)
            .map(|(c, w)| (c.key.to_owned(), w))
            .collect()
    }

    pub fn sum(self) -> u32 {
        self.0.iter().sum()
    }

    /// Reads the form's `w_<key>` fields: whole numbers 0–[`WEIGHT_MAX`], not all 0.
    pub fn parse_form(fields: &BTreeMap<String, String>) -> Result<Weights, String> {
        let mut out = [0u32; CRITERIA.len()];
        for (slot, c) in out.iter_mut().zip(CRITERIA) {
            let text = fields
                .get(&format!("w_{}", c.key))
                .map(|s| s.trim())
                .unwrap_or("");
            *slot = text
                .parse::<u32>()
                .ok()
                .filter(|w| *w <= WEIGHT_MAX)
                .ok_or_else(|| {
                    format!(
                        "“{}”的权重“{text}”无效：请填写 0 到 {WEIGHT_MAX} 的整数",
                        c.label
                    )
                })?;
        }
        if out.iter().all(|w| *w == 0) {
            return Err("权重不能全部为 0：至少给一项考核指标设定大于 0 的权重".to_owned());
        }
        Ok(Weights(out))
    }

    /// The formula with these weights, e.g. `得分 = 100 × (30×r₁ + 15×r₂ + …) ÷ 100`.
    pub fn formula(self) -> String {
        let terms: Vec<String> = self
            .0
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{w}×r{}", i + 1))
            .collect();
        format!("得分 = 100 × ({}) ÷ {}", terms.join(" + "), self.sum())
    }
}

/// One rate of an organ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub value: f64,
    /// No case to judge: the value is [`NEUTRAL`].
    pub neutral: bool,
}

impl Rate {
    /// `good ÷ all`, or neutral when `all` is 0.
    fn share(good: i64, all: i64) -> Rate {
        if all <= 0 {
            return Rate {
                value: NEUTRAL,
                neutral: true,
            };
        }
        // Counts are far below 2^53: exact as f64.
        #[allow(clippy::cast_precision_loss)]
        let value = good.clamp(0, all) as f64 / all as f64;
        Rate {
            value,
            neutral: false,
        }
    }

    /// As shown: a percentage with one decimal, or the neutral note.
    pub fn text(self) -> String {
        if self.neutral {
            format!("无可考核事项（按 {NEUTRAL} 计）")
        } else {
            format!("{:.1}%", self.value * 100.0)
        }
    }
}

/// The rates of one organ from its counts and its report state.
pub fn rates(count: impl Fn(Measure) -> i64, report: ReportState) -> [Rate; CRITERIA.len()] {
    let published = count(Measure::ItemsPublished);
    let documents = count(Measure::DocumentsPublished);
    let replied = count(Measure::ApplicationsReplied);
    let cases = count(Measure::Challenges);
    [
        Rate::share(count(Measure::ItemsOnTime), published),
        Rate::share(
            documents - count(Measure::DocumentsUninterpreted),
            documents,
        ),
        Rate::share(replied - count(Measure::RepliesLate), replied),
        Rate::share(cases - count(Measure::ChallengesCorrected), cases),
        match report.judged() {
            Some(true) => Rate {
                value: 1.0,
                neutral: false,
            },
            Some(false) => Rate {
                value: 0.0,
                neutral: false,
            },
            None => Rate {
                value: NEUTRAL,
                neutral: true,
            },
        },
    ]
}

/// `100 × Σ wᵢ·rᵢ ÷ Σ wᵢ` (0 if every weight is 0, which saving refuses).
pub fn score(rates: &[Rate; CRITERIA.len()], weights: Weights) -> f64 {
    let sum = weights.sum();
    if sum == 0 {
        return 0.0;
    }
    let weighted: f64 = rates
        .iter()
        .zip(weights.0)
        .map(|(r, w)| f64::from(w) * r.value)
        .sum();
    100.0 * weighted / f64::from(sum)
}

/// The score as shown (one decimal); ranks compare these texts' values so that two organs shown
/// with the same score share a rank.
pub fn score_text(score: f64) -> String {
    format!("{score:.1}")
}

/// Competition ranks ("1, 1, 3") of `scores` by their shown value, highest first.
pub fn ranks(scores: &[f64]) -> Vec<usize> {
    // Tenths of a point, as shown.
    #[allow(clippy::cast_possible_truncation)]
    let shown: Vec<i64> = scores.iter().map(|s| (s * 10.0).round() as i64).collect();
    shown
        .iter()
        .map(|s| 1 + shown.iter().filter(|o| *o > s).count())
        .collect()
}

/// Counts of one organ as the scoring reads them.
pub fn counter<'a>(
    counts: &'a BTreeMap<Measure, Counts>,
    organ_id: i64,
) -> impl Fn(Measure) -> i64 + 'a {
    move |m| {
        counts
            .get(&m)
            .and_then(|c| c.get(&organ_id))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_is_the_weighted_mean_of_the_rates_times_100() {
        let rates = [
            Rate::share(3, 4),
            Rate::share(0, 0),
            Rate::share(1, 2),
            Rate::share(1, 1),
            Rate {
                value: 0.0,
                neutral: false,
            },
        ];
        assert!(rates[1].neutral);
        let w = Weights([30, 15, 30, 10, 15]);
        // (30×0.75 + 15×1 + 30×0.5 + 10×1 + 15×0) / 100 × 100 = 62.5
        assert_eq!(score_text(score(&rates, w)), "62.5");
        let only_reports = Weights([0, 0, 0, 0, 1]);
        assert_eq!(score_text(score(&rates, only_reports)), "0.0");
        assert_eq!(
            w.formula(),
            "得分 = 100 × (30×r1 + 15×r2 + 30×r3 + 10×r4 + 15×r5) ÷ 100"
        );
    }

    #[test]
    fn equal_shown_scores_share_a_rank() {
        assert_eq!(ranks(&[80.0, 95.5, 80.04, 10.0]), vec![2, 1, 2, 4]);
    }

    #[test]
    fn weights_are_whole_numbers_up_to_the_maximum_and_not_all_zero() {
        let form = |v: [&str; 5]| {
            CRITERIA
                .iter()
                .zip(v)
                .map(|(c, v)| (format!("w_{}", c.key), v.to_owned()))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(
            Weights::parse_form(&form(["1", "2", "3", "4", "5"])),
            Ok(Weights([1, 2, 3, 4, 5]))
        );
        assert!(Weights::parse_form(&form(["0", "0", "0", "0", "0"])).is_err());
        let err = Weights::parse_form(&form(["1", "x", "3", "4", "5"])).unwrap_err();
        assert!(err.contains("政策解读率"), "{err}");
        assert!(Weights::parse_form(&form(["101", "0", "0", "0", "1"])).is_err());
    }
}
