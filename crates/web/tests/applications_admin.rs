#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The staff side of 依申请公开 over real HTTP: registration of a letter (条例 Art 31), the list
//! by due date, the case page's clock against the law crate, the steps of a lifecycle, and the
//! refusals (impossible timeline, stale form, extension by a handler, supervisor read-only).

mod common;

use common::{TestApp, demo_ids, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{Channel, ClockEvent, Outcome};
use reqwest::StatusCode;

use common::cases::{
    d, due_cell, due_of, event_count, register_letter, resident_id, step, today, version_of,
};

#[tokio::test]
async fn officer_registers_a_letter_and_the_list_shows_the_law_crates_due_date() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-11-16").await;
        let expected = due_of(&[ClockEvent::Received {
            on: d("2026-11-16"),
            channel: Channel::PostSigned,
        }]);
        let list = officer
            .get(&format!("/admin/organs/{s}/applications"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&expected), "{}", list.body);
        assert!(list.body.contains("王五"));
        assert!(list.body.contains("条例》第三十三条"));
        assert!(list.body.contains("/guide/applications"));
        // Masked in the list.
        assert!(!list.body.contains(&resident_id()));
        let page = officer.get(&case).await;
        assert_eq!(due_cell(&page.body), expected);
        assert!(
            page.body.contains(&resident_id()),
            "the officer sees the full ID"
        );
        assert!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'application.view_pii'")
                .await
                >= 1
        );
        // An ordinary letter needs the confirmation date (Art 31(2)); the form says so.
        let new = format!("/admin/organs/{s}/applications/new");
        let r = officer
            .submit(
                &new,
                &new,
                &[
                    ("channel", "post_ordinary"),
                    ("arrived_on", "2026-11-16"),
                    ("applicant_type", "natural_person"),
                    ("name", "赵六"),
                    ("id_type", "resident_id"),
                    ("id_number", "123"),
                    ("phone", "1"),
                    ("description", "x"),
                    ("provision_form", "paper"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("确认"), "{}", r.body);
        assert!(r.body.contains("赵六"), "input kept");
        // The guide page exists.
        let g = app.browser().get("/guide/applications").await;
        assert_eq!(g.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_lifecycle_through_the_forms_keeps_the_law_crates_dates() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-09-01").await;
        let mut events = vec![ClockEvent::Received {
            on: d("2026-09-01"),
            channel: Channel::PostSigned,
        }];
        assert_eq!(due_cell(&officer.get(&case).await.body), due_of(&events));

        let r = step(
            &mut officer,
            &case,
            "correction",
            &[
                ("on", "2026-09-03"),
                ("period_working_days", "15"),
                ("what", "请写明所需信息的文号"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        events.push(ClockEvent::CorrectionNotice {
            on: d("2026-09-03"),
            period_working_days: 15,
        });

        let r = step(&mut officer, &case, "corrected", &[("on", "2026-09-08")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        events.push(ClockEvent::CorrectedReceived {
            on: d("2026-09-08"),
        });
        let page = officer.get(&case).await;
        assert_eq!(due_cell(&page.body), due_of(&events));
        assert_eq!(due_of(&events), "2026-10-12");

        let r = step(
            &mut officer,
            &case,
            "extension",
            &[("on", "2026-09-30"), ("working_days", "20")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        events.push(ClockEvent::Extension {
            on: d("2026-09-30"),
            working_days: 20,
            approver: "x".into(),
        });
        let page = officer.get(&case).await;
        assert_eq!(due_cell(&page.body), due_of(&events));
        assert_eq!(due_of(&events), "2026-11-09");
        // The law crate's explanation lines are on the page.
        let state = gongkai_law::evaluate(&events, today(), &Calendar::official()).unwrap();
        for line in &state.explanation {
            let line = line.replace("（经 x 同意", "");
            let head: String = line.chars().take(12).collect();
            assert!(page.body.contains(&head), "{head}\n{}", page.body);
        }

        let r = step(
            &mut officer,
            &case,
            "reply",
            &[("on", "2026-10-20"), ("outcome", Outcome::Granted.key())],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        assert!(page.body.contains("予以公开"), "{}", page.body);
        assert!(!page.body.contains("记录答复"), "closed: no more forms");
        let id: i64 = case.rsplit('/').next().unwrap().parse().unwrap();
        let stored = app.store().applications().get(id).await.unwrap().unwrap();
        assert_eq!(stored.outcome, Some(Outcome::Granted));
        assert_eq!(stored.closed_on, Some(d("2026-10-20")));
        // Closed cases leave the open list.
        let list = officer
            .get(&format!("/admin/organs/{s}/applications"))
            .await;
        assert!(!list.body.contains(&stored.tracking_no));
    })
    .await;
}

#[tokio::test]
async fn refusals_write_nothing() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let case = register_letter(&app, &mut officer, s, "2026-11-16").await;
        let id: i64 = case.rsplit('/').next().unwrap().parse().unwrap();

        // A reply dated before the receipt: the law crate's refusal, nothing stored.
        let before = event_count(&app).await;
        let r = step(
            &mut officer,
            &case,
            "reply",
            &[("on", "2026-11-10"), ("outcome", "granted")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("早于收到申请之日"), "{}", r.body);
        assert_eq!(event_count(&app).await, before);
        assert_eq!(
            app.store()
                .applications()
                .get(id)
                .await
                .unwrap()
                .unwrap()
                .version,
            1
        );

        // A form rendered before someone else acted.
        let page = officer.get(&case).await;
        let stale = version_of(&page.body);
        let token = page.csrf();
        let r = step(&mut officer, &case, "corrected", &[("on", "2026-11-17")]).await;
        // (Corrected without a notice is refused by the law; use a consultation instead.)
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = step(
            &mut officer,
            &case,
            "consultation/start",
            &[("on", "2026-11-17"), ("party", "third_party")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let before = event_count(&app).await;
        let r = officer
            .post(
                &format!("{case}/consultation/end"),
                &[
                    ("csrf_token", &token),
                    ("version", &stale),
                    ("on", "2026-11-20"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("已被他人处理"), "{}", r.body);
        assert!(r.body.contains("请刷新"), "{}", r.body);
        assert_eq!(event_count(&app).await, before);

        // A handler handles the case but may not approve an extension.
        let mut handler = app.login_as("demo-handler").await;
        let r = step(
            &mut handler,
            &case,
            "consultation/end",
            &[("on", "2026-11-20")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let before = event_count(&app).await;
        let r = step(
            &mut handler,
            &case,
            "extension",
            &[("on", "2026-11-24"), ("working_days", "10")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("负责人同意"), "{}", r.body);
        assert_eq!(event_count(&app).await, before);

        // The supervisor reads the list and the case, masked, and cannot post.
        let mut supervisor = app.login_as("demo-supervisor").await;
        let list = supervisor
            .get(&format!("/admin/organs/{s}/applications"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("王五"));
        let page = supervisor.get(&case).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains(&resident_id()), "{}", page.body);
        assert!(!page.body.contains("13800138000"));
        assert!(!page.body.contains("记录答复"));
        let token = page.csrf();
        let r = supervisor
            .post(
                &format!("{case}/reply"),
                &[
                    ("csrf_token", &token),
                    ("version", "1"),
                    ("on", "2026-11-24"),
                    ("outcome", "granted"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(event_count(&app).await, before);
        // An editor does not see applications at all.
        let mut editor = app.login_as("demo-editor").await;
        assert_eq!(
            editor
                .get(&format!("/admin/organs/{s}/applications"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}
