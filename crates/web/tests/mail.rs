#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! E-mail and deadline reminders (issue #6) over a real server with the file transport and a
//! manual clock, on SQLite and (when configured) PostgreSQL: a reminder goes out once, on the
//! right working day by the official calendar (2026 国庆 and its 调休), and never again — not on
//! a second sweep, not after a restart; an extension brings a new reminder for the new date;
//! the applicant's confirmation is written on submission; two workers never send one job
//! twice; an unreachable SMTP server means retries with backoff, not a broken server.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::{Browser, TestApp, demo_ids, each_backend, each_backend_with};
use gongkai_calendar::Calendar;
use gongkai_law::{ApplicantType, Channel, ProvisionForm, ResidentIdNumber};
use gongkai_store::{Actor, JobState, NewApplication, Store, StoreOptions};
use gongkai_web::config::{MailTransport, Secret};
use gongkai_web::mail::{MAIL_SEND, OutgoingMail};
use gongkai_web::worker::{JobOutcome, Worker};
use gongkai_web::{App, Config};
use reqwest::StatusCode;

const PUBLIC_URL: &str = "https://gk.example.gov.cn";

fn mail_on(c: &mut Config) {
    c.mail_transport = MailTransport::File;
    c.mail_from = Some("新华区政务公开办 <gongkai@xinhua.example.gov.cn>".into());
    c.public_url = Some(PUBLIC_URL.into());
    c.reminder_working_days = 3;
    // These tests count the deadline mails of applications; the annual-report reminders (which
    // the demo organs would get, their 2025 reports being unpublished) have their own test in
    // reports_admin.rs.
    c.report_reminder_days = 0;
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Moves the clock to 09:00 Beijing time on `day`.
fn at(app: &TestApp, day: &str) {
    let date = d(day);
    app.clock
        .set(Utc.from_utc_datetime(&date.and_hms_opt(1, 0, 0).unwrap()));
}

fn mail_dir(app: &TestApp) -> PathBuf {
    app.data_dir.path().join("mail")
}

/// The `.eml` files written so far.
fn mails(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    out.sort();
    out
}

/// Runs due jobs (this test's call and the server's own worker may share them) until `n` mails
/// are written, then checks no more arrive: the exact count is the point of these tests.
async fn expect_mails(app: &TestApp, n: usize) -> Vec<String> {
    let dir = mail_dir(app);
    for _ in 0..200 {
        app.server.worker().drain().await.unwrap();
        if mails(&dir).len() >= n {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    app.server.worker().drain().await.unwrap();
    tokio::time::sleep(StdDuration::from_millis(200)).await;
    let found = mails(&dir);
    assert_eq!(found.len(), n, "mails written: {found:#?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL")
            .await,
        0,
        "every job ran"
    );
    found
}

async fn reminder_jobs(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM jobs WHERE dedup_key LIKE 'mail.send:reminder.%'")
        .await
}

fn resident_id() -> String {
    let body = "11010519491231002";
    format!("{body}{}", ResidentIdNumber::check_char_for(body).unwrap())
}

/// A letter received by the subdistrict office on 2026-09-04 (a Friday): by the official
/// calendar its reply is due 2026-10-09 — the count runs across 中秋 (Sep 25–27), 国庆
/// (Oct 1–7) and the 调休 working Sunday Sep 20.
async fn case_received_sep_4(app: &TestApp, email: &str) -> gongkai_store::Application {
    at(app, "2026-09-04");
    let s = demo_ids(app).await.subdistrict;
    let (case, _) = app
        .store()
        .applications()
        .create(
            &Actor::system(),
            s,
            &NewApplication {
                applicant_type: ApplicantType::NaturalPerson,
                applicant_name: "张三".into(),
                id_kind: "resident_id".into(),
                id_number: resident_id(),
                phone: "13800138000".into(),
                email: email.into(),
                address: String::new(),
                description: "2025年老旧小区改造资金使用情况".into(),
                provision_form: ProvisionForm::Email,
                delivery: String::new(),
                channel: Channel::InPerson,
                received_on: d("2026-09-04"),
            },
            &Calendar::official(),
        )
        .await
        .unwrap();
    assert_eq!(case.due_on, Some(d("2026-10-09")));
    case
}

async fn set_email(app: &TestApp, username: &str, email: Option<&str>) -> i64 {
    let user = app
        .store()
        .users()
        .find_by_username(username)
        .await
        .unwrap()
        .unwrap();
    app.store()
        .users()
        .set_email(&Actor::system(), user.id, email)
        .await
        .unwrap();
    user.id
}

/// A second server on the same database with the same clock: a restart (or another node).
async fn restart(app: &TestApp) -> (gongkai_web::Server, tempfile::TempDir) {
    let store = Store::connect_with(
        &app.db_url,
        StoreOptions {
            max_connections: Some(5),
            clock: Arc::new(app.clock.clone()),
        },
    )
    .await
    .unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_path_buf(),
        ..Config::default()
    };
    mail_on(&mut config);
    (
        App::build_with_store(config, store).await.unwrap(),
        data_dir,
    )
}

#[tokio::test]
async fn a_reminder_fires_once_on_the_right_working_day_around_national_day() {
    each_backend_with(&mail_on, |app: TestApp| async move {
        let officer = set_email(&app, "demo-officer", Some("officer@xinhua.example.gov.cn")).await;
        let case = case_received_sep_4(&app, "").await;
        let worker = app.server.worker();

        // Mon 28 Sep: Sep 29, Sep 30, Oct 8, Oct 9 are left — 4 working days (a Mon–Fri count
        // that ignored 国庆 would say 9), so no reminder yet with reminder_working_days = 3.
        at(&app, "2026-09-28");
        let report = worker.sweep().await.unwrap();
        assert_eq!(report.cases, 1);
        assert_eq!(report.enqueued, 0);
        assert_eq!(reminder_jobs(&app).await, 0);
        expect_mails(&app, 0).await;

        // Tue 29 Sep: 3 working days left — the reminder goes out, to the officer.
        at(&app, "2026-09-29");
        let report = worker.sweep().await.unwrap();
        assert_eq!(report.enqueued + report.already_queued, 1, "{report:?}");
        assert_eq!(reminder_jobs(&app).await, 1);
        let sent = expect_mails(&app, 1).await;
        assert!(
            sent[0].contains("To: officer@xinhua.example.gov.cn"),
            "{}",
            sent[0]
        );
        let message_id = format!(
            "<gongkai.reminder.{}.statutory.2026-10-09.due-soon.u{officer}@xinhua.example.gov.cn>",
            case.id
        );
        assert!(sent[0].contains(&message_id), "{}", sent[0]);
        // What it says (the job keeps the plain text; the file is MIME-encoded).
        let said = app
            .count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE payload_json LIKE '%{}%' \
                 AND payload_json LIKE '%还剩 3 个工作日%' AND payload_json LIKE '%第三十三条%' \
                 AND payload_json LIKE '%2026年10月9日（星期五）%' \
                 AND payload_json LIKE '%{PUBLIC_URL}/admin/organs/{}/applications/{}%'",
                case.tracking_no, case.organ_id, case.id
            ))
            .await;
        assert_eq!(said, 1);

        // The same day again, and the next day: nothing new.
        let report = worker.sweep().await.unwrap();
        assert_eq!((report.enqueued, report.already_queued), (0, 1));
        at(&app, "2026-09-30");
        let report = worker.sweep().await.unwrap();
        assert_eq!((report.enqueued, report.already_queued), (0, 1));
        expect_mails(&app, 1).await;

        // A restart (a new server and worker on the same database) sweeps at start: still
        // nothing new, because the key lives in the jobs table.
        let (second, _dir) = restart(&app).await;
        let report = second.worker().sweep().await.unwrap();
        assert_eq!((report.enqueued, report.already_queued), (0, 1));
        second.shutdown().await.unwrap();
        assert_eq!(reminder_jobs(&app).await, 1);
        expect_mails(&app, 1).await;
    })
    .await;
}

async fn step(b: &mut Browser, case: &str, action: &str, fields: &[(&str, &str)]) -> common::Resp {
    let page = b.get(case).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let marker = "name=\"version\" value=\"";
    let start = page.body.find(marker).unwrap() + marker.len();
    let version = page.body[start..].split('"').next().unwrap().to_owned();
    let token = page.csrf();
    let mut all = vec![
        ("csrf_token", token.as_str()),
        ("version", version.as_str()),
    ];
    all.extend_from_slice(fields);
    b.post(&format!("{case}/{action}"), &all).await
}

#[tokio::test]
async fn an_extension_tells_the_applicant_and_brings_a_reminder_for_the_new_due_date() {
    each_backend_with(&mail_on, |app: TestApp| async move {
        set_email(&app, "demo-officer", Some("officer@xinhua.example.gov.cn")).await;
        // Log in first: a session must be younger than the password, which the demo set at
        // the harness's start instant (the test then moves the clock back to September).
        let mut officer = app.login_as("demo-officer").await;
        let case = case_received_sep_4(&app, "zhangsan@example.com").await;
        let worker = app.server.worker();
        at(&app, "2026-09-29");
        worker.sweep().await.unwrap();
        expect_mails(&app, 1).await;

        // 30 Sep: the officer extends by 10 working days (条例 Art 33 ¶2) on the case page.
        at(&app, "2026-09-30");
        let page = format!("/admin/organs/{}/applications/{}", case.organ_id, case.id);
        let r = step(
            &mut officer,
            &page,
            "extension",
            &[("on", "2026-09-30"), ("working_days", "10")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let extended = app.store().applications().get(case.id).await.unwrap().unwrap();
        // Oct 9 + 10 working days: Oct 10 (调休 Saturday), 12–16, 19–22.
        assert_eq!(extended.due_on, Some(d("2026-10-22")));
        // The applicant is told, with the new date.
        let sent = expect_mails(&app, 2).await;
        assert!(
            sent.iter().any(|m| m.contains("To: zhangsan@example.com")),
            "{sent:#?}"
        );
        let notice = app
            .count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE dedup_key = 'mail.send:application.{}.extension.2026-10-22' \
                 AND payload_json LIKE '%2026年10月22日%' AND payload_json LIKE '%延长 10 个工作日%'",
                case.id
            ))
            .await;
        assert_eq!(notice, 1);

        // Fri 16 Oct: 4 working days to the new date — nothing yet; Mon 19 Oct: 3 — the new
        // reminder; the old date's reminder is not repeated.
        at(&app, "2026-10-16");
        assert_eq!(worker.sweep().await.unwrap().enqueued, 0);
        at(&app, "2026-10-19");
        let report = worker.sweep().await.unwrap();
        assert_eq!(report.enqueued + report.already_queued, 1, "{report:?}");
        assert_eq!(reminder_jobs(&app).await, 2);
        let new_key = app
            .count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE dedup_key LIKE 'mail.send:reminder.{}.statutory.2026-10-22.due-soon.%'",
                case.id
            ))
            .await;
        assert_eq!(new_key, 1);
        expect_mails(&app, 3).await;

        // Fri 23 Oct: overdue — one 逾期 reminder, once.
        at(&app, "2026-10-23");
        assert_eq!(worker.sweep().await.unwrap().enqueued, 1);
        assert_eq!(worker.sweep().await.unwrap().enqueued, 0);
        let overdue = app
            .count("SELECT COUNT(*) FROM jobs WHERE dedup_key LIKE '%.statutory.2026-10-22.overdue.%' \
                    AND payload_json LIKE '%已逾期%'")
            .await;
        assert_eq!(overdue, 1);
        expect_mails(&app, 4).await;
    })
    .await;
}

#[tokio::test]
async fn an_assigned_case_reminds_the_department_handler_of_both_deadlines_and_skips_users_without_email()
 {
    each_backend_with(&mail_on, |app: TestApp| async move {
        set_email(&app, "demo-officer", None).await;
        let handler = set_email(&app, "demo-handler", Some("handler@xinhua.example.gov.cn")).await;
        let case = case_received_sep_4(&app, "").await;
        let dept = app
            .store()
            .departments()
            .list(case.organ_id)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.name == "社会事务办公室")
            .unwrap();
        app.store()
            .applications()
            .assign(&Actor::system(), case.id, Some(dept.id), Some(d("2026-09-30")))
            .await
            .unwrap();
        let worker = app.server.worker();
        let keys = |kind: &str| {
            format!(
                "SELECT COUNT(*) FROM jobs WHERE dedup_key LIKE 'mail.send:reminder.{}.{kind}.u{handler}'",
                case.id
            )
        };

        // Internal date Wed 30 Sep: on Wed 23 Sep four working days are left (24, 28, 29,
        // 30: 中秋 Sep 25–27 in between); on Thu 24 Sep three.
        at(&app, "2026-09-23");
        assert_eq!(worker.sweep().await.unwrap().enqueued, 0);
        at(&app, "2026-09-24");
        worker.sweep().await.unwrap();
        assert_eq!(app.count(&keys("internal.2026-09-30.due-soon")).await, 1);

        // 29 Sep: the statutory date is 3 working days away: the handler of the assigned
        // department is reminded; the officer has no address and is skipped (reported).
        at(&app, "2026-09-29");
        let report = worker.sweep().await.unwrap();
        assert_eq!(app.count(&keys("statutory.2026-10-09.due-soon")).await, 1);
        assert!(report.without_email.contains("demo-officer"), "{report:?}");

        // 1 Oct (a holiday): the internal date has passed — one overdue reminder.
        at(&app, "2026-10-01");
        worker.sweep().await.unwrap();
        worker.sweep().await.unwrap();
        assert_eq!(app.count(&keys("internal.2026-09-30.overdue")).await, 1);
        assert_eq!(reminder_jobs(&app).await, 3);
        let sent = expect_mails(&app, 3).await;
        assert!(sent.iter().all(|m| m.contains("To: handler@xinhua.example.gov.cn")));
    })
    .await;
}

#[tokio::test]
async fn the_applicant_gets_a_confirmation_without_the_secret_from_the_form_and_the_api() {
    each_backend_with(&mail_on, |app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        // The JSON API.
        let body = serde_json::json!({
            "applicant_type": "natural_person",
            "name": "李四",
            "id_type": "resident_id",
            "id_number": resident_id(),
            "email": "lisi@example.com",
            "description": "2025年度道路维修资金使用情况",
            "provision_form": "electronic",
        })
        .to_string();
        let r = app
            .client
            .post(format!("{}/api/v1/organs/{s}/applications", app.url))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let created: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        let tracking_no = created["tracking_no"].as_str().unwrap().to_owned();
        let secret = created["secret"].as_str().unwrap().to_owned();
        let sent = expect_mails(&app, 1).await;
        assert!(sent[0].contains("To: lisi@example.com"), "{}", sent[0]);
        assert!(!sent[0].contains(&secret));
        let rows = app
            .count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE kind = '{MAIL_SEND}' \
                 AND payload_json LIKE '%{tracking_no}%' AND payload_json LIKE '%{PUBLIC_URL}/track%' \
                 AND payload_json LIKE '%不包含查询密码%' AND payload_json NOT LIKE '%{secret}%'"
            ))
            .await;
        assert_eq!(rows, 1, "the confirmation names the case and where to track, not the secret");

        // The portal form.
        let mut b = app.browser();
        let id = resident_id();
        let form = format!("/organs/{s}/apply");
        let r = b
            .submit(
                &form,
                &form,
                &[
                    ("applicant_type", "natural_person"),
                    ("name", "王五"),
                    ("id_type", "resident_id"),
                    ("id_number", id.as_str()),
                    ("email", "wangwu@example.com"),
                    ("description", "2025年度街道办事处预算执行情况"),
                    ("provision_form", "email"),
                ],
            )
            .await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}", r.body);
        let sent = expect_mails(&app, 2).await;
        assert!(sent.iter().any(|m| m.contains("To: wangwu@example.com")));

        // Without an address, nothing is queued.
        let before = app.count("SELECT COUNT(*) FROM jobs").await;
        let r = app
            .client
            .post(format!("{}/api/v1/organs/{s}/applications", app.url))
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "applicant_type": "natural_person",
                    "name": "赵六",
                    "id_type": "resident_id",
                    "id_number": resident_id(),
                    "phone": "13900139000",
                    "description": "2025年度政府采购目录",
                    "provision_form": "paper",
                })
                .to_string(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(app.count("SELECT COUNT(*) FROM jobs").await, before);
    })
    .await;
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_mail_once() {
    // The server's own worker has mail off here: it claims no mail job, so the two workers
    // below are the only ones competing.
    each_backend(|app: TestApp| async move {
        const N: usize = 30;
        for i in 0..N {
            let mail = OutgoingMail {
                to: format!("user{i}@example.gov.cn"),
                subject: format!("第 {i} 封"),
                body: "正文".into(),
                idempotency_id: Some(format!("test.{i}")),
            };
            app.store()
                .jobs()
                .enqueue(&mail.job().unwrap())
                .await
                .unwrap();
        }
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let mut workers = Vec::new();
        for dir in &dirs {
            // Each worker with its own pool, like a separate app server.
            let store = Store::connect_with(
                &app.db_url,
                StoreOptions {
                    max_connections: Some(3),
                    clock: Arc::new(app.clock.clone()),
                },
            )
            .await
            .unwrap();
            let config = Config {
                data_dir: dir.path().to_path_buf(),
                ..Config::default()
            };
            let mut config = config;
            mail_on(&mut config);
            workers.push(Worker::from_config(store, Calendar::official(), &config).unwrap());
        }
        let (a, b) = tokio::join!(workers[0].drain(), workers[1].drain());
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.len() + b.len(), N, "every job ran once");
        assert!(
            a.iter()
                .chain(&b)
                .all(|o| matches!(o, JobOutcome::Done { .. })),
            "{a:?} {b:?}"
        );
        let written =
            mails(&dirs[0].path().join("mail")).len() + mails(&dirs[1].path().join("mail")).len();
        assert_eq!(written, N, "no mail written twice");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM jobs WHERE attempts = 1 AND done_at IS NOT NULL")
                .await,
            N as i64
        );
    })
    .await;
}

/// Runs due jobs until job `id` has failed `n` times and waits for its retry.
async fn wait_attempts(app: &TestApp, id: i64, n: i64) -> gongkai_store::JobRecord {
    for _ in 0..200 {
        app.server.worker().drain().await.unwrap();
        let job = app.store().jobs().get(id).await.unwrap().unwrap();
        if job.attempts >= n && job.state == JobState::Pending {
            return job;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    panic!("job {id} did not reach attempt {n}");
}

#[tokio::test]
async fn an_unreachable_smtp_server_means_retries_with_backoff_and_a_working_server() {
    // A port nobody listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = move |c: &mut Config| {
        mail_on(c);
        c.mail_transport = MailTransport::Smtp;
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{port}")));
    };
    each_backend_with(&smtp, |app: TestApp| async move {
        let mail = OutgoingMail {
            to: "officer@xinhua.example.gov.cn".into(),
            subject: "测试".into(),
            body: "正文".into(),
            idempotency_id: None,
        };
        let id = app
            .store()
            .jobs()
            .enqueue(&mail.job().unwrap())
            .await
            .unwrap()
            .id();
        let t = app.store().now();
        let first = wait_attempts(&app, id, 1).await;
        assert_eq!(first.attempts, 1);
        assert_eq!(
            first.run_at,
            t + Duration::seconds(30),
            "first backoff: 30 s"
        );
        assert!(
            first
                .last_error
                .as_deref()
                .unwrap_or_default()
                .contains("邮件服务器未接收邮件"),
            "{first:?}"
        );
        // Not before its time.
        assert!(app.server.worker().drain().await.unwrap().is_empty());
        // The server still serves.
        let r = app
            .client
            .get(format!("{}/healthz", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);

        app.clock.advance(Duration::seconds(31));
        let second = wait_attempts(&app, id, 2).await;
        assert_eq!(second.attempts, 2);
        assert_eq!(
            second.run_at,
            t + Duration::seconds(31) + Duration::seconds(60),
            "second backoff: 60 s"
        );
        assert_eq!(second.done_at, None);
    })
    .await;
}

#[tokio::test]
async fn the_admin_keeps_staff_email_addresses_on_the_users_page() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let officer = app
            .store()
            .users()
            .find_by_username("demo-officer")
            .await
            .unwrap()
            .unwrap();
        let mut admin = app.login_as("demo-admin").await;
        let users = format!("/admin/organs/{s}/users");
        let action = format!("{users}/{}/email", officer.id);
        let r = admin
            .submit(
                &users,
                &action,
                &[("email", " Officer@XINHUA.example.gov.cn ")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let stored = app.store().users().get(officer.id).await.unwrap().unwrap();
        assert_eq!(
            stored.email.as_deref(),
            Some("Officer@xinhua.example.gov.cn")
        );
        let page = admin.get(&users).await;
        assert!(page.body.contains("Officer@xinhua.example.gov.cn"));

        // A bad address is refused with what to write; nothing changes.
        let r = admin
            .submit(&users, &action, &[("email", "officer at xinhua")])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("电子邮箱“officer at xinhua”"), "{}", r.body);
        let stored = app.store().users().get(officer.id).await.unwrap().unwrap();
        assert_eq!(
            stored.email.as_deref(),
            Some("Officer@xinhua.example.gov.cn")
        );

        // A new account can get its address at once.
        let r = admin
            .submit(
                &users,
                &users,
                &[
                    ("username", "li.si"),
                    ("display_name", "李四"),
                    ("password", "Li-Si-Handler-2026"),
                    ("email", "lisi@xinhua.example.gov.cn"),
                    ("role", "officer"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let li = app
            .store()
            .users()
            .find_by_username("li.si")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(li.email.as_deref(), Some("lisi@xinhua.example.gov.cn"));

        // A handler may not change addresses.
        let mut handler = app.login_as("demo-handler").await;
        let r = handler.post(&action, &[("email", "x@example.com")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let guide = app.browser().get("/guide/mail").await;
        assert_eq!(guide.status, StatusCode::OK);
        assert!(guide.body.contains("reminder_working_days"));
        assert!(guide.body.contains("第三十三条"));
    })
    .await;
}

#[tokio::test]
async fn a_server_with_unusable_mail_settings_does_not_start_and_says_which_key() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("gongkai.db").display()
    ))
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let mut config = Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    mail_on(&mut config);
    config.mail_transport = MailTransport::Smtp;
    let err = App::build_with_store(config, store)
        .await
        .err()
        .expect("no SMTP URL: the server must not start");
    let message = err.to_string();
    assert!(
        message.contains("邮件配置有误") && message.contains("smtp_url"),
        "{message}"
    );
}
