#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Whole lifecycles of 依申请公开 cases through the real HTTP server, one per outcome family the
//! issue names: fee notice → unpaid → closed as 逾期未缴费 (国办函〔2020〕109号); overdue 补正 →
//! closed as 逾期不补正 (条例 Art 30); a consultation pause (Art 33 ¶3); partial disclosure with
//! what was withheld and why (Art 37); 重复申请 offered from the earlier answered case (Art 36(6));
//! the delivery record, the 科室's answer, the ID copy, the ledger; and two officers acting on one
//! case at once.

mod common;

use common::cases::{d, due_cell, due_of, event_count, register_letter, resident_id, step};
use common::{TestApp, demo_ids, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{
    Channel, ClockEvent, ClockStatus, ConsultationParty, FeeDecision, Outcome, ProvisionForm,
};
use reqwest::StatusCode;

fn case_id(case: &str) -> i64 {
    case.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_unpaid_fee_closes_the_case_as_abandoned_with_the_calculators_amount() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-09-01").await;

        // Per piece: the applicant's first application this month is free (109号 Art 4), so a
        // per-piece notice is refused and nothing is written.
        let page = officer.get(&case).await;
        assert!(page.body.contains("本自然月内第1件"), "{}", page.body);
        let before = event_count(&app).await;
        let r = step(
            &mut officer,
            &case,
            "fee-notice",
            &[
                ("on", "2026-09-03"),
                ("standard", "per_piece"),
                ("payment_method", "银行缴款"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("不收费"), "{}", r.body);
        assert_eq!(event_count(&app).await, before);

        // Without the payment method the notice would not say how to pay: refused.
        let r = step(
            &mut officer,
            &case,
            "fee-notice",
            &[
                ("on", "2026-09-03"),
                ("standard", "per_page"),
                ("pages", "150"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("缴纳方式"), "{}", r.body);

        // Per page, 150 pages on paper: the amount is the law crate's.
        let r = step(
            &mut officer,
            &case,
            "fee-notice",
            &[
                ("on", "2026-09-03"),
                ("standard", "per_page"),
                ("pages", "150"),
                ("payment_method", "持缴款书到银行缴入国库"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let expected = FeeDecision::per_page(150, ProvisionForm::Paper).unwrap();
        let events = app
            .store()
            .applications()
            .events(case_id(&case))
            .await
            .unwrap();
        let last = events.last().unwrap();
        assert_eq!(
            last.event,
            ClockEvent::FeeNotice {
                on: d("2026-09-03"),
                amount: expected.amount
            }
        );
        assert_eq!(last.details["payment_method"], "持缴款书到银行缴入国库");
        let page = officer.get(&case).await;
        assert!(page.body.contains(&expected.summary()), "{}", page.body);

        // Today (2026-11-25) is past the 20 working days to pay: the clock shows the case
        // abandoned, and the officer files it with the matching outcome.
        let clock = app
            .store()
            .applications()
            .clock(case_id(&case), &Calendar::official())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(clock.status, ClockStatus::ClosedOverdueFee);
        assert!(page.body.contains(ClockStatus::ClosedOverdueFee.label()));
        let closed_on = clock.closed_on.unwrap().to_string();
        let r = step(
            &mut officer,
            &case,
            "reply",
            &[
                ("on", closed_on.as_str()),
                ("outcome", Outcome::OtherOverdueFee.key()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let stored = app
            .store()
            .applications()
            .get(case_id(&case))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.outcome, Some(Outcome::OtherOverdueFee));
        assert!(stored.closed_on.is_some());
        let clock = app
            .store()
            .applications()
            .clock(case_id(&case), &Calendar::official())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(clock.table3_row_key(), Some("other_overdue_fee"));
    })
    .await;
}

#[tokio::test]
async fn an_overdue_correction_closes_the_case_as_abandoned() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-09-01").await;
        let r = step(
            &mut officer,
            &case,
            "correction",
            &[
                ("on", "2026-09-03"),
                ("period_working_days", "15"),
                ("what", "请写明所需信息的文号或者名称"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        // What to correct is kept with the step and shown in the timeline.
        assert!(
            page.body
                .contains("需要补正的事项：请写明所需信息的文号或者名称"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(ClockStatus::ClosedOverdueCorrection.label()),
            "{}",
            page.body
        );
        let clock = app
            .store()
            .applications()
            .clock(case_id(&case), &Calendar::official())
            .await
            .unwrap()
            .unwrap();
        let closed_on = clock.closed_on.unwrap().to_string();
        let r = step(
            &mut officer,
            &case,
            "reply",
            &[
                ("on", closed_on.as_str()),
                ("outcome", Outcome::OtherOverdueCorrection.key()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let stored = app
            .store()
            .applications()
            .get(case_id(&case))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.outcome, Some(Outcome::OtherOverdueCorrection));
        // The formal notice closes the case; it counts in the 逾期不补正 row of table 三.
        assert!(stored.closed_on.is_some());
        let clock = app
            .store()
            .applications()
            .clock(case_id(&case), &Calendar::official())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(clock.table3_row_key(), Some("other_overdue_correction"));
    })
    .await;
}

#[tokio::test]
async fn a_consultation_pauses_the_clock_by_the_law_crates_count() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-11-02").await;
        let mut events = vec![ClockEvent::Received {
            on: d("2026-11-02"),
            channel: Channel::PostSigned,
        }];
        let before = due_of(&events);
        let r = step(
            &mut officer,
            &case,
            "consultation/start",
            &[("on", "2026-11-05"), ("party", "other_organ")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = step(
            &mut officer,
            &case,
            "consultation/end",
            &[("on", "2026-11-19")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        events.push(ClockEvent::ConsultationStarted {
            on: d("2026-11-05"),
            party: ConsultationParty::OtherOrgan,
        });
        events.push(ClockEvent::ConsultationEnded {
            on: d("2026-11-19"),
        });
        let page = officer.get(&case).await;
        let after = due_cell(&page.body);
        assert_eq!(after, due_of(&events));
        assert!(
            after > before,
            "the pause moved the due date: {before} → {after}"
        );
    })
    .await;
}

#[tokio::test]
async fn partial_disclosure_records_what_was_withheld_and_why() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-11-16").await;
        let before = event_count(&app).await;
        // 部分公开 without the withheld part: refused (Art 37).
        let r = step(
            &mut officer,
            &case,
            "reply",
            &[
                ("on", "2026-11-24"),
                ("outcome", Outcome::PartiallyGranted.key()),
                ("reason", "部分内容涉及个人隐私"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("第三十七条"), "{}", r.body);
        // A withheld part without its legal basis: refused.
        let r = step(
            &mut officer,
            &case,
            "reply",
            &[
                ("on", "2026-11-24"),
                ("outcome", Outcome::PartiallyGranted.key()),
                ("reason", "部分内容涉及个人隐私"),
                ("withheld_what_1", "投标人联系人的手机号码"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("依据"), "{}", r.body);
        assert_eq!(event_count(&app).await, before);

        let r = step(
            &mut officer,
            &case,
            "reply",
            &[
                ("on", "2026-11-24"),
                ("outcome", Outcome::PartiallyGranted.key()),
                ("reason", "部分内容涉及个人隐私"),
                ("withheld_what_1", "投标人联系人的手机号码"),
                ("withheld_basis_1", Outcome::DeniedThirdPartyRights.key()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        assert!(
            page.body.contains("不予公开：投标人联系人的手机号码"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(Outcome::DeniedThirdPartyRights.article())
        );
        let events = app
            .store()
            .applications()
            .events(case_id(&case))
            .await
            .unwrap();
        let details = &events.last().unwrap().details;
        assert_eq!(details["withheld"][0]["basis"], "denied_third_party_rights");
        assert_eq!(details["reason"], "部分内容涉及个人隐私");

        // The delivery of the reply letter is recorded.
        let page = officer.get(&case).await;
        let token = page.csrf();
        let r = officer
            .post(
                &format!("{case}/delivery"),
                &[
                    ("csrf_token", token.as_str()),
                    ("document", "reply_letter"),
                    ("method", "post"),
                    ("on", "2026-11-25"),
                    ("note", "EMS 1234"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        assert!(
            page.body.contains("答复告知书：邮寄送达（EMS 1234）"),
            "{}",
            page.body
        );
        // A delivery in the future is refused.
        let r = officer
            .post(
                &format!("{case}/delivery"),
                &[
                    ("csrf_token", token.as_str()),
                    ("document", "reply_letter"),
                    ("method", "post"),
                    ("on", "2026-12-25"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM application_deliveries")
                .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_repeated_application_is_offered_the_repeat_outcome_with_the_earlier_case() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let first = register_letter(&app, &mut officer, s, "2026-10-09").await;
        let r = step(
            &mut officer,
            &first,
            "reply",
            &[("on", "2026-10-20"), ("outcome", Outcome::Granted.key())],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let second = register_letter(&app, &mut officer, s, "2026-11-16").await;
        let first_no = app
            .store()
            .applications()
            .get(case_id(&first))
            .await
            .unwrap()
            .unwrap()
            .tracking_no;
        let page = officer.get(&second).await;
        assert!(page.body.contains("可能是重复申请"), "{}", page.body);
        assert!(page.body.contains(&first_no), "{}", page.body);
        let r = step(
            &mut officer,
            &second,
            "reply",
            &[
                ("on", "2026-11-24"),
                ("outcome", Outcome::NotProcessedRepeated.key()),
                ("repeat_of", &case_id(&first).to_string()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let events = app
            .store()
            .applications()
            .events(case_id(&second))
            .await
            .unwrap();
        assert_eq!(
            events.last().unwrap().details["repeat_of"]["tracking_no"],
            first_no.as_str()
        );
        // The first case itself is no repeat of anything.
        let page = officer.get(&first).await;
        assert!(!page.body.contains("可能是重复申请"));
    })
    .await;
}

#[tokio::test]
async fn the_assigned_department_answers_and_the_id_copy_download_is_logged() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-11-16").await;
        let mut handler = app.login_as("demo-handler").await;
        // Not yet assigned: the 科室 cannot answer.
        let token = handler.get(&case).await.csrf();
        let r = handler
            .post(
                &format!("{case}/opinion"),
                &[("csrf_token", token.as_str()), ("body", "经查，该信息存在")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("尚未分办"), "{}", r.body);
        let dept: i64 = app
            .count(&format!(
                "SELECT MIN(id) FROM departments WHERE organ_id = {s}"
            ))
            .await;
        let r = step(
            &mut officer,
            &case,
            "assign",
            &[
                ("department_id", &dept.to_string()),
                ("internal_due_on", "2026-11-30"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = handler
            .post(
                &format!("{case}/opinion"),
                &[
                    ("csrf_token", token.as_str()),
                    ("body", "经查，该招标文件已存档，可以公开"),
                    ("proposed_outcome", "granted"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        assert!(
            page.body.contains("经查，该招标文件已存档，可以公开"),
            "{}",
            page.body
        );

        // An ID copy: a text file is refused by its content, a PNG is kept.
        let r = officer
            .upload(
                &case,
                &format!("{case}/attachments"),
                "file",
                "id.png",
                b"not an image".to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
                .to_vec();
        let r = officer
            .upload(
                &case,
                &format!("{case}/attachments"),
                "file",
                "身份证.png",
                png.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        let link = page
            .body
            .split(&format!("{case}/attachments/"))
            .nth(1)
            .and_then(|p| p.split('"').next())
            .unwrap()
            .to_owned();
        let logged = "SELECT COUNT(*) FROM audit_log WHERE action = 'application.view_pii'";
        let before = app.count(logged).await;
        let (status, headers, bytes) = officer
            .get_bytes(&format!("{case}/attachments/{link}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(bytes, png);
        assert_eq!(headers["cache-control"], "private, no-store");
        assert_eq!(app.count(logged).await, before + 1);
        // The supervisor sees the case masked and cannot download the copy.
        let mut supervisor = app.login_as("demo-supervisor").await;
        let (status, _, _) = supervisor
            .get_bytes(&format!("{case}/attachments/{link}"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_ledger_exports_every_case_of_the_range_masked_for_the_supervisor() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let a = register_letter(&app, &mut officer, s, "2026-10-09").await;
        let r = step(
            &mut officer,
            &a,
            "reply",
            &[
                ("on", "2026-10-20"),
                ("outcome", Outcome::UnableNotHeld.key()),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        register_letter(&app, &mut officer, s, "2026-11-16").await;
        let path =
            format!("/admin/organs/{s}/applications-ledger.xlsx?from=2026-10-01&to=2026-12-31");
        let (status, headers, bytes) = officer.get_bytes(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        let table = gongkai_docs::read_table(&bytes, "ledger.xlsx").unwrap();
        let text = format!("{table:?}");
        assert!(text.contains(Outcome::UnableNotHeld.label()), "{text}");
        assert!(
            text.contains(&resident_id()),
            "the officer's export is full"
        );
        assert!(text.contains("本年新收"), "{text}");
        let rows = app
            .store()
            .applications()
            .ledger(s, d("2026-10-01"), d("2026-12-31"), &Calendar::official())
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        for row in &rows {
            assert!(text.contains(&row.case.tracking_no));
        }
        // Outside the range: nothing.
        let (_, _, bytes) = officer
            .get_bytes(&format!(
                "/admin/organs/{s}/applications-ledger.xlsx?from=2025-01-01&to=2025-12-31"
            ))
            .await;
        let text = format!("{:?}", gongkai_docs::read_table(&bytes, "l.xlsx").unwrap());
        assert!(!text.contains("YSQ"), "{text}");
        // A bad date: a Chinese message.
        let r = officer
            .get(&format!(
                "/admin/organs/{s}/applications-ledger.xlsx?from=2026-13-01"
            ))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("不是有效日期"), "{}", r.body);

        let mut supervisor = app.login_as("demo-supervisor").await;
        let (status, _, bytes) = supervisor.get_bytes(&path).await;
        assert_eq!(status, StatusCode::OK);
        let text = format!("{:?}", gongkai_docs::read_table(&bytes, "l.xlsx").unwrap());
        assert!(!text.contains(&resident_id()), "masked for the supervisor");
        assert!(!text.contains("13800138000"));
    })
    .await;
}

#[tokio::test]
async fn two_officers_acting_at_once_cannot_build_an_impossible_timeline() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let mut handler = app.login_as("demo-handler").await;
        let case = register_letter(&app, &mut officer, s, "2026-11-16").await;
        for round in 0..3 {
            let p1 = officer.get(&case).await;
            let p2 = handler.get(&case).await;
            let v = common::cases::version_of(&p1.body);
            assert_eq!(v, common::cases::version_of(&p2.body));
            let (t1, t2) = (p1.csrf(), p2.csrf());
            // Both reply on the same version at the same time: a reply closes the case, so two
            // replies would be an impossible timeline.
            let f1 = [
                ("csrf_token", t1.as_str()),
                ("version", v.as_str()),
                ("on", "2026-11-24"),
                ("outcome", "granted"),
            ];
            let f2 = [
                ("csrf_token", t2.as_str()),
                ("version", v.as_str()),
                ("on", "2026-11-24"),
                ("outcome", "unable_not_held"),
            ];
            let action = if round < 2 {
                // Two consultation starts: pauses cannot overlap.
                format!("{case}/consultation/start")
            } else {
                format!("{case}/reply")
            };
            // Round 0 consults on 11-17 to 11-18, round 1 on 11-19 to 11-20 (events in date order).
            let (start, end) = if round == 0 {
                ("2026-11-17", "2026-11-18")
            } else {
                ("2026-11-19", "2026-11-20")
            };
            let consult1 = [
                ("csrf_token", t1.as_str()),
                ("version", v.as_str()),
                ("on", start),
                ("party", "third_party"),
            ];
            let consult2 = [
                ("csrf_token", t2.as_str()),
                ("version", v.as_str()),
                ("on", start),
                ("party", "other_organ"),
            ];
            let before = event_count(&app).await;
            let (r1, r2) = if round < 2 {
                tokio::join!(
                    officer.post(&action, &consult1),
                    handler.post(&action, &consult2)
                )
            } else {
                tokio::join!(officer.post(&action, &f1), handler.post(&action, &f2))
            };
            let ok = [r1.status, r2.status]
                .iter()
                .filter(|s| **s == StatusCode::SEE_OTHER)
                .count();
            assert_eq!(ok, 1, "exactly one wins: {} / {}", r1.status, r2.status);
            let loser = if r1.status == StatusCode::SEE_OTHER {
                &r2
            } else {
                &r1
            };
            assert_eq!(loser.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(loser.body.contains("已被他人处理"), "{}", loser.body);
            assert_eq!(event_count(&app).await, before + 1);
            if round < 2 {
                let r = step(&mut officer, &case, "consultation/end", &[("on", end)]).await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            }
        }
        // The stored timeline replays without error and has unique, gapless positions.
        let events = app
            .store()
            .applications()
            .events(case_id(&case))
            .await
            .unwrap();
        let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
        assert_eq!(
            seqs,
            (1..=i64::try_from(events.len()).unwrap()).collect::<Vec<_>>()
        );
        let timeline: Vec<ClockEvent> = events.into_iter().map(|e| e.event).collect();
        let state = gongkai_law::evaluate(&timeline, common::cases::today(), &Calendar::official())
            .unwrap();
        assert_eq!(state.status, ClockStatus::Replied);
    })
    .await;
}

#[tokio::test]
async fn the_list_narrows_to_cases_due_soon_and_to_the_handlers_department() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let late = register_letter(&app, &mut officer, s, "2026-10-26").await;
        let fresh = register_letter(&app, &mut officer, s, "2026-11-24").await;
        let no = |case: &str| {
            let id = case_id(case);
            let store = app.store().clone();
            async move {
                store
                    .applications()
                    .get(id)
                    .await
                    .unwrap()
                    .unwrap()
                    .tracking_no
            }
        };
        let (late_no, fresh_no) = (no(&late).await, no(&fresh).await);
        let due = officer
            .get(&format!("/admin/organs/{s}/applications?view=due"))
            .await;
        assert_eq!(due.status, StatusCode::OK);
        assert!(due.body.contains(&late_no), "{}", due.body);
        assert!(!due.body.contains(&fresh_no), "{}", due.body);
        let all = officer
            .get(&format!("/admin/organs/{s}/applications"))
            .await;
        assert!(all.body.contains(&late_no) && all.body.contains(&fresh_no));

        // The handler's 科室 sees only what was assigned to it.
        let mut handler = app.login_as("demo-handler").await;
        let page = handler
            .get(&format!("/admin/organs/{s}/applications"))
            .await;
        let link = format!("/admin/organs/{s}/applications?view=mine");
        assert!(page.body.contains(&link), "{}", page.body);
        let dept: i64 = app
            .count(
                "SELECT department_id FROM user_roles r JOIN users u ON u.id = r.user_id \
                 WHERE u.username = 'demo-handler' AND r.department_id IS NOT NULL",
            )
            .await;
        let r = step(
            &mut officer,
            &fresh,
            "assign",
            &[
                ("department_id", &dept.to_string()),
                ("internal_due_on", ""),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mine = handler.get(&link).await;
        assert!(mine.body.contains(&fresh_no), "{}", mine.body);
        assert!(!mine.body.contains(&late_no), "{}", mine.body);
        // An officer without a 科室 is told why there is no such view.
        let r = officer.get(&link).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("没有所属科室"), "{}", r.body);
    })
    .await;
}
