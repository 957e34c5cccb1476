//! Who the applicant is: the 身份证明 of 条例 Art 29 ¶2(1) (申请人的姓名或者名称、身份证明、联系方式).
//!
//! - [`ResidentIdNumber`]: 公民身份号码, GB 11643-1999 (check character ISO 7064 MOD 11-2).
//! - [`CreditCode`]: 统一社会信用代码, GB 32100-2015 — for 法人或其他组织, and for organs in the store.
//! - [`IdDocument`]: the identity document a natural person gives on the form.
//! - [`ApplicantKey`]: one stable key per applicant, to find earlier applications of the same
//!   applicant (Art 36(6), see [`crate::repeat`]).
//! - Masking for lists and exports (issue 6): [`ResidentIdNumber::mask`], [`IdDocument::masked`],
//!   [`mask_phone`], [`mask_email`].
//!
//! Input typed with a Chinese IME is normalised first: full-width ASCII (`１２３Ｘ`) becomes
//! half-width and the ideographic space a space.

mod credit_code;
mod document;
mod resident_id;

pub use credit_code::CreditCode;
pub use document::{
    ApplicantKey, IdDocument, IdDocumentKind, IdDocumentRecord, OTHER_DOCUMENT_MAX_CHARS,
};
pub use resident_id::ResidentIdNumber;

/// Full-width ASCII forms (U+FF01–U+FF5E) to ASCII, the ideographic space (U+3000) to a space;
/// every other character unchanged.
pub(crate) fn half_width(c: char) -> char {
    match u32::from(c) {
        0x3000 => ' ',
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Keeps the first `head` and last `tail` characters and replaces each character in between by
/// `*` (the length stays visible, as on printed 告知书). A value too short to hide anything that
/// way is masked completely.
pub(crate) fn mask_middle(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n <= head + tail {
        return "*".repeat(n);
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

/// A telephone number for lists and exports: spaces removed, full-width digits normalised, then
/// the first 3 and last 4 characters kept (`138****5678`, `037******5678` for `0371-12345678`).
/// Numbers of 7 characters or fewer are masked completely.
pub fn mask_phone(phone: &str) -> String {
    let compact: String = phone
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    mask_middle(&compact, 3, 4)
}

/// An e-mail address for lists and exports: the first character of the local part and the whole
/// domain (`z***@example.com`). The number of hidden characters is not shown. Text without `@` is
/// treated as a local part without domain (`z***`).
pub fn mask_email(email: &str) -> String {
    let email = email.trim();
    let (local, domain) = match email.rsplit_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (email, None),
    };
    let mut masked: String = local.chars().take(1).collect();
    masked.push_str("***");
    if let Some(domain) = domain {
        masked.push('@');
        masked.push_str(domain);
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_maps_ime_forms() {
        let s: String = "１２３ｘＸ（）　Ａ".chars().map(half_width).collect();
        assert_eq!(s, "123xX() A");
        assert_eq!(half_width('中'), '中');
    }

    #[test]
    fn mask_middle_keeps_ends_or_hides_all() {
        assert_eq!(mask_middle("abcdefgh", 2, 2), "ab****gh");
        assert_eq!(mask_middle("abcd", 2, 2), "****");
        assert_eq!(mask_middle("", 2, 2), "");
    }
}
