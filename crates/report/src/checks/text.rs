//! Text helpers for the checks that read the running text (S-SECTIONS, X-COPY, N-*).
//!
//! Report texts come from Word, PDF text layers and web pages: words are broken by spaces and
//! line breaks ("三 、本 年 度办 理 结果", "2023 年", "申请 21\n件"), digits may be full-width.
//! The checks therefore work on a normalised copy: all whitespace removed, full-width digits
//! and ASCII-izable punctuation mapped, as a `Vec<char>` read only through `get`.

/// Characters the checks look for first: the first characters of the narrative triggers
/// (收到, 新收, 接收, 受理, 结转, 行政复议/诉讼, 未…, 没有…, 无…) and the section numerals 一–六.
/// [`Text::new`] records where each occurs in the same pass that normalises the text, so that
/// the checks visit only those places instead of scanning the whole text once per word.
const HEADS: [char; 15] = [
    '收', '新', '接', '受', '结', '行', '未', '没', '无', '一', '二', '三', '四', '五', '六',
];

/// The block of CJK ideographs the heads fall in, and a bitmap over it of which ones are heads:
/// a bit test rejects almost every character before the exact lookup.
const HEAD_BLOCK: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;
const HEAD_BITS: [u64; 328] = head_bits();

const fn head_bits() -> [u64; 328] {
    let mut bits = [0u64; 328];
    let mut k = 0;
    while k < HEADS.len() {
        let off = HEADS[k] as u32 - *HEAD_BLOCK.start();
        bits[(off / 64) as usize] |= 1u64 << (off % 64);
        k += 1;
    }
    bits
}

fn head_index(c: char) -> Option<usize> {
    let u = u32::from(c);
    let off = u.checked_sub(*HEAD_BLOCK.start())?;
    let word = HEAD_BITS.get((off / 64) as usize)?;
    if word & (1u64 << (off % 64)) == 0 {
        return None;
    }
    HEADS.iter().position(|&h| h == c)
}

/// The normalised text as characters. Built once per report and shared by every check that
/// reads the text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    pub chars: Vec<char>,
    /// For each of [`HEADS`], its positions in `chars`, ascending.
    heads: [Vec<usize>; HEADS.len()],
}

impl Text {
    pub fn new(raw: &str) -> Self {
        // Never more characters than bytes: one allocation.
        let mut chars = Vec::with_capacity(raw.len());
        let mut heads: [Vec<usize>; HEADS.len()] = Default::default();
        for c in raw.chars() {
            let u = u32::from(c);
            // Three paths by range, each doing only what can apply there: this loop runs over
            // every character of the report.
            let c = if u < 0x80 {
                // What `char::is_whitespace` says for ASCII.
                if matches!(c, ' ' | '\x09'..='\x0d') {
                    continue;
                }
                c
            } else if HEAD_BLOCK.contains(&u) {
                // CJK ideographs: never whitespace, never mapped; the heads are among them.
                if let Some(slot) = head_index(c).and_then(|k| heads.get_mut(k)) {
                    slot.push(chars.len());
                }
                c
            } else {
                if c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}') {
                    continue;
                }
                match c {
                    '０'..='９' => {
                        char::from_u32(u - u32::from('０') + u32::from('0')).unwrap_or(c)
                    }
                    '（' => '(',
                    '）' => ')',
                    c => c,
                }
            };
            chars.push(c);
        }
        Text { chars, heads }
    }

    /// The positions of `c`, ascending (borrowed when `c` is one of the heads).
    pub fn positions_of(&self, c: char) -> std::borrow::Cow<'_, [usize]> {
        match head_index(c).and_then(|k| self.heads.get(k)) {
            Some(v) => std::borrow::Cow::Borrowed(v.as_slice()),
            None => std::borrow::Cow::Owned(
                (0..self.chars.len())
                    .filter(|&i| self.at(i) == Some(c))
                    .collect(),
            ),
        }
    }

    /// The characters in `[from, to)` as a slice, clamped to the text.
    pub fn window(&self, from: usize, to: usize) -> &[char] {
        let to = to.min(self.chars.len());
        let from = from.min(to);
        self.chars.get(from..to).unwrap_or_default()
    }

    /// Whether `pat` occurs entirely within `[from, to)` (clamped to the text): what
    /// `self.slice(from, to).contains(pat)` says, without building the slice.
    pub fn contains_within(&self, from: usize, to: usize, pat: &str) -> bool {
        let to = to.min(self.chars.len());
        let n = pat.chars().count();
        if n == 0 {
            return true;
        }
        let Some(first) = pat.chars().next() else {
            return true;
        };
        (from..to)
            .take_while(|&k| k + n <= to)
            .any(|k| self.at(k) == Some(first) && self.starts_with_at(k, pat))
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// The characters in `[from, to)`, clamped to the text.
    pub fn slice(&self, from: usize, to: usize) -> String {
        let to = to.min(self.chars.len());
        let from = from.min(to);
        self.chars
            .get(from..to)
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    }

    /// Whether `pat` occurs at `i`.
    pub fn starts_with_at(&self, i: usize, pat: &str) -> bool {
        (i..).zip(pat.chars()).all(|(k, p)| self.at(k) == Some(p))
    }

    /// Every position where `pat` occurs.
    pub fn find_all(&self, pat: &str) -> Vec<usize> {
        let mut rest = pat.chars();
        let Some(first) = rest.next() else {
            return Vec::new();
        };
        let rest = rest.as_str();
        // Only where the first character is; the rest compared from the next position on.
        match head_index(first).and_then(|k| self.heads.get(k)) {
            Some(at) => at
                .iter()
                .copied()
                .filter(|&i| self.starts_with_at(i + 1, rest))
                .collect(),
            None => (0..self.chars.len())
                .filter(|&i| self.at(i) == Some(first) && self.starts_with_at(i + 1, rest))
                .collect(),
        }
    }

    /// Whether the text just before `i` ends with `pat`.
    pub fn ends_with_before(&self, i: usize, pat: &str) -> bool {
        let n = pat.chars().count();
        i >= n && self.starts_with_at(i - n, pat)
    }

    /// The clause around `i`: from after the previous clause delimiter to before the next
    /// (，。；！？ and their ASCII forms). Returns `[start, end)`.
    pub fn clause_bounds(&self, i: usize) -> (usize, usize) {
        let mut start = i.min(self.chars.len());
        while start > 0 && !self.at(start - 1).is_some_and(is_clause_delimiter) {
            start -= 1;
        }
        let mut end = i;
        while end < self.chars.len() && !self.at(end).is_some_and(is_clause_delimiter) {
            end += 1;
        }
        (start, end)
    }

    /// Where the sentence holding `i` starts (after the previous 。；！？).
    pub fn sentence_start(&self, i: usize) -> usize {
        let mut start = i.min(self.chars.len());
        while start > 0
            && !self
                .at(start - 1)
                .is_some_and(|c| matches!(c, '。' | '；' | ';' | '！' | '!' | '？' | '?'))
        {
            start -= 1;
        }
        start
    }

    /// Reads an ASCII whole number starting at `i`; returns it and the position after it.
    /// `None` if there is no digit at `i` or the number is too long to be a count.
    pub fn number_at(&self, i: usize) -> Option<(i64, usize)> {
        let mut end = i;
        while self.at(end).is_some_and(|c| c.is_ascii_digit()) {
            end += 1;
        }
        if end == i || end - i > 9 {
            return None;
        }
        self.slice(i, end).parse().ok().map(|n| (n, end))
    }
}

pub(crate) fn is_clause_delimiter(c: char) -> bool {
    matches!(c, '，' | ',' | '。' | '；' | ';' | '！' | '!' | '？' | '?')
}

/// Length of the longest common subsequence of two char slices (small inputs: titles).
///
/// Bit-parallel (Hyyrö's formulation of Allison–Dix): one machine word holds a DP column over
/// `a`, so a title of up to 64 characters costs a few word operations per character of `b`
/// instead of a row of the table. Longer `a` falls back to the table ([`lcs_len_dp`]).
pub(crate) fn lcs_len(a: &[char], b: &[char]) -> usize {
    let m = a.len();
    if m == 0 {
        return 0;
    }
    if m > 64 {
        return lcs_len_dp(a, b);
    }
    let live = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
    // A one-word Bloom filter of `a`'s characters: a character of `b` not in it matches
    // nowhere, and most of a window that is not a heading is such characters.
    let bloom = a
        .iter()
        .fold(0u64, |acc, &c| acc | (1u64 << (u32::from(c) % 64)));
    let mut v = u64::MAX;
    for &cb in b {
        let mut matches = 0u64;
        if bloom & (1u64 << (u32::from(cb) % 64)) != 0 {
            for (k, &ca) in a.iter().enumerate() {
                matches |= u64::from(ca == cb) << k;
            }
        }
        let u = v & matches;
        v = v.wrapping_add(u) | v.wrapping_sub(u);
    }
    (!v & live).count_ones() as usize
}

/// [`lcs_len`] by the textbook table: for titles longer than a word, and as the reference the
/// bit-parallel version is tested against.
pub(crate) fn lcs_len_dp(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &ca in a {
        for (j, &cb) in b.iter().enumerate() {
            let diag = prev.get(j).copied().unwrap_or(0);
            let up = prev.get(j + 1).copied().unwrap_or(0);
            let left = cur.get(j).copied().unwrap_or(0);
            let v = if ca == cb { diag + 1 } else { up.max(left) };
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = v;
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// Whether `s` contains any of `words`.
pub(crate) fn contains_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// Four-digit years (19xx/20xx followed by 年) mentioned in `s`.
pub(crate) fn years_mentioned(s: &str) -> Vec<i32> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i).is_some_and(|c| c.is_ascii_digit())
            && !(i > 0 && chars.get(i - 1).is_some_and(|c| c.is_ascii_digit()))
        {
            let mut end = i;
            while chars.get(end).is_some_and(|c| c.is_ascii_digit()) {
                end += 1;
            }
            if end - i == 4 && chars.get(end) == Some(&'年') {
                let y: String = chars
                    .get(i..end)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default();
                if let Ok(y) = y.parse::<i32>()
                    && (1990..=2100).contains(&y)
                {
                    out.push(y);
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spaces_and_digits() {
        let t = Text::new("三 、本 年 度\n申请 ２1 件");
        assert_eq!(t.slice(0, 100), "三、本年度申请21件");
        assert_eq!(t.number_at(7), Some((21, 9)));
    }

    #[test]
    fn lcs() {
        let a: Vec<char> = "总体情况".chars().collect();
        let b: Vec<char> = "2023年总体情况概述".chars().collect();
        assert_eq!(lcs_len(&a, &b), 4);
        assert_eq!(lcs_len(&a, &[]), 0);
    }

    /// The bit-parallel LCS equals the table on many small strings over a small alphabet
    /// (where common subsequences are long and varied).
    #[test]
    fn lcs_bits_match_table() {
        let alphabet = ['情', '况', '总', '体', '、', '公'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..5000 {
            let la = next(20);
            let lb = next(35);
            let a: Vec<char> = (0..la).map(|_| alphabet[next(alphabet.len())]).collect();
            let b: Vec<char> = (0..lb).map(|_| alphabet[next(alphabet.len())]).collect();
            assert_eq!(lcs_len(&a, &b), lcs_len_dp(&a, &b), "{a:?} {b:?}");
        }
        let long: Vec<char> = (0..70).map(|_| alphabet[next(alphabet.len())]).collect();
        let b: Vec<char> = (0..40).map(|_| alphabet[next(alphabet.len())]).collect();
        assert_eq!(lcs_len(&long, &b), lcs_len_dp(&long, &b));
        let a64: Vec<char> = (0..64).map(|_| alphabet[next(alphabet.len())]).collect();
        assert_eq!(lcs_len(&a64, &b), lcs_len_dp(&a64, &b));
    }

    #[test]
    fn find_all_and_contains_within() {
        let t = Text::new("收到申请5件，未收到申请，其中收到1件。xyz收");
        assert_eq!(t.find_all("收到"), vec![0, 8, 15]);
        assert_eq!(t.find_all("收"), vec![0, 8, 15, 23]);
        assert_eq!(t.find_all("xy"), vec![20]);
        assert_eq!(t.find_all(""), Vec::<usize>::new());
        assert_eq!(t.positions_of('申').as_ref(), &[2, 10]);
        assert_eq!(t.positions_of('收').as_ref(), &[0, 8, 15, 23]);
        for (from, to) in [(0, 30), (12, 14), (11, 13), (12, 13), (20, 5)] {
            assert_eq!(
                t.contains_within(from, to, "其中"),
                t.slice(from, to).contains("其中"),
                "{from}..{to}"
            );
        }
    }

    #[test]
    fn years() {
        assert_eq!(years_mentioned("较2021年的60件，2022年"), vec![2021, 2022]);
        assert!(years_mentioned("12345年").is_empty());
    }
}
