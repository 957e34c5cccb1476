#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The applicant's side of 依申请公开 over HTTP (issue #6): the online form (条例 Art 29), the
//! tracking page, the JSON API and its OpenAPI description — on SQLite and (when configured)
//! PostgreSQL.

mod common;

use chrono::NaiveDate;
use common::{Resp, TestApp, demo_ids, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{Channel, ClockEvent, ResidentIdNumber};
use gongkai_store::CreditCode;
use reqwest::StatusCode;
use serde_json::Value;

/// A valid 居民身份证 number (check character computed by the law crate).
fn resident_id() -> String {
    let body = "11010519491231002";
    format!("{body}{}", ResidentIdNumber::check_char_for(body).unwrap())
}

/// The same number with a wrong check character.
fn bad_resident_id() -> String {
    let good = resident_id();
    let last = good.chars().last().unwrap();
    let wrong = if last == '1' { '2' } else { '1' };
    format!("{}{wrong}", &good[..17])
}

fn credit_code() -> String {
    let body = "91110105MA0000013";
    format!("{body}{}", CreditCode::check_char_for(body).unwrap())
}

/// The reply due date the law crate gives for an online application received `on`.
fn law_due(on: NaiveDate) -> NaiveDate {
    gongkai_law::evaluate(
        &[ClockEvent::Received {
            on,
            channel: Channel::Online,
        }],
        on,
        &Calendar::official(),
    )
    .unwrap()
    .due_date
    .unwrap()
}

fn today() -> NaiveDate {
    (common::t0() + chrono::Duration::hours(8)).date_naive()
}

fn between(body: &str, start: &str, end: &str) -> String {
    let i = body
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {body}"))
        + start.len();
    let j = body[i..].find(end).unwrap() + i;
    body[i..j].to_owned()
}

async fn count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM applications").await
}

fn person(id_number: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("applicant_type", "natural_person"),
        ("name", "张三"),
        ("id_type", "resident_id"),
        ("id_number", id_number),
        ("phone", "13800138000"),
        ("email", "zhang@example.com"),
        ("address", "新华区西市场街道1号"),
        (
            "description",
            "2025年西市场街道老旧小区改造项目的资金使用情况",
        ),
        ("provision_form", "email"),
        ("delivery", "发送至电子邮箱"),
    ]
}

async fn submit(b: &mut common::Browser, organ: i64, fields: &[(&str, &str)]) -> Resp {
    let page = format!("/organs/{organ}/apply");
    b.submit(&page, &page, fields).await
}

#[tokio::test]
async fn the_online_form_creates_a_case_and_the_tracking_page_shows_it() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut b = app.browser();
        let page = b.get(&format!("/organs/{s}/apply")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("第三十三条") && page.body.contains("在线申请表"));
        assert!(page.body.contains("请不要填写此项") && !page.body.contains("<script"));
        let before = count(&app).await;

        // Valid: stored, the secret shown once, the due date the law crate's.
        let id = resident_id();
        let r = submit(&mut b, s, &person(&id)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers.get("cache-control").unwrap(), "no-store");
        let no = between(&r.body, "id=\"tracking-no\">", "<");
        let secret = between(&r.body, "id=\"secret\">", "<");
        let due = law_due(today());
        assert!(
            r.body.contains(&format!("id=\"due-date\">{due}<")),
            "{}",
            r.body
        );
        assert_eq!(count(&app).await, before + 1);
        let stored = app
            .store()
            .applications()
            .by_tracking(&no, &secret)
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(stored.organ_id, s);
        assert_eq!(stored.channel, Channel::Online);
        assert_eq!(stored.received_on, today());
        assert_eq!(stored.due_on, Some(due));
        assert_eq!(stored.id_number, id);

        // A wrong check digit: the Chinese message next to the field, values kept, nothing stored.
        let bad = bad_resident_id();
        let r = submit(&mut b, s, &person(&bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("id=\"id_number-error\""), "{}", r.body);
        assert!(r.body.contains("身份证号码校验位不正确"));
        assert!(r.body.contains(&format!("value=\"{bad}\"")));
        assert!(r.body.contains("老旧小区改造项目"));
        // Several problems at once, each at its field.
        let r = submit(
            &mut b,
            s,
            &[
                ("applicant_type", "natural_person"),
                ("id_type", "resident_id"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        for f in [
            "name",
            "id_number",
            "phone",
            "description",
            "provision_form",
        ] {
            assert!(
                r.body.contains(&format!("id=\"{f}-error\"")),
                "no error for {f}"
            );
        }
        assert_eq!(count(&app).await, before + 1);

        // The honeypot: pretended success, nothing stored.
        let mut fields = person(&id);
        fields.push(("website", "http://spam.example"));
        let r = submit(&mut b, s, &fields).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("申请已提交"));
        assert_eq!(count(&app).await, before + 1);

        // No token: refused.
        let r = b.post(&format!("/organs/{s}/apply"), &person(&id)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(count(&app).await, before + 1);

        // Tracking with the right secret: state, due date, timeline; the ID number masked.
        let mut t = app.browser();
        assert_eq!(t.get("/track").await.status, StatusCode::OK);
        let r = t.post("/track", &[("no", &no), ("secret", &secret)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&format!("id=\"due-date\">{due}<")));
        assert!(r.body.contains("办理中") && r.body.contains("收到申请"));
        assert!(!r.body.contains(&id), "full ID number on the tracking page");
        assert!(r.body.contains(&format!("{}********", &id[..6])));
        // Lower case and spaces are forgiven; the query-string form works too.
        let r = t
            .get(&format!(
                "/track?no={}&secret={}",
                no.to_lowercase(),
                secret.to_lowercase()
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(&format!("id=\"due-date\">{due}<")));

        // Wrong secret and wrong number: the same not-found page, nothing of the case.
        let wrong_secret = t
            .post("/track", &[("no", &no), ("secret", "AAAAAAAAAAAAAAAA")])
            .await;
        let other_no = "YSQ2026ZZZZZZ";
        let wrong_no = t
            .post("/track", &[("no", other_no), ("secret", &secret)])
            .await;
        for r in [&wrong_secret, &wrong_no] {
            assert_eq!(r.status, StatusCode::NOT_FOUND);
            assert!(r.body.contains("id=\"not-found\""));
            assert!(!r.body.contains("张三") && !r.body.contains("办理记录"));
        }
        assert_eq!(
            wrong_secret.body.replace(&no, "NO"),
            wrong_no.body.replace(other_no, "NO")
        );
    })
    .await;
}

#[tokio::test]
async fn submissions_and_guesses_are_rate_limited_per_ip() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut b = app.browser();
        let id = resident_id();
        let before = count(&app).await;
        for _ in 0..5 {
            let r = submit(&mut b, s, &person(&id)).await;
            assert_eq!(r.status, StatusCode::OK);
        }
        let r = submit(&mut b, s, &person(&id)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("提交过于频繁"));
        assert_eq!(count(&app).await, before + 5);
        // The API shares the limit.
        let r = post_json(&app, s, &valid_json()).await;
        assert_eq!(r.0, StatusCode::TOO_MANY_REQUESTS);

        // Guessing: 10 failures, then even lookups are paused.
        for _ in 0..10 {
            let r = b
                .post("/track", &[("no", "YSQ2026ZZZZZZ"), ("secret", "X")])
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
        }
        let r = b
            .post("/track", &[("no", "YSQ2026ZZZZZZ"), ("secret", "X")])
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("查询过于频繁"));
    })
    .await;
}

fn valid_json() -> String {
    serde_json::json!({
        "applicant_type": "other_org",
        "name": "某某律师事务所",
        "id_type": "credit_code",
        "id_number": credit_code(),
        "phone": "",
        "email": "office@example.com",
        "address": "",
        "description": "2025年度行政许可办理情况统计",
        "provision_form": "electronic",
        "delivery": "电子邮件发送",
    })
    .to_string()
}

async fn post_json(app: &TestApp, organ: i64, body: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .post(format!("{}/api/v1/organs/{organ}/applications", app.url))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status();
    (
        status,
        serde_json::from_str(&r.text().await.unwrap()).unwrap(),
    )
}

async fn get_json(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    (
        status,
        serde_json::from_str(&r.text().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn the_json_api_creates_and_reports_applications() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;

        let (st, organs) = get_json(&app, "/api/v1/organs").await;
        assert_eq!(st, StatusCode::OK);
        let sub = organs
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == s)
            .unwrap();
        assert_eq!(sub["name"], "新华区西市场街道办事处");
        assert_eq!(sub["parent_id"], ids.district);
        assert!(sub.get("credit_code").is_some());

        let before = count(&app).await;
        let (st, created) = post_json(&app, s, &valid_json()).await;
        assert_eq!(st, StatusCode::CREATED, "{created}");
        let no = created["tracking_no"].as_str().unwrap().to_owned();
        let secret = created["secret"].as_str().unwrap().to_owned();
        assert_eq!(created["received_on"], today().to_string());
        assert_eq!(created["due_date"], law_due(today()).to_string());
        assert_eq!(count(&app).await, before + 1);

        // Per-field Chinese errors, nothing stored.
        let bad = serde_json::json!({
            "applicant_type": "natural_person",
            "name": "李四",
            "id_type": "resident_id",
            "id_number": bad_resident_id(),
            "phone": "010-12345678",
            "provision_form": "fax",
            "delivery": 3,
        })
        .to_string();
        let (st, errors) = post_json(&app, s, &bad).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");
        assert_eq!(errors["errors"]["delivery"], "应为字符串");
        let (st, errors) = post_json(&app, s, &bad.replace(":3", ":\"自取\"")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let e = &errors["errors"];
        assert!(e["id_number"].as_str().unwrap().contains("校验位"), "{e}");
        assert!(e["description"].as_str().unwrap().contains("第二十九条"));
        assert!(e["provision_form"].as_str().is_some());
        assert!(e.get("name").is_none());
        assert_eq!(count(&app).await, before + 1);

        // Only JSON.
        let r = app
            .client
            .post(format!("{}/api/v1/organs/{s}/applications", app.url))
            .form(&[("name", "王五")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (st, _) = post_json(&app, 999_999, &valid_json()).await;
        assert_eq!(st, StatusCode::NOT_FOUND);

        // The lookup: with the secret the state and due date; without or wrong, 404.
        let (st, v) = get_json(&app, &format!("/api/v1/applications/{no}?secret={secret}")).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "running");
        assert_eq!(v["due_date"], law_due(today()).to_string());
        assert_eq!(v["timeline"][0]["kind"], "received");
        assert!(v.get("id_number").is_none() && v.get("secret").is_none());
        for path in [
            format!("/api/v1/applications/{no}"),
            format!("/api/v1/applications/{no}?secret=WRONGWRONGWRONG2"),
            format!("/api/v1/applications/YSQ2026ZZZZZZ?secret={secret}"),
        ] {
            let (st, v) = get_json(&app, &path).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{path}");
            assert!(v.get("state").is_none());
        }

        // The OpenAPI description.
        let (st, doc) = get_json(&app, "/api/v1/openapi.json").await;
        assert_eq!(st, StatusCode::OK);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc["paths"].as_object().unwrap();
        for p in [
            "/api/v1/organs",
            "/api/v1/organs/{id}/applications",
            "/api/v1/applications/{tracking_no}",
        ] {
            assert!(paths.contains_key(p), "openapi lacks {p}");
        }
        assert_eq!(paths.len(), 3);
    })
    .await;
}

#[tokio::test]
async fn the_guide_page_explains_the_application() {
    each_backend(|app: TestApp| async move {
        let mut b = app.browser();
        let r = b.get("/guide/apply").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("查询码") && r.body.contains("/api/v1/openapi.json"));
    })
    .await;
}

/// Art 29: the applicant may attach a copy of the 身份证明. The form is multipart; the copy is
/// judged by its content, kept with the case in one transaction, and a refused copy keeps the
/// applicant's entries and stores nothing.
#[tokio::test]
async fn the_online_form_takes_an_id_copy_with_the_application() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut b = app.browser();
        let page = format!("/organs/{s}/apply");
        let form = b.get(&page).await;
        assert!(form.body.contains("enctype=\"multipart/form-data\""));
        assert!(form.body.contains("name=\"id_copy\""));
        let id = resident_id();
        let fields = person(&id);
        let before = count(&app).await;
        let r = b
            .submit_multipart(
                &page,
                &page,
                &fields,
                &[("id_copy", "身份证.exe", b"MZ\x90\0not a scan".to_vec())],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("id=\"id_copy-error\""), "{}", r.body);
        assert!(r.body.contains("老旧小区改造项目"), "entries kept");
        assert_eq!(count(&app).await, before);

        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let r = b
            .submit_multipart(
                &page,
                &page,
                &fields,
                &[("id_copy", "身份证.pdf", pdf.clone())],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let no = between(&r.body, "id=\"tracking-no\">", "<");
        let secret = between(&r.body, "id=\"secret\">", "<");
        let stored = app
            .store()
            .applications()
            .by_tracking(&no, &secret)
            .await
            .unwrap()
            .unwrap();
        let files = app
            .store()
            .applications()
            .attachments(stored.id)
            .await
            .unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].file_name, "身份证.pdf");
        assert_eq!(files[0].media_type, "application/pdf");
        // Without a file, the multipart form works as before.
        let r = b.submit_multipart(&page, &page, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    })
    .await;
}
