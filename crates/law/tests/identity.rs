//! Identity documents of the application form (条例 Art 29 ¶2(1)): 居民身份证号码 (GB 11643-1999),
//! 统一社会信用代码 (GB 32100-2015), the other documents, and masking for lists and exports.
//!
//! The 身份证 numbers here are made up (area code + birth date + sequence) with a check character
//! computed by the test's own implementation of ISO 7064 MOD 11-2 — no real person's number.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use gongkai_law::identity::{
    ApplicantKey, CreditCode, IdDocument, IdDocumentKind, IdDocumentRecord, ResidentIdNumber,
    mask_email, mask_phone,
};
use gongkai_law::{CreditCodeError, IdDocumentError, ResidentIdError};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// ISO 7064 MOD 11-2 written from the definition, independent of the crate: weights `2^(n-1)
/// mod 11` for the position `n` counted from the right (the check is position 1), and the check
/// value `v` makes `Σ + v ≡ 1 (mod 11)`; 10 is written `X`.
fn mod11_2(body: &str) -> char {
    assert_eq!(body.len(), 17);
    let sum: u64 = body
        .chars()
        .enumerate()
        .map(|(i, c)| u64::from(c.to_digit(10).unwrap()) * (2u64.pow(17 - i as u32) % 11))
        .sum();
    let v = (0..11).find(|v| (sum + v) % 11 == 1).unwrap();
    if v == 10 {
        'X'
    } else {
        char::from_digit(v as u32, 10).unwrap()
    }
}

fn valid(body: &str) -> String {
    format!("{body}{}", mod11_2(body))
}

#[test]
fn the_brief_example_validates_with_an_independently_computed_check() {
    // Area 110101 (北京市东城区), born 1990-03-07, sequence 123.
    let number = valid("11010119900307123");
    assert_eq!(number, "110101199003071233");
    let id = ResidentIdNumber::parse(&number, today()).unwrap();
    assert_eq!(id.as_str(), number);
    assert_eq!(id.area_code(), "110101");
    assert_eq!(
        id.birth_date(),
        NaiveDate::from_ymd_opt(1990, 3, 7).unwrap()
    );
    assert_eq!(
        ResidentIdNumber::check_char_for("11010119900307123"),
        Some('3')
    );
}

#[test]
fn other_made_up_vectors_validate() {
    for body in [
        "41010219800101001", // 郑州市中原区, 1980-01-01
        "44030420000229567", // leap day 2000-02-29
        "11010119000101001", // the earliest accepted birth date
        "11010120261125001", // born today
        "11010119900307002", // check character X
    ] {
        let number = valid(body);
        assert!(
            ResidentIdNumber::parse(&number, today()).is_ok(),
            "{number}"
        );
    }
    assert_eq!(valid("11010119900307002"), "11010119900307002X");
}

#[test]
fn lower_case_x_full_width_and_spaces_around_are_normalised() {
    let id = ResidentIdNumber::parse(" 11010119900307002x ", today()).unwrap();
    assert_eq!(id.as_str(), "11010119900307002X");
    let id = ResidentIdNumber::parse("１１０１０１１９９００３０７００２Ｘ", today()).unwrap();
    assert_eq!(id.as_str(), "11010119900307002X");
    let id = ResidentIdNumber::parse("　１１０１０１１９９００３０７１２３３　", today()).unwrap();
    assert_eq!(id.as_str(), "110101199003071233");
    let id = ResidentIdNumber::parse("11010119900307002ｘ", today()).unwrap();
    assert_eq!(id.as_str(), "11010119900307002X");
}

#[test]
fn wrong_length_is_refused() {
    let err = ResidentIdNumber::parse("11010119900307123", today()).unwrap_err();
    assert_eq!(err, ResidentIdError::Length(17));
    assert!(err.to_string().contains("身份证号码应为18位"), "{err}");
    let err = ResidentIdNumber::parse("1101011990030712333", today()).unwrap_err();
    assert_eq!(err, ResidentIdError::Length(19));
    assert_eq!(
        ResidentIdNumber::parse("", today()).unwrap_err(),
        ResidentIdError::Length(0)
    );
    // A first-generation 15-digit number gets its own explanation.
    let err = ResidentIdNumber::parse("110101900307123", today()).unwrap_err();
    assert_eq!(err, ResidentIdError::Legacy15);
    assert!(err.to_string().contains("15位的旧号码"), "{err}");
}

#[test]
fn bad_characters_are_refused_with_their_position() {
    let err = ResidentIdNumber::parse("1101011990030X1233", today()).unwrap_err();
    assert_eq!(
        err,
        ResidentIdError::Char {
            position: 14,
            found: 'X'
        }
    );
    assert!(err.to_string().contains("第14位"), "{err}");
    let err = ResidentIdNumber::parse("11010119900307123A", today()).unwrap_err();
    assert_eq!(
        err,
        ResidentIdError::Char {
            position: 18,
            found: 'A'
        }
    );
    assert!(ResidentIdNumber::parse("'; DROP TABLE x; --'''", today()).is_err());
}

#[test]
fn impossible_birth_dates_are_refused() {
    // 30 February does not exist, whatever the check character says.
    let err = ResidentIdNumber::parse(&valid("11010119900230123"), today()).unwrap_err();
    assert_eq!(
        err,
        ResidentIdError::BirthDate {
            digits: "19900230".into()
        }
    );
    assert!(
        err.to_string().contains("身份证号码第7–14位的出生日期无效"),
        "{err}"
    );
    // 29 February of a year that is not a leap year; month 13; day 00.
    for body in [
        "11010119000229123",
        "11010119901301123",
        "11010119900300123",
    ] {
        assert!(
            matches!(
                ResidentIdNumber::parse(&valid(body), today()),
                Err(ResidentIdError::BirthDate { .. })
            ),
            "{body}"
        );
    }
}

#[test]
fn birth_dates_after_today_or_before_1900_are_refused() {
    let err = ResidentIdNumber::parse(&valid("11010120261126001"), today()).unwrap_err();
    assert!(
        matches!(err, ResidentIdError::BirthInFuture { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("晚于今天2026-11-25"), "{err}");
    // The same number read back later (validated at entry) is accepted by parse_stored.
    assert!(ResidentIdNumber::parse_stored(&valid("11010120261126001")).is_ok());

    let err = ResidentIdNumber::parse(&valid("11010118991231001"), today()).unwrap_err();
    assert!(
        matches!(err, ResidentIdError::BirthBefore1900 { .. }),
        "{err:?}"
    );
    assert!(ResidentIdNumber::parse_stored(&valid("11010118991231001")).is_err());
}

#[test]
fn a_wrong_check_character_is_refused() {
    let err = ResidentIdNumber::parse("110101199003071234", today()).unwrap_err();
    assert_eq!(err, ResidentIdError::CheckChar);
    assert!(
        err.to_string().contains("身份证号码校验位不正确，请核对"),
        "{err}"
    );
    // Two adjacent digits swapped (123 → 213) is caught too.
    assert_eq!(
        ResidentIdNumber::parse("110101199003072133", today()).unwrap_err(),
        ResidentIdError::CheckChar
    );
}

proptest! {
    /// Any one changed character of a valid number is refused (MOD 11-2 catches every single
    /// substitution), whether as a bad date or a bad check.
    #[test]
    fn every_single_substitution_is_caught(seq in 0u32..1000, pos in 0usize..18, digit in 0u32..11) {
        let number = valid(&format!("41010219800101{seq:03}"));
        let mut chars: Vec<char> = number.chars().collect();
        let replacement = if digit == 10 { 'X' } else { char::from_digit(digit, 10).unwrap() };
        prop_assume!(chars[pos] != replacement);
        chars[pos] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert!(ResidentIdNumber::parse(&changed, today()).is_err(), "{}", changed);
    }

    /// Computed check characters always validate, and serde round-trips.
    #[test]
    fn computed_numbers_validate_and_round_trip(area in 110000u32..660000, days in 0u64..40000, seq in 0u32..1000) {
        let born = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days);
        prop_assume!(born <= today());
        let body = format!("{area:06}{}{seq:03}", born.format("%Y%m%d"));
        let number = valid(&body);
        let id = ResidentIdNumber::parse(&number, today()).unwrap();
        prop_assert_eq!(id.birth_date(), born);
        prop_assert_eq!(ResidentIdNumber::check_char_for(&body), number.chars().last());
        let json = serde_json::to_string(&id).unwrap();
        prop_assert_eq!(&json, &format!("\"{number}\""));
        prop_assert_eq!(serde_json::from_str::<ResidentIdNumber>(&json).unwrap(), id);
    }
}

#[test]
fn resident_id_is_masked_in_lists_and_debug_output() {
    let id = ResidentIdNumber::parse(&valid("41010219800101001"), today()).unwrap();
    assert_eq!(id.as_str(), "410102198001010018");
    assert_eq!(id.mask(), "410102********0018");
    assert_eq!(format!("{id:?}"), "ResidentIdNumber(410102********0018)");
}

#[test]
fn phone_and_email_masks() {
    assert_eq!(mask_phone("13812345678"), "138****5678");
    assert_eq!(mask_phone(" 138 1234 5678 "), "138****5678");
    assert_eq!(mask_phone("１３８１２３４５６７８"), "138****5678");
    assert_eq!(mask_phone("0371-12345678"), "037******5678");
    assert_eq!(mask_phone("12345"), "*****");
    assert_eq!(mask_phone(""), "");
    assert_eq!(mask_email("zhangsan@example.com"), "z***@example.com");
    assert_eq!(mask_email(" 李雷@qq.com "), "李***@qq.com");
    assert_eq!(mask_email("a@b.cn"), "a***@b.cn");
    assert_eq!(mask_email("no-at-sign"), "n***");
    assert_eq!(mask_email("@example.com"), "***@example.com");
}

#[test]
fn id_documents_validate_by_kind_and_have_chinese_labels() {
    let labels: Vec<&str> = IdDocumentKind::ALL.iter().map(|k| k.label()).collect();
    assert_eq!(
        labels,
        [
            "居民身份证",
            "护照",
            "港澳居民来往内地通行证",
            "台湾居民来往大陆通行证",
            "外国人永久居留身份证",
            "其他证件"
        ]
    );
    for kind in IdDocumentKind::ALL {
        assert_eq!(kind.key().parse::<IdDocumentKind>().unwrap(), kind);
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.key()));
    }
    let err = "id_card".parse::<IdDocumentKind>().unwrap_err().to_string();
    assert!(err.contains("resident_id（居民身份证）"), "{err}");

    let doc = IdDocument::parse(IdDocumentKind::ResidentId, "11010119900307002x", today()).unwrap();
    assert_eq!(doc.number(), "11010119900307002X");
    assert_eq!(doc.masked(), "110101********002X");
    assert_eq!(doc.label(), "居民身份证");
    let err = IdDocument::parse(IdDocumentKind::ResidentId, "110101199003071234", today());
    assert_eq!(
        err.unwrap_err(),
        IdDocumentError::ResidentId(ResidentIdError::CheckChar)
    );

    let doc = IdDocument::parse(IdDocumentKind::Passport, " e 1234 5678 ", today()).unwrap();
    assert_eq!(doc.number(), "E12345678");
    assert_eq!(doc.masked(), "E1*****78");
    let doc =
        IdDocument::parse(IdDocumentKind::HkMacaoPass, "Ｈ１２３４５６７８", today()).unwrap();
    assert_eq!(doc.number(), "H12345678");
    let doc = IdDocument::parse(IdDocumentKind::TaiwanPass, "0123456789(B)", today()).unwrap();
    assert_eq!(doc.number(), "0123456789(B)");
    assert!(
        IdDocument::parse(
            IdDocumentKind::ForeignPermanentResidentId,
            "USA123456789012",
            today()
        )
        .is_ok()
    );

    let err = IdDocument::parse(IdDocumentKind::Passport, "  ", today()).unwrap_err();
    assert_eq!(err, IdDocumentError::Empty { kind: "护照" });
    assert_eq!(err.to_string(), "请填写护照号码");
    let err = IdDocument::parse(IdDocumentKind::Passport, "E123/456", today()).unwrap_err();
    assert!(
        matches!(err, IdDocumentError::Char { found: '/', .. }),
        "{err:?}"
    );
    assert!(matches!(
        IdDocument::parse(IdDocumentKind::TaiwanPass, "12-3", today()),
        Err(IdDocumentError::TooShort { .. })
    ));
    assert!(matches!(
        IdDocument::parse(IdDocumentKind::Passport, &"1".repeat(31), today()),
        Err(IdDocumentError::TooLong { max: 30, .. })
    ));
}

#[test]
fn other_documents_are_trimmed_free_text_of_limited_length() {
    let doc = IdDocument::parse(IdDocumentKind::Other, "  军官证 字第12345号 ", today()).unwrap();
    assert_eq!(doc.number(), "军官证 字第12345号");
    assert_eq!(doc.masked(), "军官********5号");
    let long = "证".repeat(51);
    let err = IdDocument::parse(IdDocumentKind::Other, &long, today()).unwrap_err();
    assert_eq!(
        err,
        IdDocumentError::TooLong {
            kind: "其他证件",
            max: 50,
            len: 51
        }
    );
    assert!(IdDocument::parse(IdDocumentKind::Other, &"证".repeat(50), today()).is_ok());
    assert!(matches!(
        IdDocument::parse(IdDocumentKind::Other, "军官证\u{0}123", today()),
        Err(IdDocumentError::ControlChars)
    ));
    assert!(matches!(
        IdDocument::parse(IdDocumentKind::Other, "", today()),
        Err(IdDocumentError::Empty { .. })
    ));
}

#[test]
fn id_documents_serialise_as_kind_and_number_and_validate_when_read() {
    let doc = IdDocument::parse(IdDocumentKind::Passport, "e12345678", today()).unwrap();
    let json = serde_json::to_string(&doc).unwrap();
    assert_eq!(json, r#"{"kind":"passport","number":"E12345678"}"#);
    assert_eq!(serde_json::from_str::<IdDocument>(&json).unwrap(), doc);
    let record: IdDocumentRecord = doc.clone().into();
    assert_eq!(record.number, "E12345678");
    assert!(
        serde_json::from_str::<IdDocument>(
            r#"{"kind":"resident_id","number":"110101199003071234"}"#
        )
        .is_err()
    );
    // Debug output never shows the full number.
    let id = IdDocument::parse(
        IdDocumentKind::ResidentId,
        &valid("41010219800101001"),
        today(),
    )
    .unwrap();
    assert_eq!(
        format!("{id:?}"),
        "IdDocument(resident_id: 410102********0018)"
    );
}

#[test]
fn applicant_keys_identify_the_same_document_however_typed() {
    let a = IdDocument::parse(IdDocumentKind::ResidentId, "11010119900307002x", today()).unwrap();
    let b = IdDocument::parse(
        IdDocumentKind::ResidentId,
        "１１０１０１１９９００３０７００２Ｘ",
        today(),
    )
    .unwrap();
    assert_eq!(a.applicant_key(), b.applicant_key());
    assert_eq!(a.applicant_key().as_str(), "resident_id:11010119900307002X");
    // The same characters under another kind are another document.
    let p = IdDocument::parse(IdDocumentKind::Passport, "11010119900307002X", today()).unwrap();
    assert_ne!(a.applicant_key(), p.applicant_key());
    let o1 = IdDocument::parse(IdDocumentKind::Other, "军官证 12345", today()).unwrap();
    let o2 = IdDocument::parse(IdDocumentKind::Other, "军官证12345", today()).unwrap();
    assert_eq!(o1.applicant_key(), o2.applicant_key());
    let code = CreditCode::parse("91440300708461136T").unwrap();
    assert_eq!(
        ApplicantKey::from(&code).as_str(),
        "credit_code:91440300708461136T"
    );
}

#[test]
fn credit_code_lives_here_with_chinese_messages() {
    assert!(CreditCode::parse("91440300708461136T").is_ok());
    assert_eq!(
        CreditCode::parse("９１４４０３００７０８４６１１３６ｔ")
            .unwrap()
            .as_str(),
        "91440300708461136T"
    );
    let err = CreditCode::parse("91440300708461136U").unwrap_err();
    assert_eq!(err, CreditCodeError::CheckDigit { expected: 'T' });
    assert!(err.to_string().contains("校验位错误"), "{err}");
    assert_eq!(
        CreditCode::parse("123").unwrap_err(),
        CreditCodeError::Length(3)
    );
}
