//! Whitespace normalisation shared by the HTML and DOCX readers.

/// Collapses whitespace the way a browser shows it, for one line or one cell paragraph:
///
/// - every run of whitespace, including no-break space (`&nbsp;`), the full-width space U+3000 and
///   the other Unicode spaces, becomes one ASCII space; zero-width characters disappear;
/// - a run made only of source line breaks and ordinary spaces (an HTML source line break between
///   two `<span>`s) disappears entirely when the characters on both sides are Chinese (wide), as in
///   CSS Text §4.1.2: Chinese has no spaces between words, so
///   `只计这一情形，\n不计其他情形` must read `只计这一情形，不计其他情形`;
/// - leading and trailing whitespace is removed.
pub(crate) fn collapse_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // The pending whitespace run: (seen at all, only source line breaks and ordinary spaces, has a line break).
    let mut pending = false;
    let mut soft_only = true;
    let mut has_break = false;
    let mut prev: Option<char> = None;
    // Ordinary characters are copied in runs (one `push_str` per run, not one `push` per
    // character): this runs over all the text of every HTML and DOCX document.
    let mut run_start: Option<usize> = None;
    for (i, c) in raw.char_indices() {
        if is_ordinary(c) {
            if pending {
                let drop = soft_only && has_break && prev.is_some_and(is_wide) && is_wide(c);
                if prev.is_some() && !drop {
                    out.push(' ');
                }
                pending = false;
            }
            if run_start.is_none() {
                run_start = Some(i);
            }
            prev = Some(c);
            continue;
        }
        if let Some(start) = run_start.take() {
            out.push_str(raw.get(start..i).unwrap_or_default());
        }
        if is_zero_width(c) {
            continue;
        }
        // White space (`is_ordinary` is false only for it and zero-width characters).
        if !pending {
            pending = true;
            soft_only = true;
            has_break = false;
        }
        match c {
            '\n' | '\r' => has_break = true,
            ' ' | '\t' => {}
            _ => soft_only = false,
        }
    }
    if let Some(start) = run_start {
        out.push_str(raw.get(start..).unwrap_or_default());
    }
    out
}

/// Neither white space ([`is_space`]) nor zero-width: a character copied as it is. Decided
/// without table lookups for ASCII and for the ranges that hold no space (all of CJK).
fn is_ordinary(c: char) -> bool {
    if c.is_ascii() {
        return !matches!(c, ' ' | '\t'..='\r');
    }
    if matches!(
        c,
        '\u{85}' | '\u{A0}' | '\u{AD}' | '\u{1680}' | '\u{2000}'
            ..='\u{206F}' | '\u{3000}' | '\u{FEFF}'
    ) {
        return !is_zero_width(c) && !is_space(c);
    }
    true
}

/// A table cell holding prose rather than a label or a number: more than 10 paragraphs or 500
/// characters. A table with such a cell is page layout (a two-column page: navigation beside the
/// article), whose text must come out as lines, not as one huge cell; report table cells hold at
/// most a long label (the longest, table 三's 勾稽关系 note, has about 40 characters).
pub(crate) fn is_prose_cell<S: AsRef<str>>(paragraphs: &[S]) -> bool {
    let non_empty = paragraphs.iter().filter(|p| !p.as_ref().is_empty()).count();
    let chars: usize = paragraphs.iter().map(|p| p.as_ref().chars().count()).sum();
    non_empty > 10 || chars > 500
}

/// Whitespace for collapsing: ASCII and Unicode white space, plus no-break spaces.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{3000}')
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Characters of the East Asian wide class (CJK ideographs, kana, CJK punctuation, full-width
/// forms), between which a source line break is not a space. Hangul is excluded as in CSS.
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{303E}'      // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        | '\u{3040}'..='\u{33FF}'    // kana, bopomofo, CJK strokes, enclosed and compatibility
        | '\u{3400}'..='\u{4DBF}'    // extension A
        | '\u{4E00}'..='\u{9FFF}'    // unified ideographs
        | '\u{F900}'..='\u{FAFF}'    // compatibility ideographs
        | '\u{FE10}'..='\u{FE1F}'    // vertical forms
        | '\u{FE30}'..='\u{FE4F}'    // CJK compatibility forms
        | '\u{FF01}'..='\u{FF60}'    // full-width forms
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}') // extensions B and later
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_and_trims() {
        assert_eq!(collapse_whitespace("  a \t\n b  "), "a b");
        assert_eq!(collapse_whitespace("总\u{3000}\u{3000}计"), "总 计");
        assert_eq!(collapse_whitespace("\u{a0}\u{a0}5\u{a0}"), "5");
        assert_eq!(collapse_whitespace("a\u{200b}b"), "ab");
        assert_eq!(collapse_whitespace(""), "");
        assert_eq!(collapse_whitespace(" \n "), "");
    }

    #[test]
    fn ordinary_characters_are_neither_space_nor_zero_width() {
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            assert_eq!(
                is_ordinary(c),
                !is_space(c) && !is_zero_width(c),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn source_line_breaks_between_chinese_vanish() {
        assert_eq!(
            collapse_whitespace("（二）部分公开（区分处理的，只计这一情形，\n   不计其他情形）"),
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        );
        // An explicit space between Chinese characters is kept (as one space).
        assert_eq!(collapse_whitespace("结果 维持"), "结果 维持");
        // A line break next to a digit or Latin letter is a space.
        assert_eq!(collapse_whitespace("共\n21\n件"), "共 21 件");
    }
}
