//! Candidates for 重复申请 (条例 Art 36(6)) with realistic descriptions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use gongkai_law::identity::{IdDocument, IdDocumentKind};
use gongkai_law::repeat::{
    DEFAULT_THRESHOLD_PERCENT, counts_as_answered, normalise_description, similarity,
};
use gongkai_law::{AnsweredApplication, ApplicantKey, NewApplication, Outcome, repeat_candidates};

const BASE: &str = "申请公开西市场街道2023年老旧小区改造项目的招标文件";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn applicant() -> ApplicantKey {
    IdDocument::parse(
        IdDocumentKind::ResidentId,
        "11010119900307002X",
        d(2026, 1, 1),
    )
    .unwrap()
    .applicant_key()
}

fn other_applicant() -> ApplicantKey {
    IdDocument::parse(IdDocumentKind::Passport, "E12345678", d(2026, 1, 1))
        .unwrap()
        .applicant_key()
}

fn answered(id: u32, description: &str, replied_on: NaiveDate) -> AnsweredApplication<u32> {
    AnsweredApplication {
        id,
        applicant: applicant(),
        description: description.to_owned(),
        replied_on,
        outcome: Outcome::Granted,
    }
}

fn percent(a: &str, b: &str) -> u32 {
    similarity(a, b).percent()
}

#[test]
fn normalisation_drops_spaces_punctuation_and_width() {
    assert_eq!(
        normalise_description("申请公开：西市场街道 ２０２３ 年“招标文件”（ABC）。"),
        "申请公开西市场街道2023年招标文件abc"
    );
    assert_eq!(normalise_description(" ，。！ "), "");
}

#[test]
fn similarity_of_the_calibration_vectors() {
    // The table in the module documentation of `repeat`.
    assert_eq!(percent(BASE, BASE), 100);
    assert_eq!(
        percent(BASE, "请公开西市场街道2023年老旧小区改造项目的招标文件。"),
        96
    );
    assert_eq!(
        percent(
            BASE,
            "申请公开：西市场街道 2023 年老旧小区改造项目的招标文件"
        ),
        100
    );
    assert_eq!(
        percent(
            BASE,
            "申请公开西市场街道２０２３年老旧小区改造项目的“招标文件”"
        ),
        100
    );
    assert_eq!(
        percent(BASE, "申请公开西市场街道2022年老旧小区改造项目的招标文件"),
        85
    );
    assert_eq!(
        percent(
            BASE,
            "申请公开西市场街道2023年老旧小区改造项目的招标文件及中标通知书"
        ),
        81
    );
    assert_eq!(
        percent(
            BASE,
            "申请公开西市场街道2023年老旧小区改造项目的中标结果公告"
        ),
        68
    );
    assert_eq!(
        percent(
            BASE,
            "我想了解西市场街道老旧小区改造项目（2023年）的招标文件"
        ),
        57
    );
    assert_eq!(
        percent(BASE, "申请公开西市场街道2023年背街小巷整治项目的招标文件"),
        57
    );
    assert_eq!(
        percent(BASE, "请提供2023年西市场街道老旧小区改造工程招标文件"),
        47
    );
    assert_eq!(
        percent(BASE, "申请公开新华区2023年度财政预算执行情况报告"),
        17
    );
    // Degenerate texts.
    assert_eq!(percent("", ""), 0);
    assert_eq!(percent("。", "！"), 0);
    assert_eq!(percent("桥", "桥"), 100);
    assert_eq!(percent("桥", "路"), 0);
    let s = similarity(BASE, "申请公开西市场街道2022年老旧小区改造项目的招标文件");
    assert_eq!((s.shared, s.total), (24, 28));
    assert!(s.at_least(85) && !s.at_least(86));
    assert!((s.ratio() - 24.0 / 28.0).abs() < 1e-12);
}

#[test]
fn small_variants_of_an_answered_request_are_listed_most_similar_first() {
    let earlier = [
        answered(
            1,
            "申请公开新华区2023年度财政预算执行情况报告",
            d(2024, 3, 1),
        ),
        answered(2, BASE, d(2024, 4, 10)),
        answered(
            3,
            "申请公开西市场街道2022年老旧小区改造项目的招标文件",
            d(2023, 9, 1),
        ),
        answered(
            4,
            "申请公开西市场街道2023年背街小巷整治项目的招标文件",
            d(2024, 5, 1),
        ),
    ];
    let key = applicant();
    let new = NewApplication {
        applicant: &key,
        description: "请公开：西市场街道2023年老旧小区改造项目的招标文件。",
        received_on: d(2024, 6, 1),
    };
    let found = repeat_candidates(&new, &earlier, DEFAULT_THRESHOLD_PERCENT);
    let ids: Vec<u32> = found.iter().map(|c| c.earlier.id).collect();
    assert_eq!(ids, [2, 3]);
    assert_eq!(found[0].similarity.percent(), 96);
    assert!(found[0].differing_numbers.is_empty());
    assert_eq!(found[1].differing_numbers, ["2022", "2023"]);
    let note = found[1].note();
    assert!(note.contains("2023-09-01已答复（予以公开）"), "{note}");
    assert!(note.contains("相似度82%"), "{note}");
    assert!(note.contains("数字不同（2022、2023）"), "{note}");
    assert!(found[0].note().contains("条例第三十六条第（六）项"));
}

#[test]
fn only_the_same_applicant_and_only_answered_before_receipt() {
    let key = applicant();
    let mut other = answered(1, BASE, d(2024, 1, 5));
    other.applicant = other_applicant();
    let later_reply = answered(2, BASE, d(2024, 6, 2));
    let same_day = answered(3, BASE, d(2024, 6, 1));
    let mut withdrawn = answered(4, BASE, d(2024, 2, 1));
    withdrawn.outcome = Outcome::OtherOther;
    let mut abandoned = answered(5, BASE, d(2024, 2, 1));
    abandoned.outcome = Outcome::OtherOverdueCorrection;
    let mut unpaid = answered(6, BASE, d(2024, 2, 1));
    unpaid.outcome = Outcome::OtherOverdueFee;
    let mut refused = answered(7, BASE, d(2023, 2, 1));
    refused.outcome = Outcome::DeniedProcessInformation;
    let earlier = [
        other,
        later_reply,
        same_day,
        withdrawn,
        abandoned,
        unpaid,
        refused,
    ];
    let new = NewApplication {
        applicant: &key,
        description: BASE,
        received_on: d(2024, 6, 1),
    };
    let found = repeat_candidates(&new, &earlier, DEFAULT_THRESHOLD_PERCENT);
    let ids: Vec<u32> = found.iter().map(|c| c.earlier.id).collect();
    // Equal similarity: the most recent reply first.
    assert_eq!(ids, [3, 7]);
}

#[test]
fn the_threshold_is_the_callers_choice() {
    let key = applicant();
    let earlier = [answered(
        1,
        "请提供2023年西市场街道老旧小区改造工程招标文件",
        d(2024, 1, 5),
    )];
    let new = NewApplication {
        applicant: &key,
        description: BASE,
        received_on: d(2024, 6, 1),
    };
    assert!(repeat_candidates(&new, &earlier, DEFAULT_THRESHOLD_PERCENT).is_empty());
    assert_eq!(repeat_candidates(&new, &earlier, 45).len(), 1);
    assert_eq!(repeat_candidates(&new, &earlier, 0).len(), 1);
    let none: [AnsweredApplication<u32>; 0] = [];
    assert!(repeat_candidates(&new, &none, 0).is_empty());
}

#[test]
fn which_outcomes_are_answers() {
    let not_answers: Vec<Outcome> = Outcome::ALL
        .into_iter()
        .filter(|o| !counts_as_answered(*o))
        .collect();
    assert_eq!(
        not_answers,
        [
            Outcome::OtherOverdueCorrection,
            Outcome::OtherOverdueFee,
            Outcome::OtherOther
        ]
    );
}
