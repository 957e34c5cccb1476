#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The default letters for every outcome and notice, and the refusal of bad edited templates.

use gongkai_law::Outcome;
use gongkai_letters::{
    FEE_MEASURES, LetterContext, LetterError, LetterKind, MAX_TEMPLATE_CHARS, Template, check,
    legal_basis, render, render_default,
};
use gongkai_typeset::{Block, Document, DocxStyle, to_docx};

fn text(doc: &Document) -> String {
    doc.texts().join("\n")
}

/// The words by which each reply letter names its outcome (from the article it applies).
fn naming_phrase(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Granted => "决定予以公开",
        Outcome::AlreadyPublic => "已经主动公开",
        Outcome::PartiallyGranted => "决定部分公开",
        Outcome::DeniedStateSecret => "属于国家秘密",
        Outcome::DeniedProhibitedByLaw => "其他法律、行政法规禁止公开",
        Outcome::DeniedEndangersSecurityStability => {
            "可能危及国家安全、公共安全、经济安全、社会稳定"
        }
        Outcome::DeniedThirdPartyRights => "公开会对第三方合法权益造成损害",
        Outcome::DeniedInternalAffairs => "人事管理、后勤管理、内部工作流程",
        Outcome::DeniedProcessInformation => "讨论记录、过程稿、磋商信函、请示报告",
        Outcome::DeniedEnforcementFile => "行政执法案卷信息",
        Outcome::DeniedAdministrativeQuery => "依照有关法律、行政法规的规定办理",
        Outcome::UnableNotHeld => "该政府信息不存在",
        Outcome::NotThisOrgan => "不属于本机关负责公开",
        Outcome::UnableNeedsCreation => "加工、分析",
        Outcome::UnableUnclearAfterCorrection => "补正后申请内容仍不明确",
        Outcome::NotProcessedPetitionComplaint => "不作为政府信息公开申请处理",
        Outcome::NotProcessedRepeated => "不予重复处理",
        Outcome::NotProcessedPublication => "公开出版物",
        Outcome::NotProcessedExcessive => "明显超过合理范围",
        Outcome::NotProcessedConfirmOrReissue => "确认或重新出具",
        Outcome::OtherOverdueCorrection => "逾期未补正",
        Outcome::OtherOverdueFee => "逾期未按收费通知要求缴纳信息处理费",
        Outcome::OtherOther => "终止办理",
    }
}

#[test]
fn every_outcome_has_a_reply_letter_naming_it_and_citing_its_article() {
    let ctx = LetterContext::sample();
    for outcome in Outcome::ALL {
        let doc = render_default(LetterKind::Reply(outcome), &ctx)
            .unwrap_or_else(|e| panic!("{outcome:?}: {e}"));
        let body = text(&doc);
        assert!(
            body.contains(naming_phrase(outcome)),
            "{outcome:?} letter does not name its outcome:\n{body}"
        );
        assert!(
            body.contains(&legal_basis(outcome)),
            "{outcome:?} letter does not cite {}:\n{body}",
            legal_basis(outcome)
        );
        // No other outcome's naming phrase leaks in from a shared template.
        for other in Outcome::ALL {
            let phrase = naming_phrase(other);
            // The sample's withheld part is withheld for third-party rights (Art 15).
            let sample_reason =
                outcome == Outcome::PartiallyGranted && other == Outcome::DeniedThirdPartyRights;
            if other != outcome && !sample_reason {
                assert!(
                    !body.contains(phrase),
                    "{outcome:?} letter also says “{phrase}” ({other:?}):\n{body}"
                );
            }
        }
        // Remedies: 行政复议 within 60 days, 行政诉讼 within 6 months.
        assert!(
            body.contains("60日内") && body.contains("申请行政复议"),
            "{body}"
        );
        assert!(
            body.contains("6个月内") && body.contains("提起行政诉讼"),
            "{body}"
        );
        assert!(body.contains("某区人民政府申请行政复议"), "{body}");
        assert!(matches!(doc.blocks.first(), Some(Block::Title { .. })));
        assert_eq!(
            doc.blocks.last(),
            Some(&Block::Signature {
                lines: vec!["某区人民政府办公室".into(), "2026年11月20日".into()]
            })
        );
        assert!(body.contains("2026年11月2日收到") && body.contains("YSQ-2026-0012"));
    }
}

#[test]
fn legal_basis_writes_out_the_regulation_and_keeps_the_exact_article() {
    for outcome in Outcome::ALL {
        let basis = legal_basis(outcome);
        if let Some(article) = outcome.article().strip_prefix("条例") {
            assert_eq!(
                basis,
                format!("《中华人民共和国政府信息公开条例》{article}")
            );
        }
    }
    assert_eq!(
        legal_basis(Outcome::DeniedThirdPartyRights),
        "《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项"
    );
    assert_eq!(legal_basis(Outcome::OtherOverdueFee), FEE_MEASURES);
    // A report-table row is not a legal basis: never cited as one.
    assert!(!legal_basis(Outcome::NotProcessedConfirmOrReissue).contains("30号"));
    assert!(!legal_basis(Outcome::OtherOther).contains("30号"));
}

#[test]
fn partial_disclosure_lists_each_withheld_part_with_reason_and_basis() {
    let doc = render_default(
        LetterKind::Reply(Outcome::PartiallyGranted),
        &LetterContext::sample(),
    )
    .unwrap();
    let body = text(&doc);
    assert!(body.contains(
        "1. 施工单位负责人的个人联系方式：属于个人隐私，公开会对第三方合法权益造成损害，依据《中华人民共和国政府信息公开条例》第十五条。"
    ), "{body}");

    let mut ctx = LetterContext::sample();
    ctx.withheld.clear();
    let err = render_default(LetterKind::Reply(Outcome::PartiallyGranted), &ctx).unwrap_err();
    assert!(err.to_string().contains("不予公开的部分"), "{err}");
}

#[test]
fn the_notices_render_with_what_the_law_requires_in_them() {
    let ctx = LetterContext::sample();

    let correction = text(&render_default(LetterKind::Correction, &ctx).unwrap());
    assert!(correction.contains("第三十条") && correction.contains("一次性告知"));
    assert!(correction.contains("1. 请写明所需信息的名称"));
    assert!(correction.contains("2. 请提供申请人的身份证明"));
    assert!(correction.contains("15个工作日内（2026年11月27日前）"));
    assert!(correction.contains("视为放弃申请"));

    let extension = text(&render_default(LetterKind::Extension, &ctx).unwrap());
    assert!(extension.contains("第三十三条第二款"));
    assert!(extension.contains("延长20个工作日") && extension.contains("2026年12月28日前"));

    let fee = text(&render_default(LetterKind::FeeNotice, &ctx).unwrap());
    for required in ["收费依据", "收费标准", "收费数额", "缴纳方式"] {
        assert!(
            fee.contains(required),
            "fee notice lacks {required}:\n{fee}"
        );
    }
    assert!(fee.contains(FEE_MEASURES));
    assert!(fee.contains("按量计收") && fee.contains("第五条"));
    assert!(
        fee.contains("4700元"),
        "250 pages → 4,700 元 (legal-rules.md §C.3):\n{fee}"
    );
    assert!(fee.contains("第201–250页：50页 × 40元 = 2000元"), "{fee}");
    assert!(fee.contains("次日起20个工作日内"));
    assert!(fee.contains("非税收入缴款码"));

    let consultation = text(&render_default(LetterKind::Consultation, &ctx).unwrap());
    assert!(consultation.contains("第三十二条") && consultation.contains("15个工作日内"));
    assert!(consultation.contains("某建设工程有限公司："));
    assert!(
        !consultation.contains("张三"),
        "the third party is not told who the applicant is"
    );
}

#[test]
fn a_notice_without_its_facts_is_refused_with_what_is_missing() {
    let mut ctx = LetterContext::sample();
    ctx.fee = None;
    ctx.correction = None;
    ctx.extension = None;
    ctx.consultation = None;
    for (kind, says) in [
        (LetterKind::FeeNotice, "缴纳方式"),
        (LetterKind::Correction, "补正的事项"),
        (LetterKind::Extension, "延长的期限"),
        (LetterKind::Consultation, "第三方名称"),
    ] {
        let err = render_default(kind, &ctx).unwrap_err();
        assert!(matches!(err, LetterError::MissingContext { .. }));
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[test]
fn every_default_template_passes_the_check() {
    for template in Template::ALL {
        check(template, template.default_source())
            .unwrap_or_else(|e| panic!("{}: {e}", template.key()));
        assert_eq!(Template::from_key(template.key()), Some(template));
    }
}

#[test]
fn an_unknown_variable_is_refused_with_its_line_even_in_a_branch_not_taken() {
    let source = "告知书\n< {{ applicant.name }}：\n正文{{ applicant.nmae }}。";
    let err = check(Template::ReplyDisclosed, source).unwrap_err();
    assert_eq!(
        err,
        LetterError::UnknownVariable {
            line: 3,
            name: "applicant.nmae".into()
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("第3行") && msg.contains("applicant.nmae"),
        "{msg}"
    );

    let hidden = "告知书\n{% if outcome.key == \"nothing\" %}\n{{ organ.fax }}\n{% endif %}";
    let err = check(Template::ReplyDisclosed, hidden).unwrap_err();
    assert_eq!(
        err,
        LetterError::UnknownVariable {
            line: 3,
            name: "organ.fax".into()
        }
    );
}

#[test]
fn a_syntax_error_is_refused_with_its_line() {
    let source = "告知书\n正文\n{% if reason %}\n理由";
    let err = check(Template::ReplyWithheld, source).unwrap_err();
    assert!(matches!(err, LetterError::Syntax { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("语法错误") && msg.contains("第"), "{msg}");

    let err = check(Template::Correction, "告知书\n\n{{ applicant.name }").unwrap_err();
    assert!(
        matches!(err, LetterError::Syntax { line: 3, .. }),
        "{err:?}"
    );
}

#[test]
fn an_endless_loop_runs_out_of_fuel_instead_of_hanging() {
    let source = "告知书\n{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}";
    assert_eq!(
        check(Template::Extension, source).unwrap_err(),
        LetterError::OutOfFuel
    );
    let recursion = "告知书\n{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}";
    let err = check(Template::Extension, recursion).unwrap_err();
    assert!(
        matches!(err, LetterError::OutOfFuel | LetterError::Render { .. }),
        "{err:?}"
    );
}

#[test]
fn an_overlong_template_is_refused_before_it_is_parsed() {
    let source = format!("告知书\n{}", "字".repeat(MAX_TEMPLATE_CHARS));
    assert!(matches!(
        check(Template::Consultation, &source),
        Err(LetterError::TemplateTooLong { .. })
    ));
}

#[test]
fn a_template_reaches_nothing_outside_its_context() {
    for source in [
        "告知书\n{% include \"/etc/passwd\" %}",
        "告知书\n{% import \"/etc/passwd\" as x %}",
        "告知书\n{% extends \"/etc/hosts\" %}",
        "告知书\n{{ env }}",
        "告知书\n{{ config.SECRET_KEY }}",
        "告知书\n{{ debug() }}",
        "告知书\n{{ __builtins__ }}",
    ] {
        let err = check(Template::ReplyDisclosed, source).unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains("root:"), "{source}: {msg}");
        assert!(msg.contains("模板"), "{source}: {msg}");
    }
}

#[test]
fn context_values_are_printed_as_text_not_evaluated_as_template() {
    let mut ctx = LetterContext::sample();
    ctx.applicant_name = "{{ organ.phone }}{% for i in range(9) %}x{% endfor %}".into();
    let doc = render_default(LetterKind::Reply(Outcome::Granted), &ctx).unwrap();
    assert!(
        doc.texts()
            .contains(&"{{ organ.phone }}{% for i in range(9) %}x{% endfor %}："),
        "{:?}",
        doc.texts()
    );
}

#[test]
fn a_rendered_letter_becomes_a_docx_that_reads_back() {
    let ctx = LetterContext::sample();
    let doc = render_default(LetterKind::Reply(Outcome::DeniedStateSecret), &ctx).unwrap();
    let bytes = to_docx(&doc, &DocxStyle::default()).unwrap();
    let read = gongkai_docs::read_document(&bytes, Some("reply.docx")).unwrap();
    let plain = read.plain_text();
    for piece in doc.texts() {
        assert!(plain.contains(piece), "“{piece}” missing:\n{plain}");
    }
}

#[test]
fn an_edited_template_renders_with_the_staffs_wording() {
    let source = "答复书\n< {{ applicant.name }}：\n经研究，{{ outcome.label }}（{{ outcome.basis }}）。\n> {{ organ.name }}";
    let doc = render(
        LetterKind::Reply(Outcome::UnableNotHeld),
        source,
        &LetterContext::sample(),
    )
    .unwrap();
    assert_eq!(doc.title, "答复书");
    assert!(doc.texts().contains(
        &"经研究，无法提供：经检索没有所申请公开的信息（《中华人民共和国政府信息公开条例》第三十六条第（四）项）。"
    ));
}
