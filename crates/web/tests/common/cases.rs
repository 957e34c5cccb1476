//! Helpers for the 依申请公开 case tests: register a letter through the staff form, post a step
//! from the case page with the version it shows, read the due date cell.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_law::{ClockEvent, ResidentIdNumber};
use reqwest::StatusCode;

use super::{Browser, Resp, TestApp};

pub fn resident_id() -> String {
    let body = "11010519491231002";
    format!("{body}{}", ResidentIdNumber::check_char_for(body).unwrap())
}

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Today in the tests (t0 is 2026-11-25 09:00 in Beijing).
pub fn today() -> NaiveDate {
    d("2026-11-25")
}

pub fn due_of(events: &[ClockEvent]) -> String {
    let state = gongkai_law::evaluate(events, today(), &Calendar::official()).unwrap();
    state.due_date.unwrap().to_string()
}

/// Registers a 挂号信 signed for on `signed_on`; returns the case page path.
pub async fn register_letter(
    app: &TestApp,
    b: &mut Browser,
    organ_id: i64,
    signed_on: &str,
) -> String {
    register_letter_with_secret(app, b, organ_id, signed_on)
        .await
        .0
}

/// [`register_letter`], also returning the tracking number and the secret shown once.
pub async fn register_letter_with_secret(
    app: &TestApp,
    b: &mut Browser,
    organ_id: i64,
    signed_on: &str,
) -> (String, String, String) {
    let new = format!("/admin/organs/{organ_id}/applications/new");
    let id = resident_id();
    let r = b
        .submit(
            &new,
            &new,
            &[
                ("channel", "post_signed"),
                ("arrived_on", signed_on),
                ("confirmed_on", ""),
                ("applicant_type", "natural_person"),
                ("name", "王五"),
                ("id_type", "resident_id"),
                ("id_number", &id),
                ("phone", "13800138000"),
                ("email", ""),
                ("address", "新华区西市场街1号"),
                ("description", "2025年西市场街道老旧小区改造项目的招标文件"),
                ("provision_form", "paper"),
                ("delivery", "邮寄"),
            ],
        )
        .await;
    // The receipt page shows the tracking number and the one-time secret, then links the case.
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("查询密码"), "{}", r.body);
    let strong: Vec<&str> = r
        .body
        .split("<strong>")
        .skip(1)
        .filter_map(|p| p.split("</strong>").next())
        .collect();
    let (tracking_no, secret) = (strong[0], strong[1]);
    let found = app
        .store()
        .applications()
        .by_tracking(tracking_no, secret)
        .await
        .unwrap();
    assert!(found.is_some(), "the secret shown opens the case at /track");
    let case = r
        .body
        .split("class=\"button\" href=\"")
        .nth(1)
        .and_then(|p| p.split('"').next())
        .unwrap()
        .to_owned();
    (case, tracking_no.to_owned(), secret.to_owned())
}

pub fn version_of(page: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// Posts one step from the case page with the version it shows.
pub async fn step(b: &mut Browser, case: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
    let page = b.get(case).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let version = version_of(&page.body);
    let token = page.csrf();
    let mut all = vec![
        ("csrf_token", token.as_str()),
        ("version", version.as_str()),
    ];
    all.extend_from_slice(fields);
    b.post(&format!("{case}/{action}"), &all).await
}

pub fn due_cell(page: &str) -> String {
    let marker = "<td id=\"due-date\">";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split('<').next().unwrap().to_owned()
}

pub async fn event_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM application_events").await
}
