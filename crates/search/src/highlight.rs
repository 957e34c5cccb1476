//! Snippets with `<mark>`: our own, substring-based.
//!
//! tantivy's `SnippetGenerator` re-tokenizes with the field's analyzer and marks tokens; with
//! overlapping jieba search-mode tokens and bigrams that gives fragmented marks. Readers expect
//! the words they typed to be marked as written, so we look for the query's words (and, when a
//! word does not occur literally, its jieba parts) as substrings of the stored plain text.

/// HTML-escapes text for element content and attribute values.
pub(crate) fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// At most this many matches are considered per text, so a pathological body cannot make
/// snippet building slow.
const MAX_MATCHES: usize = 256;

/// Collapses runs of whitespace (line breaks from extracted documents) to one space.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Byte ranges of needle occurrences, merged, ASCII case-insensitive. Longer needles win where
/// they overlap shorter ones.
fn find_ranges(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let haystack = text.to_ascii_lowercase();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for needle in needles {
        if needle.is_empty() {
            continue;
        }
        let needle = needle.to_ascii_lowercase();
        for (start, found) in haystack.match_indices(needle.as_str()).take(MAX_MATCHES) {
            ranges.push((start, start + found.len()));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Byte index reached after `chars` characters from `from` (or the end).
fn advance_chars(text: &str, from: usize, chars: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.char_indices().nth(chars).map(|(i, _)| from + i))
        .unwrap_or(text.len())
}

/// Byte index `chars` characters before `from` (or 0).
fn back_chars(text: &str, from: usize, chars: usize) -> usize {
    text.get(..from)
        .and_then(|head| head.char_indices().rev().nth(chars.saturating_sub(1)))
        .map_or(0, |(i, _)| i)
}

fn render(text: &str, ranges: &[(usize, usize)], from: usize, to: usize) -> String {
    let mut out = String::with_capacity((to - from) * 2);
    if from > 0 {
        out.push('…');
    }
    let mut cursor = from;
    for &(start, end) in ranges {
        if end <= from || start >= to {
            continue;
        }
        let start = start.max(from);
        let end = end.min(to);
        escape_html(text.get(cursor..start).unwrap_or(""), &mut out);
        out.push_str("<mark>");
        escape_html(text.get(start..end).unwrap_or(""), &mut out);
        out.push_str("</mark>");
        cursor = end;
    }
    escape_html(text.get(cursor..to).unwrap_or(""), &mut out);
    if to < text.len() {
        out.push('…');
    }
    out
}

/// Whole text, escaped, with every needle marked (for titles).
pub(crate) fn highlight_all(text: &str, needles: &[String]) -> String {
    let text = collapse_whitespace(text);
    let ranges = find_ranges(&text, needles);
    render(&text, &ranges, 0, text.len())
}

/// A window of about `max_chars` characters around the densest group of matches, escaped and
/// marked. `None` when nothing matches (the caller then tries another field).
pub(crate) fn snippet(text: &str, needles: &[String], max_chars: usize) -> Option<String> {
    let text = collapse_whitespace(text);
    let ranges = find_ranges(&text, needles);
    if ranges.is_empty() {
        return None;
    }
    // Each window starts a little before a match; pick the one covering the most marked text.
    let lead = max_chars / 6;
    let mut best: Option<(usize, usize, usize)> = None; // (covered bytes, from, to)
    for &(start, _) in &ranges {
        let from = floor_boundary(&text, back_chars(&text, start, lead));
        let to = ceil_boundary(&text, advance_chars(&text, from, max_chars));
        let covered: usize = ranges
            .iter()
            .filter(|&&(s, e)| s >= from && e <= to)
            .map(|&(s, e)| e - s)
            .sum();
        if best.is_none_or(|(b, _, _)| covered > b) {
            best = Some((covered, from, to));
        }
    }
    best.map(|(_, from, to)| render(&text, &ranges, from, to))
}

/// The beginning of a text, escaped (when no query word occurs in it).
pub(crate) fn lead(text: &str, max_chars: usize) -> String {
    let text = collapse_whitespace(text);
    let to = advance_chars(&text, 0, max_chars);
    render(&text, &[], 0, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_string()).collect()
    }

    #[test]
    fn marks_and_escapes() {
        let html = highlight_all(
            "<b>老旧小区</b>改造 & 小区",
            &needles(&["老旧小区改造", "小区"]),
        );
        assert_eq!(
            html,
            "&lt;b&gt;老旧<mark>小区</mark>&lt;/b&gt;改造 &amp; <mark>小区</mark>"
        );
    }

    #[test]
    fn snippet_windows_around_the_match() {
        let body = format!("{}老旧小区改造{}", "前".repeat(300), "后".repeat(300));
        let html = snippet(&body, &needles(&["老旧小区改造"]), 60).unwrap_or_default();
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>老旧小区改造</mark>"));
        assert!(html.chars().count() < 90);
        assert!(snippet("无关内容", &needles(&["老旧"]), 60).is_none());
    }

    #[test]
    fn overlapping_needles_merge() {
        let html = highlight_all("安全隐患排查", &needles(&["安全隐患", "隐患排查"]));
        assert_eq!(html, "<mark>安全隐患排查</mark>");
    }

    #[test]
    fn lead_cuts_on_char_boundaries() {
        assert_eq!(lead("一二三四五", 3), "一二三…");
        assert_eq!(lead("短", 3), "短");
    }
}
