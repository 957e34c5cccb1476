//! Lenient parsing of what a reader types into the search box.
//!
//! We never hand user text to tantivy's `QueryParser`: its syntax (`field:`, `AND`, `-`, `[a TO
//! b]`, unbalanced quotes) turns ordinary input into errors or surprises. Instead the text is cut
//! into words and quoted phrases, and the tantivy query is built from those (see `index.rs`).

use crate::tokenize::{self, Gram};

/// Longest query text considered, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 128;
/// At most this many words/phrases are used.
const MAX_GROUPS: usize = 8;
/// At most this many jieba terms per word.
const MAX_TERMS_PER_GROUP: usize = 16;

/// One word or quoted phrase of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// The text as typed (trimmed), used for highlighting.
    pub raw: String,
    /// Quoted: must occur exactly (as a substring, ignoring punctuation and case).
    pub phrase: bool,
    /// jieba search-mode terms (deduplicated, in order).
    pub words: Vec<String>,
    /// Bigram-field tokens for the exact-substring phrase (query mode).
    pub grams: Vec<Gram>,
}

impl Group {
    /// Strings to mark in snippets: the whole word first, then its jieba parts of ≥ 2
    /// characters (single characters would mark half the page).
    pub(crate) fn needles(&self) -> Vec<String> {
        let mut needles = vec![self.raw.clone()];
        if !self.phrase {
            needles.extend(
                self.words
                    .iter()
                    .filter(|w| w.chars().count() >= 2)
                    .cloned(),
            );
        }
        needles
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '＂' | '「' | '」' | '『' | '』')
}

/// Query operators people paste from other engines; they carry no meaning here.
fn is_operator(word: &str) -> bool {
    matches!(word, "AND" | "OR" | "NOT" | "&&" | "||" | "+" | "-" | "|")
}

fn make_group(raw: &str, phrase: bool) -> Option<Group> {
    let raw = raw
        .trim_matches(|c: char| c.is_whitespace() || (!phrase && matches!(c, '+' | '-' | '|')))
        .to_string();
    if raw.is_empty() || (!phrase && is_operator(&raw)) {
        return None;
    }
    let grams = tokenize::bigrams(&raw, true);
    if grams.is_empty() {
        // Only punctuation or symbols: nothing to look for.
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    for w in tokenize::jieba_words(&raw) {
        if !words.contains(&w) {
            words.push(w);
        }
        if words.len() >= MAX_TERMS_PER_GROUP {
            break;
        }
    }
    Some(Group {
        raw,
        phrase,
        words,
        grams,
    })
}

/// Splits query text into words and phrases. Straight and curly double quotes (and 「」) open and
/// close phrases; an unclosed quote is treated as if it were not there. Never fails.
pub(crate) fn parse(text: &str) -> Vec<Group> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUERY_CHARS)
        .collect();
    let mut groups = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let push = |s: &str, phrase: bool, groups: &mut Vec<Group>| {
        if phrase {
            groups.extend(make_group(s, true));
        } else {
            groups.extend(s.split_whitespace().filter_map(|w| make_group(w, false)));
        }
    };
    for c in text.chars() {
        if is_quote(c) {
            push(&current, in_quotes, &mut groups);
            current.clear();
            in_quotes = !in_quotes;
        } else {
            current.push(c);
        }
    }
    // Unbalanced quote: the tail is ordinary words.
    push(&current, false, &mut groups);
    groups.truncate(MAX_GROUPS);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raws(groups: &[Group]) -> Vec<(&str, bool)> {
        groups.iter().map(|g| (g.raw.as_str(), g.phrase)).collect()
    }

    #[test]
    fn words_and_phrases() {
        let g = parse("老旧小区 “人居环境整治” \"安全 隐患\" AND 五星");
        assert_eq!(
            raws(&g),
            vec![
                ("老旧小区", false),
                ("人居环境整治", true),
                ("安全 隐患", true),
                ("五星", false)
            ]
        );
    }

    #[test]
    fn odd_input_never_fails() {
        assert!(parse("").is_empty());
        assert!(parse("\"\"\"").is_empty());
        assert!(parse("AND OR NOT - + ||").is_empty());
        assert!(parse("！！！？？").is_empty());
        assert_eq!(raws(&parse("\"老旧小区")), vec![("老旧小区", false)]);
        let junk: String = "a\"(*)[]{}:^~\\/".repeat(200);
        let g = parse(&junk);
        assert!(g.len() <= MAX_GROUPS);
        let long = "政".repeat(2000);
        let g = parse(&long);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].raw.chars().count(), MAX_QUERY_CHARS);
    }
}
