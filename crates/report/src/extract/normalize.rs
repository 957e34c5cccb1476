//! Character normalisation shared by the token stream and the label matcher.
//!
//! Reports mix full-width and half-width forms freely (`（一）`/`(一)`, `１`/`1`, `．`/`.`), so both
//! the document and the canonical labels are folded the same way before anything is compared.

/// Folds one character: full-width ASCII forms to ASCII, the ideographic and no-break spaces to a
/// space. Everything else is kept.
pub(crate) fn fold(c: char) -> char {
    match c {
        '\u{3000}' | '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Whether `c` is a CJK ideograph (the unified blocks and their extensions that appear in
/// Chinese government documents).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x3007)
}

/// The character as it takes part in label matching, or `None` when it is dropped. Only
/// ideographs, ASCII letters and digits count: punctuation, quotes, brackets and spaces vary from
/// report to report ("1." / "1、" / "（1）", “三安全一稳定” / "三安全一稳定") and carry no meaning
/// for which row a label names. Circled numbers (①) are read as the digit they show.
pub(crate) fn match_char(c: char) -> Option<char> {
    let c = fold(c);
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_lowercase());
    }
    if is_cjk(c) {
        return Some(c);
    }
    match u32::from(c) {
        // ① .. ⑨
        0x2460..=0x2468 => char::from_digit(u32::from(c) - 0x2460 + 1, 10),
        _ => None,
    }
}

/// A label or anchor written in its readable form (with punctuation), reduced to match chars.
pub(crate) fn match_chars(text: &str) -> Vec<char> {
    text.chars().filter_map(match_char).collect()
}

/// The CJK numeral for 1..=10, as used in "（三）" and "四、".
pub(crate) fn cjk_numeral(n: u8) -> Option<char> {
    ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']
        .get(usize::from(n).checked_sub(1)?)
        .copied()
}

/// Whether `c` is a digit or a CJK numeral: what a row numbering is written with.
pub(crate) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
}

/// Whether `needle` occurs in `hay` (both already reduced to match chars).
pub(crate) fn contains(hay: &[char], needle: &[char]) -> bool {
    if needle.is_empty() {
        return true;
    }
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_forms() {
        assert_eq!(fold('１'), '1');
        assert_eq!(fold('（'), '(');
        assert_eq!(fold('．'), '.');
        assert_eq!(fold('\u{3000}'), ' ');
        assert_eq!(fold('、'), '、');
    }

    #[test]
    fn match_chars_drop_punctuation_and_spaces() {
        assert_eq!(
            match_chars("3.危及“三安全一稳定”"),
            match_chars("３、危 及三安全一稳定")
        );
        assert_eq!(match_chars("①属于"), vec!['1', '属', '于']);
    }
}
