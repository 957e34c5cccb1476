//! Fuzzy row-label matching.
//!
//! A row label is recognised at the **end** of a run of text (the values follow it), tolerant of
//! what real reports do to labels:
//!
//! - spaces inside words and lines broken anywhere ("三 、本 年 度办 理 结果", "4.无正当理由大量反复
//!   申请"): the run holds match chars only (see `normalize::match_char`);
//! - numbering styles "1." / "1、" / "（1）" / "①" and full-width or half-width brackets: only the
//!   numeral itself is compared, and only as a bonus (or a penalty when another numeral stands
//!   there);
//! - typos and missing characters ("2.其他法律行政止公开"): the label is aligned against the tail
//!   of the run by edit distance with a free start (semi-global alignment), so any text in front of
//!   the label — header words, a group label, a vertical header — costs nothing;
//! - a label cut short because the numbers were printed beside its first line: the missing end
//!   costs one per character, like any other missing character;
//! - a label wrapped over several lines with the numbers beside a middle line (PDF tables whose
//!   cells are centred vertically): the lines after the numbers open the next run, and
//!   [`Label::score_continued`] lets the label go on into that run's beginning — its
//!   *continuation* — rather than counting the end as missing.
//!
//! Short labels ("其他", "总计", "规章") would match header words, so they must be exact and, when
//! the label has a numbering, carry it (or stand alone in the run).

use super::normalize::{cjk_numeral, is_numeral, match_chars};

/// A canonical row label: one or more printed variants and the row's numbering, if any.
#[derive(Debug, Clone)]
pub struct Label {
    variants: Vec<Variant>,
    numbering: Option<u8>,
}

#[derive(Debug, Clone)]
struct Variant {
    chars: Vec<char>,
    /// The bucket of each character in a [`CharSet`], for the first filter.
    buckets: Vec<usize>,
}

impl Variant {
    /// At least 60% of the label's characters are in the text, all of them for a label of one or
    /// two (see the thresholds in [`Label::score_continued`]).
    fn mostly_in(&self, set: &CharSet) -> bool {
        let m = self.chars.len();
        let present = self.buckets.iter().filter(|b| set.has(**b)).count();
        present * 10 >= m * 6 && (m > 2 || present == m)
    }
}

/// Labels this short are matched exactly (or one edit away with their numbering) and are never
/// continued past the values: they fit on one line.
const MAX_SHORT: usize = 5;

/// How many bits a [`CharSet`] has: enough that distinct CJK characters rarely share one.
const SET_BITS: usize = 1024;

/// A set of characters, hashed into [`SET_BITS`] buckets: a cheap necessary condition before the
/// alignment (a label whose characters are mostly absent from the text cannot match it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CharSet([u64; SET_BITS / 64]);

impl Default for CharSet {
    fn default() -> Self {
        CharSet([0; SET_BITS / 64])
    }
}

fn bucket(c: char) -> usize {
    (u32::from(c).wrapping_mul(2_654_435_761) >> 22) as usize % SET_BITS
}

impl CharSet {
    pub(crate) fn of(chars: &[char]) -> Self {
        let mut set = CharSet::default();
        for c in chars {
            let b = bucket(*c);
            if let Some(word) = set.0.get_mut(b / 64) {
                *word |= 1u64 << (b % 64);
            }
        }
        set
    }

    /// Adds the characters of `chars`.
    pub(crate) fn extend(&mut self, chars: &[char]) {
        for (word, other) in self.0.iter_mut().zip(CharSet::of(chars).0) {
            *word |= other;
        }
    }

    fn has(&self, b: usize) -> bool {
        self.0
            .get(b / 64)
            .is_some_and(|w| w & (1u64 << (b % 64)) != 0)
    }
}

/// How the character in front of a matched label relates to the expected numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    /// The label has no numbering.
    NotExpected,
    /// The expected numeral is there ("2" or "二").
    Found,
    /// Another numeral is there.
    Conflict,
    /// No numeral there.
    Missing,
}

/// How far back from the end of a run a label is looked for: the longest canonical label has 34
/// match chars; an alignment is accepted with at most 40% of its length in edits.
pub(crate) const WINDOW: usize = 2 * 34 + 8;

impl Label {
    /// A label from its printed variants (punctuation and numbering are dropped here: pass the core
    /// words, e.g. `"属于国家秘密"`) and its numbering (`Some(1)` for "1." as well as for "（一）").
    pub fn new(variants: &[&str], numbering: Option<u8>) -> Label {
        let variants = variants
            .iter()
            .map(|v| {
                let chars = match_chars(v);
                Variant {
                    buckets: chars.iter().map(|c| bucket(*c)).collect(),
                    chars,
                }
            })
            .filter(|v| !v.chars.is_empty())
            .collect();
        Label {
            variants,
            numbering,
        }
    }

    /// How well `text` ends with this label: `None` when it does not, else a score (about 0.7 to
    /// 1.2; higher is better) to compare candidate labels for the same text.
    pub fn score_text(&self, text: &str) -> Option<f32> {
        let run = match_chars(text);
        let tail = run
            .get(run.len().saturating_sub(WINDOW)..)
            .unwrap_or_default();
        self.score(&run, &CharSet::of(tail))
    }

    /// The highest score a text can get: an exact match carrying the numbering.
    pub(crate) fn best_possible(&self) -> f32 {
        if self.numbering.is_some() { 1.2 } else { 1.0 }
    }

    /// [`Label::score_text`] on text already reduced to match chars; `set` holds (at least) the
    /// characters of the last [`WINDOW`] chars of `run`.
    pub(crate) fn score(&self, run: &[char], set: &CharSet) -> Option<f32> {
        self.score_continued(run, set, &[])
    }

    /// [`Label::score`] of a label that may go on after the values, into `continuation` (the
    /// beginning of the next run): a label wrapped over several lines whose numbers were printed
    /// beside one of its first lines. The label must still begin before the values; how far it
    /// goes on is whatever fits it best, and the rest of the continuation costs nothing (it is
    /// the next row's label). Labels of up to [`MAX_SHORT`] chars fit on one line and are never
    /// continued.
    pub(crate) fn score_continued(
        &self,
        run: &[char],
        set: &CharSet,
        continuation: &[char],
    ) -> Option<f32> {
        self.variants
            .iter()
            .filter_map(|v| self.score_variant(v, run, set, continuation))
            .fold(None, |best: Option<f32>, s| {
                Some(best.map_or(s, |b| b.max(s)))
            })
    }

    fn score_variant(
        &self,
        variant: &Variant,
        run: &[char],
        set: &CharSet,
        continuation: &[char],
    ) -> Option<f32> {
        let label = variant.chars.as_slice();
        let m = label.len();
        if m == 0 || run.is_empty() {
            return None;
        }
        let w = run.len().min(2 * m + 8);
        let offset = run.len() - w;
        let run_tail = run.get(offset..)?;
        let (cost, start) = if run_tail.ends_with(label) {
            // The common case, and nothing after the values can improve on it.
            (0, w - m)
        } else if m > MAX_SHORT && !continuation.is_empty() {
            let continuation = continuation.get(..m.min(continuation.len()))?;
            let mut set = set.clone();
            set.extend(continuation);
            if !variant.mostly_in(&set) {
                return None;
            }
            let mut tail = run_tail.to_vec();
            tail.extend_from_slice(continuation);
            align(label, &tail, w)?
        } else {
            if !variant.mostly_in(set) {
                return None;
            }
            align(label, run_tail, w)?
        };
        let before = (offset + start)
            .checked_sub(1)
            .and_then(|i| run.get(i))
            .copied();
        let numbering = match self.numbering {
            None => Numbering::NotExpected,
            Some(n) => match before {
                Some(c) if char::from_digit(u32::from(n), 10) == Some(c) => Numbering::Found,
                Some(c) if cjk_numeral(n) == Some(c) => Numbering::Found,
                Some(c) if is_numeral(c) => Numbering::Conflict,
                _ => Numbering::Missing,
            },
        };
        let sim = 1.0 - cost as f32 / m as f32;
        if m <= 2 {
            // Short labels are header words too ("其他", "总计"): exact, and numbered or alone.
            let alone = offset + start == 0 && run.len() == m;
            return match numbering {
                _ if cost > 0 => None,
                Numbering::NotExpected => Some(1.0),
                Numbering::Found => Some(1.2),
                Numbering::Missing if alone => Some(1.0),
                Numbering::Missing | Numbering::Conflict => None,
            };
        }
        let score = sim
            + match numbering {
                Numbering::Found => 0.2,
                Numbering::Conflict => -0.3,
                Numbering::NotExpected | Numbering::Missing => 0.0,
            };
        if m <= MAX_SHORT {
            // One edit turns 予以公开 into 不予公开: short labels are exact, or one edit away and
            // carrying their numbering.
            return match (cost, numbering) {
                (0, _) | (1, Numbering::Found) => Some(score),
                _ => None,
            };
        }
        (sim >= 0.6 && score >= 0.7).then_some(score)
    }
}

/// Aligns `label` against the end of `tail`: the edit distance between `label` and some
/// substring `tail[start..end]`, plus one per character after `end` up to `charged` (the
/// characters from `charged` on are a continuation: free when left over, see
/// [`Label::score_continued`]). At least half of the label is printed before its numbers: the
/// label begins before `charged` and takes at most half its length from the continuation.
/// Returns the cost and `start`; `None` when the label can only be found in the continuation.
fn align(label: &[char], tail: &[char], charged: usize) -> Option<(u32, usize)> {
    let w = tail.len();
    // (cost, start of the aligned substring in `tail`), one column per prefix of `tail`.
    let mut prev: Vec<(u32, usize)> = (0..=w).map(|j| (0, j)).collect();
    let mut cur: Vec<(u32, usize)> = vec![(0, 0); w + 1];
    for (i, &lc) in label.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(first) = cur.first_mut() {
            *first = (row, 0);
        }
        for (j, &tc) in tail.iter().enumerate() {
            let diag = prev.get(j).copied().unwrap_or((u32::MAX / 2, 0));
            let up = prev.get(j + 1).copied().unwrap_or((u32::MAX / 2, 0));
            let left = cur.get(j).copied().unwrap_or((u32::MAX / 2, 0));
            let sub = (diag.0 + u32::from(lc != tc), diag.1);
            let del = (up.0 + 1, up.1);
            let ins = (left.0 + 1, left.1);
            let mut best = sub;
            if del.0 < best.0 {
                best = del;
            }
            if ins.0 < best.0 {
                best = ins;
            }
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = best;
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let mut best: Option<(u32, usize)> = None;
    for (j, &(cost, start)) in prev.iter().enumerate() {
        if start >= charged || j.saturating_sub(charged) * 2 > label.len() {
            continue;
        }
        let left_over = u32::try_from(charged.saturating_sub(j)).unwrap_or(u32::MAX);
        let total = cost.saturating_add(left_over);
        // On a tie the later end: the label as printed in full.
        if best.is_none_or(|(b, _)| total <= b) {
            best = Some((total, start));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_cost_counts_typos_and_trailing_text() {
        let label = match_chars("其他法律行政法规禁止公开");
        let tail = match_chars("三、本年度办理结果2.其他法律行政止公开");
        let (cost, _) = align(&label, &tail, tail.len()).unwrap();
        assert_eq!(cost, 3);
        let tail = match_chars("1.属于国家秘密");
        let (cost, start) = align(&match_chars("属于国家秘密"), &tail, tail.len()).unwrap();
        assert_eq!((cost, start), (0, 1));
        let tail = match_chars("予以公开三");
        let (cost, _) = align(&match_chars("予以公开"), &tail, tail.len()).unwrap();
        assert_eq!(cost, 1);
    }

    fn continued(label: &Label, run: &str, continuation: &str) -> Option<f32> {
        let run = match_chars(run);
        let tail = run.get(run.len().saturating_sub(WINDOW)..).unwrap();
        label.score_continued(&run, &CharSet::of(tail), &match_chars(continuation))
    }

    #[test]
    fn a_label_goes_on_after_its_numbers_into_the_next_run() {
        let fee = Label::new(
            &["申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"],
            Some(2),
        );
        // The numbers beside the middle of three lines; the group label printed in between.
        let run = "2.申请人逾期未按收费通知（六）其他处理要求缴纳费用、行政机关不";
        let continuation = "再处理其政府信息公开申请3.其他";
        assert!(
            fee.score_text(run).is_none(),
            "two thirds of it is not enough"
        );
        let score = continued(&fee, run, continuation).unwrap();
        assert!(score > 1.0, "{score}");
        // The rest of the continuation (the next row's label) costs nothing.
        let longer = "再处理其政府信息公开申请3.要求行政机关确认或重新出具已获取信息";
        assert_eq!(continued(&fee, run, longer), Some(score));
        // A complete label gains nothing from it.
        let whole = Label::new(&["属于国家秘密"], Some(1));
        assert_eq!(
            continued(&whole, "1.属于国家秘密", "2.其他法律行政法规禁止公开"),
            whole.score_text("1.属于国家秘密")
        );
    }

    #[test]
    fn a_label_found_only_after_the_numbers_is_not_continued() {
        // The label must begin before the values: a segment whose run is something else does
        // not take the next row's label for its own.
        let not_held = Label::new(&["本机关不掌握相关政府信息"], Some(1));
        assert!(continued(&not_held, "申请人情况", "1.本机关不掌握相关政府信息").is_none());
        assert!(continued(&not_held, "1.本机关不掌握相", "关政府信息").is_some());
        // Short labels fit on a line and are never continued: "开" after the numbers does not
        // make up for the missing character.
        let granted = Label::new(&["予以公开"], Some(1));
        assert_eq!(
            continued(&granted, "1.予以公", "开"),
            granted.score_text("1.予以公")
        );
        assert!(continued(&granted, "1.予以公", "开").unwrap() < granted.best_possible());
    }

    #[test]
    fn short_labels_need_their_numbering() {
        let other = Label::new(&["其他"], Some(3));
        assert!(other.score_text("3.其他").is_some());
        assert!(other.score_text("法律服务机构其他").is_none());
        assert!(other.score_text("其他").is_some());
        let rules = Label::new(&["规章"], None);
        assert!(
            rules
                .score_text("信息内容本年制发件数本年废止件数现行有效件数规章")
                .is_some()
        );
    }
}
