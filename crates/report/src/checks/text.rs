//! Text helpers for the checks that read the running text (S-SECTIONS, X-COPY, N-*).
//!
//! Report texts come from Word, PDF text layers and web pages: words are broken by spaces and
//! line breaks ("三 、本 年 度办 理 结果", "2023 年", "申请 21\n件"), digits may be full-width.
//! The checks therefore work on a normalised copy: all whitespace removed, full-width digits
//! and ASCII-izable punctuation mapped, as a `Vec<char>` read only through `get`.

/// The normalised text as characters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    pub chars: Vec<char>,
}

impl Text {
    pub fn new(raw: &str) -> Self {
        let chars = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200b}' | '\u{feff}'))
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                '（' => '(',
                '）' => ')',
                c => c,
            })
            .collect();
        Text { chars }
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
        if pat.is_empty() {
            return Vec::new();
        }
        (0..self.chars.len())
            .filter(|&i| self.starts_with_at(i, pat))
            .collect()
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
pub(crate) fn lcs_len(a: &[char], b: &[char]) -> usize {
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

    #[test]
    fn years() {
        assert_eq!(years_mentioned("较2021年的60件，2022年"), vec![2021, 2022]);
        assert!(years_mentioned("12345年").is_empty());
    }
}
