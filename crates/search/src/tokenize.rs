//! Tokenizers: jieba words (precision) and CJK bigrams (recall and exact phrases).
//!
//! We wrap jieba-rs 0.11 ourselves (the same version tantivy-jieba 0.21 wraps) instead of using
//! `tantivy_jieba::JiebaTokenizer`: a custom jieba (needed for the user dictionary) is held there
//! by value, and tantivy clones the analyzer whenever it fetches it from the tokenizer manager
//! (each segment writer, query parser, snippet generator), deep-copying the whole dictionary. Here
//! it lives once behind an `Arc`. We also drop punctuation/space tokens, which tantivy-jieba
//! indexes, and fold full-width letters/digits and case.

use std::sync::{Arc, OnceLock};

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which the jieba analyzer is registered in the index.
pub(crate) const JIEBA: &str = "gk_jieba";
/// Name under which the bigram analyzer is registered in the index.
pub(crate) const BIGRAM: &str = "gk_bigram";

/// The 政务 user dictionary, editable as a data file (see its header).
const USER_DICT: &str = include_str!("../data/user_dict.txt");

/// jieba's dictionary is compiled into jieba-rs (`include-flate`), so this never touches the
/// network or the disk. Building it costs a few hundred ms, hence one shared instance per process.
fn jieba() -> Arc<Jieba> {
    static JIEBA_INSTANCE: OnceLock<Arc<Jieba>> = OnceLock::new();
    JIEBA_INSTANCE
        .get_or_init(|| {
            let mut jieba = Jieba::new();
            for (word, freq) in user_dict_entries(USER_DICT) {
                jieba.add_word(word, freq, None);
            }
            Arc::new(jieba)
        })
        .clone()
}

/// Parses the user dictionary leniently: a malformed frequency is ignored rather than failing the
/// whole search service at start-up.
fn user_dict_entries(text: &str) -> impl Iterator<Item = (&str, Option<usize>)> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next()?;
        let freq = parts.next().and_then(|f| f.parse::<usize>().ok());
        Some((word, freq))
    })
}

/// Han ideographs (basic, extension A, compatibility, extensions B and later).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Full-width ASCII (ＡＢＣ１２３, common in 公文) to half-width, then lowercase, so that both
/// spellings find each other.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A token is worth indexing if it carries a letter, digit or ideograph (not "，" or " ").
fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// jieba search-mode tokens of `text` (normalized, punctuation dropped), in text order.
pub(crate) fn jieba_words(text: &str) -> Vec<String> {
    let normalized = normalize(text);
    jieba()
        .tokenize(&normalized, TokenizeMode::Search, true)
        .into_iter()
        .filter(|t| is_word(t.word))
        .map(|t| t.word.to_string())
        .collect()
}

/// One bigram-field token: its ordinal position and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gram {
    pub position: usize,
    pub text: String,
}

/// Splits text into runs: CJK runs become overlapping bigrams, other alphanumeric runs become
/// words. Every CJK character *starts* a token at its own position (a run's last character is
/// emitted as a unigram), so any substring maps to a phrase of consecutive positions and a
/// single character can be found with a prefix query.
///
/// With `for_query`, a run's trailing unigram is left out (the document may continue the run, as
/// in 老旧小区|改造), except for one-character runs; the caller then treats a final single
/// character as a prefix. Positions advance identically in both modes.
pub(crate) fn bigrams(text: &str, for_query: bool) -> Vec<Gram> {
    let normalized = normalize(text);
    let mut grams = Vec::new();
    let mut position = 0usize;
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();

    let flush_run = |run: &mut Vec<char>, grams: &mut Vec<Gram>, position: &mut usize| {
        let n = run.len();
        for (i, pair) in run.windows(2).enumerate() {
            grams.push(Gram {
                position: *position + i,
                text: pair.iter().collect(),
            });
        }
        if let Some(last) = run.last()
            && (!for_query || n == 1)
        {
            grams.push(Gram {
                position: *position + n - 1,
                text: last.to_string(),
            });
        }
        *position += n;
        run.clear();
    };
    let flush_word = |word: &mut String, grams: &mut Vec<Gram>, position: &mut usize| {
        if !word.is_empty() {
            grams.push(Gram {
                position: *position,
                text: std::mem::take(word),
            });
            *position += 1;
        }
    };

    for c in normalized.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut grams, &mut position);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut grams, &mut position);
            word.push(c);
        } else {
            flush_run(&mut run, &mut grams, &mut position);
            flush_word(&mut word, &mut grams, &mut position);
        }
    }
    flush_run(&mut run, &mut grams, &mut position);
    flush_word(&mut word, &mut grams, &mut position);
    grams
}

/// A token stream over precomputed tokens (simplest correct way to feed tantivy).
pub(crate) struct VecTokenStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        Self {
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// tantivy analyzer for the jieba fields. Offsets are not recorded (fields index frequencies
/// only; snippets are built from stored text), positions are ordinals.
#[derive(Clone)]
pub(crate) struct JiebaAnalyzer {
    jieba: Arc<Jieba>,
}

impl JiebaAnalyzer {
    pub(crate) fn new() -> Self {
        Self { jieba: jieba() }
    }
}

impl Tokenizer for JiebaAnalyzer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let normalized = normalize(text);
        let tokens = self
            .jieba
            .tokenize(&normalized, TokenizeMode::Search, true)
            .into_iter()
            .filter(|t| is_word(t.word))
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text: t.word.to_string(),
                position_length: 1,
            })
            .collect();
        VecTokenStream::new(tokens)
    }
}

/// tantivy analyzer for the bigram fields (see [`bigrams`]).
#[derive(Clone, Default)]
pub(crate) struct BigramAnalyzer;

impl Tokenizer for BigramAnalyzer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let tokens = bigrams(text, false)
            .into_iter()
            .map(|g| Token {
                offset_from: 0,
                offset_to: 0,
                position: g.position,
                text: g.text,
                position_length: 1,
            })
            .collect();
        VecTokenStream::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(grams: &[Gram]) -> Vec<(usize, &str)> {
        grams
            .iter()
            .map(|g| (g.position, g.text.as_str()))
            .collect()
    }

    #[test]
    fn user_dictionary_keeps_policy_terms_whole() {
        let words = jieba_words("西市场街道推进老旧小区改造和人居环境整治");
        assert!(words.iter().any(|w| w == "老旧小区改造"), "{words:?}");
        assert!(words.iter().any(|w| w == "人居环境整治"), "{words:?}");
        // Search mode also yields the parts, so 小区 alone still finds the document.
        assert!(words.iter().any(|w| w == "小区"), "{words:?}");
        assert!(!words.iter().any(|w| w == "，" || w.trim().is_empty()));
    }

    #[test]
    fn bigrams_cover_every_character() {
        let grams = bigrams("2023年老旧小区，改造", false);
        assert_eq!(
            texts(&grams),
            vec![
                (0, "2023"),
                (1, "年老"),
                (2, "老旧"),
                (3, "旧小"),
                (4, "小区"),
                (5, "区"),
                (6, "改造"),
                (7, "造"),
            ]
        );
        let query = bigrams("老旧小区", true);
        assert_eq!(texts(&query), vec![(0, "老旧"), (1, "旧小"), (2, "小区")]);
        assert_eq!(texts(&bigrams("税", true)), vec![(0, "税")]);
    }

    #[test]
    fn normalization_folds_full_width_and_case() {
        assert_eq!(normalize("ＰＭ２．５　Ab"), "pm2.5 ab");
    }

    #[test]
    fn user_dict_parser_is_lenient() {
        let entries: Vec<_> = user_dict_entries("# c\n\n词 12\n另一个 x\n").collect();
        assert_eq!(entries, vec![("词", Some(12)), ("另一个", None)]);
    }
}
