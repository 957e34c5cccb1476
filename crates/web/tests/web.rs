//! The web platform over HTTP: a real server on port 0, SQLite and (when configured) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, demo_ids, each_backend};
use gongkai_web::authz::Permission;
use reqwest::StatusCode;

const XSS: [&str; 2] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
];

/// The body contains no raw payload, and (when given) the escaped text.
fn assert_escaped(body: &str, payload: &str, context: &str) {
    assert!(!body.contains(payload), "raw payload rendered in {context}");
    assert!(!body.contains("<script>"), "script tag in {context}");
    assert!(!body.contains("<img"), "img tag in {context}");
}

#[tokio::test]
async fn health_metrics_and_security_headers() {
    each_backend(|app: TestApp| async move {
        let mut b = app.browser();
        let r = b.get("/healthz").await;
        assert_eq!(r.status, StatusCode::OK);
        for path in ["/", "/admin/login", "/no/such/page", "/static/app.css"] {
            let r = b.get(path).await;
            let h = &r.headers;
            let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
            assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
            assert!(csp.contains("form-action 'self'") && csp.contains("base-uri 'none'"));
            assert!(!csp.contains("unsafe-inline"));
            assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
            assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
            assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
            assert!(h.get("permissions-policy").is_some());
        }
        let r = b.get("/no/such/page").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains("页面不存在") && r.body.contains("lang=\"zh-CN\""));
        assert!(!r.body.contains("<script"));
        let m = b.get("/metrics").await;
        assert_eq!(m.status, StatusCode::OK);
        assert!(m.body.contains(
            "gongkai_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ));
        assert!(m.body.contains("route=\"<unmatched>\",status=\"404\""));
        assert!(
            m.body
                .contains("gongkai_http_request_duration_seconds_bucket")
        );
    })
    .await;
}

#[tokio::test]
async fn portal_pages_render_the_organ_column() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let mut b = app.browser();
        let home = b.get("/").await;
        assert!(home.body.contains("新华区西市场街道办事处"));
        let s = ids.subdistrict;
        for (suffix, text) in [
            ("", "下级机关"),
            ("/guide", "西市场街道党政办公室"),
            ("/guide", "条例第二十九条"),
            ("/rules", "第四十五条"),
            ("/proactive", "按条例第二十条分类"),
            ("/reports", "年度报告"),
            ("/apply", "第三十三条"),
        ] {
            let path = if suffix.is_empty() {
                format!("/organs/{}", ids.district)
            } else {
                format!("/organs/{s}{suffix}")
            };
            let r = b.get(&path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(r.body.contains(text), "{path} lacks {text}");
            assert!(!r.body.contains("<script"), "{path} has script");
        }
        let guide = b.get("/guide/platform").await;
        assert_eq!(guide.status, StatusCode::OK);
        for anchor in ["角色", "机关", "科室", "审计日志", "安全"] {
            assert!(
                guide.body.contains(&format!("id=\"{anchor}\"")),
                "guide lacks #{anchor}"
            );
        }
        assert_eq!(b.get("/guide/nope").await.status, StatusCode::NOT_FOUND);
        assert_eq!(b.get("/organs/999999").await.status, StatusCode::NOT_FOUND);
        let bad = b.get("/organs/abc").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("请求无法处理") && bad.body.contains("lang=\"zh-CN\""));
        let wrong_method = b.get("/admin/logout").await;
        assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(wrong_method.body.contains("不支持的操作方式"));
    })
    .await;
}

#[tokio::test]
async fn login_and_logout() {
    each_backend(|app: TestApp| async move {
        let mut b = app.browser();
        let r = b.get("/admin").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/admin/login"));

        let wrong = b.login("demo-admin", "Wrong-Password-1").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("用户名或密码错误"));
        let unknown = b.login("nobody-here", "Wrong-Password-1").await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        assert!(
            unknown.body.contains("用户名或密码错误"),
            "same message for unknown users"
        );

        let ok = b.login("demo-admin", "Demo-Admin-2026").await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(ok.location(), "/admin");
        let cookie = ok
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("gongkai_session="))
            .unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert!(cookie.contains("Path=/"));
        let dash = b.get("/admin").await;
        assert_eq!(dash.status, StatusCode::OK);
        assert!(dash.body.contains("工作台") && dash.body.contains("第四十五条"));
        assert!(dash.body.contains("/guide/platform"));

        let token = dash.csrf();
        let out = b.post("/admin/logout", &[("csrf_token", &token)]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(b.get("/admin").await.location().starts_with("/admin/login"));
    })
    .await;
}

#[tokio::test]
async fn login_form_is_protected_against_csrf() {
    each_backend(|app: TestApp| async move {
        let creds = [("username", "demo-admin"), ("password", "Demo-Admin-2026")];
        // No cookie, no token.
        let mut b = app.browser();
        let r = b.post("/admin/login", &creds).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("安全校验失败"));
        // A token in the field but no matching cookie (a cross-site form).
        let mut fresh = app.browser();
        let token = fresh.get("/admin/login").await.csrf();
        let mut attacker = app.browser();
        let mut fields = vec![("csrf_token", token.as_str())];
        fields.extend_from_slice(&creds);
        assert_eq!(
            attacker.post("/admin/login", &fields).await.status,
            StatusCode::FORBIDDEN
        );
        // A forged, unsigned token planted in both cookie and field.
        let mut forger = app.browser();
        let forged = format!("{}.{}", "a".repeat(32), "0".repeat(64));
        forger
            .cookies
            .insert("gongkai_login_csrf".into(), forged.clone());
        let mut fields = vec![("csrf_token", forged.as_str())];
        fields.extend_from_slice(&creds);
        assert_eq!(
            forger.post("/admin/login", &fields).await.status,
            StatusCode::FORBIDDEN
        );
        // The right token from another site's page.
        let token = fresh.get("/admin/login").await.csrf();
        let mut fields = vec![("csrf_token", token.as_str())];
        fields.extend_from_slice(&creds);
        let r = fresh
            .post_with_headers(
                "/admin/login",
                &fields,
                &[("origin", "https://evil.example")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Nothing was logged in.
        let admin = app
            .store()
            .users()
            .find_by_username("demo-admin")
            .await
            .unwrap()
            .unwrap();
        assert!(
            app.store()
                .sessions()
                .list_for_user(admin.id)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn admin_forms_reject_missing_or_wrong_csrf_tokens() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let mut b = app.login_as("demo-admin").await;
        let mut other = app.login_as("demo-officer").await;
        let action = format!("/admin/organs/{}/departments", ids.subdistrict);
        let before_depts = app
            .store()
            .departments()
            .list(ids.subdistrict)
            .await
            .unwrap()
            .len();
        let before_audit = app.count("SELECT COUNT(*) FROM audit_log").await;

        let missing = b.post(&action, &[("name", "伪造科室")]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.body.contains("安全校验失败"));
        let wrong = b
            .post(
                &action,
                &[("csrf_token", "0123456789abcdef"), ("name", "伪造科室")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        let token = b.get(&action).await.csrf();
        let cross = b
            .post_with_headers(
                &action,
                &[("csrf_token", &token), ("name", "伪造科室")],
                &[("sec-fetch-site", "cross-site")],
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        // Another user's token does not work either.
        let other_token = other.get("/admin").await.csrf();
        let stolen = b
            .post(
                &action,
                &[("csrf_token", &other_token), ("name", "伪造科室")],
            )
            .await;
        assert_eq!(stolen.status, StatusCode::FORBIDDEN);

        assert_eq!(
            app.store()
                .departments()
                .list(ids.subdistrict)
                .await
                .unwrap()
                .len(),
            before_depts
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log").await,
            before_audit
        );

        let ok = b
            .post(
                &action,
                &[("csrf_token", &token), ("name", "网格化管理办公室")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let list = b.get(&ok.location()).await;
        assert!(list.body.contains("网格化管理办公室") && list.body.contains("已新建"));
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_a_clear_message() {
    each_backend(|app: TestApp| async move {
        let mut b = app.browser();
        for _ in 0..gongkai_store::ACCOUNT_MAX_FAILURES {
            let r = b.login("demo-officer", "Not-The-Password-9").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let locked = b.login("demo-officer", "Demo-Officer-2026").await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.body.contains("已暂时锁定") && locked.body.contains("15 分钟"));
        // An unknown name locks the same way: the message does not reveal which names exist.
        for _ in 0..gongkai_store::ACCOUNT_MAX_FAILURES {
            b.login("no-such-user", "Not-The-Password-9").await;
        }
        let r = b.login("no-such-user", "Not-The-Password-9").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // After the lock the right password works again.
        app.clock
            .advance(gongkai_store::LOCK_DURATION + chrono::Duration::minutes(1));
        let ok = b.login("demo-officer", "Demo-Officer-2026").await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn idle_sessions_expire() {
    each_backend(|app: TestApp| async move {
        let mut b = app.login_as("demo-editor").await;
        app.clock.advance(chrono::Duration::minutes(25));
        assert_eq!(
            b.get("/admin").await.status,
            StatusCode::OK,
            "activity keeps it alive"
        );
        app.clock.advance(chrono::Duration::minutes(25));
        assert_eq!(b.get("/admin").await.status, StatusCode::OK);
        app.clock.advance(chrono::Duration::minutes(31));
        let r = b.get("/admin").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/admin/login"));
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_logs_out_everywhere() {
    each_backend(|app: TestApp| async move {
        let mut a = app.login_as("demo-reviewer").await;
        let mut other = app.login_as("demo-reviewer").await;
        let page = "/admin/account/password";
        let weak = a
            .submit(
                page,
                page,
                &[
                    ("current", "Demo-Reviewer-2026"),
                    ("new_password", "short"),
                    ("confirm", "short"),
                ],
            )
            .await;
        assert_eq!(weak.status, StatusCode::BAD_REQUEST);
        assert!(weak.body.contains("密码长度至少为 10 个字符"));
        let bad_current = a
            .submit(
                page,
                page,
                &[
                    ("current", "nope"),
                    ("new_password", "New-Passw0rd-x"),
                    ("confirm", "New-Passw0rd-x"),
                ],
            )
            .await;
        assert!(bad_current.body.contains("当前密码不正确"));
        let ok = a
            .submit(
                page,
                page,
                &[
                    ("current", "Demo-Reviewer-2026"),
                    ("new_password", "New-Passw0rd-x"),
                    ("confirm", "New-Passw0rd-x"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert!(a.get("/admin").await.location().starts_with("/admin/login"));
        assert!(
            other
                .get("/admin")
                .await
                .location()
                .starts_with("/admin/login")
        );
        let mut again = app.browser();
        assert_eq!(
            again
                .login("demo-reviewer", "Demo-Reviewer-2026")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            again.login("demo-reviewer", "New-Passw0rd-x").await.status,
            StatusCode::SEE_OTHER
        );
    })
    .await;
}

#[tokio::test]
async fn xss_payloads_in_every_form_field_are_escaped() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let mut b = app.login_as("demo-admin").await;
        let edit = format!("/admin/organs/{s}/edit");
        for payload in XSS {
            // Every text field of the organ form (postal code is short: it must be rejected).
            let fields: Vec<(&str, &str)> = [
                "name",
                "office_name",
                "address",
                "office_hours",
                "phone",
                "fax",
                "email",
                "website",
            ]
            .iter()
            .map(|f| (*f, payload))
            .collect();
            let r = b.submit(&edit, &edit, &fields).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            for page in [
                format!("/admin/organs/{s}"),
                edit.clone(),
                format!("/organs/{s}/guide"),
                "/".to_owned(),
                "/admin/organs".to_owned(),
            ] {
                let body = b.get(&page).await.body;
                assert_escaped(&body, payload, &page);
                assert!(body.contains("alert(1)"), "{page} shows the text");
            }
            let r = b
                .submit(
                    &edit,
                    &edit,
                    &[
                        ("name", "西市场街道"),
                        ("credit_code", payload),
                        ("postal_code", payload),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert_escaped(&r.body, payload, "organ form error");

            // Departments: create and rename.
            let depts = format!("/admin/organs/{s}/departments");
            let r = b.submit(&depts, &depts, &[("name", payload)]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let body = b.get(&depts).await.body;
            assert_escaped(&body, payload, "departments");
            let dept = app
                .store()
                .departments()
                .list(s)
                .await
                .unwrap()
                .into_iter()
                .find(|d| d.name == payload)
                .unwrap();
            let renamed = format!("{payload}2");
            let r = b
                .submit(
                    &depts,
                    &format!("{depts}/{}/rename", dept.id),
                    &[("name", &renamed)],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_escaped(&b.get(&depts).await.body, payload, "renamed department");

            // Users: the display name is free text; the user name is refused and not echoed raw.
            let users = format!("/admin/organs/{s}/users");
            let name = format!("xss-{}", payload.len());
            let r = b
                .submit(
                    &users,
                    &users,
                    &[
                        ("username", &name),
                        ("display_name", payload),
                        ("password", "Xss-Test-2026"),
                        ("role", "editor"),
                        ("department_id", ""),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            assert_escaped(&b.get(&users).await.body, payload, "users");
            let r = b
                .submit(
                    &users,
                    &users,
                    &[
                        ("username", payload),
                        ("display_name", "x"),
                        ("password", payload),
                        ("role", payload),
                        ("department_id", payload),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert_escaped(&r.body, payload, "user form error");

            // The audit log pages show what was written, escaped.
            let audit = format!("/admin/organs/{s}/audit?entity={}", urlencode(payload));
            let r = b.get(&audit).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_escaped(&r.body, payload, "audit filter");
        }
    })
    .await;
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .unwrap()
        .trim_start_matches('=')
        .to_owned()
}

#[tokio::test]
async fn sql_injection_strings_are_stored_verbatim() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let mut b = app.login_as("demo-admin").await;
        let nasty = "Robert'); DROP TABLE users;--";
        let quote = "' OR '1'='1";
        let depts = format!("/admin/organs/{s}/departments");
        assert_eq!(
            b.submit(&depts, &depts, &[("name", nasty)]).await.status,
            StatusCode::SEE_OTHER
        );
        let edit = format!("/admin/organs/{s}/edit");
        let r = b
            .submit(
                &edit,
                &edit,
                &[
                    ("name", "新华区西市场街道办事处"),
                    ("address", quote),
                    ("office_hours", "1; DELETE FROM organs"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let names: Vec<String> = app
            .store()
            .departments()
            .list(s)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert!(names.contains(&nasty.to_owned()));
        let organ = app.store().organs().get(s).await.unwrap().unwrap();
        assert_eq!(organ.contact.address.as_deref(), Some(quote));
        assert_eq!(
            organ.contact.office_hours.as_deref(),
            Some("1; DELETE FROM organs")
        );
        assert!(app.count("SELECT COUNT(*) FROM users").await >= 6);
        assert_eq!(app.store().organs().list().await.unwrap().len(), 2);
        // The audit filter and the login form take such strings as plain text too.
        let r = b
            .get(&format!(
                "/admin/organs/{s}/audit?actor={}",
                urlencode(quote)
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            app.browser().login(quote, quote).await.status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

/// The independent statement of the authorization table, per demo account, for an organ-scoped
/// permission on the 街道 (`on_district = false`) or on the 区政府 (`true`).
fn expected(account: &str, permission: Permission, on_district: bool) -> bool {
    use Permission as P;
    let read = matches!(permission, P::OrganView | P::DepartmentView);
    let write_items = matches!(permission, P::ItemView | P::ItemWrite);
    let applications = matches!(permission, P::ApplicationView | P::ApplicationHandle);
    match account {
        "demo-admin" => true,
        "demo-supervisor" => {
            read || matches!(
                permission,
                P::UserView
                    | P::AuditView
                    | P::ItemView
                    | P::ApplicationView
                    | P::ReportView
                    | P::Supervise
            )
        }
        "demo-officer" => {
            !on_district
                && (read
                    || write_items
                    || applications
                    || matches!(
                        permission,
                        P::OrganEdit
                            | P::UserView
                            | P::AuditView
                            | P::ItemReview
                            | P::ItemImport
                            | P::ReportView
                            | P::ReportWrite
                            | P::ReportReview
                            | P::Rectify
                    ))
        }
        "demo-editor" => !on_district && (read || write_items),
        "demo-handler" => !on_district && (read || write_items || applications),
        "demo-reviewer" => {
            !on_district
                && (read
                    || matches!(
                        permission,
                        P::ItemView | P::ItemReview | P::ReportView | P::ReportReview
                    ))
        }
        _ => false,
    }
}

fn matrix_item() -> gongkai_store::ItemContent {
    gongkai_store::ItemContent {
        department_id: None,
        title: "矩阵测试信息".into(),
        summary: String::new(),
        body_html: "<p>正文</p>".into(),
        body_text: "正文".into(),
        genre: gongkai_law::Genre::WorkUpdate,
        topic: "综合政务\\政务公开".into(),
        domain: None,
        art20_item: None,
        doc_no: None,
        keywords: String::new(),
        formed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        validity: None,
        interprets_item_id: None,
        channels: vec![gongkai_law::PublicationChannel::Column],
    }
}

fn matrix_application() -> gongkai_store::NewApplication {
    gongkai_store::NewApplication {
        applicant_type: gongkai_law::ApplicantType::NaturalPerson,
        applicant_name: "矩阵申请人".into(),
        id_kind: "resident_id".into(),
        id_number: format!(
            "11010519491231002{}",
            gongkai_law::ResidentIdNumber::check_char_for("11010519491231002").unwrap()
        ),
        phone: "13800138000".into(),
        email: String::new(),
        address: String::new(),
        description: "矩阵测试申请".into(),
        provision_form: gongkai_law::ProvisionForm::Paper,
        delivery: String::new(),
        channel: gongkai_law::Channel::InPerson,
        received_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    }
}

fn matrix_challenge(application_id: i64) -> gongkai_store::ChallengeInput {
    gongkai_store::ChallengeInput {
        application_id: Some(application_id),
        follows_id: None,
        kind: gongkai_law::ChallengeKind::Reconsideration,
        case_no: "矩阵复议1号".into(),
        authority: "新华区人民政府".into(),
        claimant_name: "矩阵申请人".into(),
        filed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        result: gongkai_law::ChallengeResult::Pending,
        decided_on: None,
        co_defendant_reviewer: false,
        notes: String::new(),
    }
}

#[tokio::test]
async fn every_route_times_every_role() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let table = gongkai_web::routes::admin_route_table();
        assert!(table.len() >= 20);
        let mut browsers = vec![(None, app.browser())];
        for a in gongkai_web::demo::ACCOUNTS {
            browsers.push((Some(a.username), app.login_as(a.username).await));
        }
        let mut checked = 0;
        for (organ_id, on_district) in [(ids.subdistrict, false), (ids.district, true)] {
            let dept = app
                .store()
                .departments()
                .create(
                    &gongkai_store::Actor::system(),
                    organ_id,
                    &format!("矩阵科室{organ_id}"),
                )
                .await
                .unwrap();
            let user_id = app.store().users().list(organ_id).await.unwrap()[0].id;
            // A draft of this organ for the item routes (the matrix only reads and is refused
            // before any write: it changes nothing).
            let item = app
                .store()
                .items()
                .create(
                    &gongkai_store::Actor::system(),
                    organ_id,
                    &matrix_item(),
                    &gongkai_calendar::Calendar::official(),
                )
                .await
                .unwrap();
            // A case of this organ for the application routes.
            let (case, _) = app
                .store()
                .applications()
                .create(
                    &gongkai_store::Actor::system(),
                    organ_id,
                    &matrix_application(),
                    &gongkai_calendar::Calendar::official(),
                )
                .await
                .unwrap();
            // An ID copy of the case, stored where the server reads uploads.
            let png =
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
            let stored = gongkai_web::uploads::store_upload(
                &app.data_dir.path().join("uploads"),
                png,
                gongkai_web::uploads::FileKind::Png,
            )
            .unwrap();
            let attachment = app
                .store()
                .write(&gongkai_store::Actor::system(), async |tx| {
                    gongkai_store::applications::add_attachment(
                        tx,
                        case.id,
                        &gongkai_store::applications::NewAttachment {
                            file_name: "id.png".into(),
                            media_type: "image/png".into(),
                            sha256: stored.sha256.clone(),
                            size_bytes: 10,
                        },
                    )
                    .await
                })
                .await
                .unwrap();
            // A 行政复议 case of this organ for the register routes.
            let challenge = app
                .store()
                .challenges()
                .create(
                    &gongkai_store::Actor::system(),
                    organ_id,
                    &matrix_challenge(case.id),
                )
                .await
                .unwrap();
            // A letter issued for the case (its text from the shipped template).
            let text = gongkai_letters::render_text(
                gongkai_letters::LetterKind::Correction,
                gongkai_letters::Template::Correction.default_source(),
                &gongkai_letters::LetterContext::sample(),
            )
            .unwrap();
            let letter = app
                .store()
                .write(&gongkai_store::Actor::system(), async |tx| {
                    gongkai_store::letters::issue_letter(
                        tx,
                        case.id,
                        &serde_json::json!({ "kind": "correction" }),
                        "补正告知书",
                        &text,
                    )
                    .await
                })
                .await
                .unwrap();
            // A batch audit of this organ with one (unreadable) file, for the batch routes.
            let batch_id = app
                .store()
                .write(&gongkai_store::Actor::system(), async |tx| {
                    gongkai_store::batch_audits::create_batch(
                        tx,
                        organ_id,
                        "矩阵批次",
                        &[gongkai_store::batch_audits::NewBatchFile {
                            file_name: "matrix.txt".into(),
                            sha256: "0".repeat(64),
                            size_bytes: 1,
                            result_json: r#"{"error":"矩阵测试文件"}"#.into(),
                        }],
                    )
                    .await
                })
                .await
                .unwrap();
            let batch_file_id = app.store().batch_audits().files(batch_id).await.unwrap()[0].id;
            // An inspection of this organ with one problem and its 通报, for the inspection and
            // rectification routes.
            let (inspection_id, problem_id) = app
                .store()
                .write(&gongkai_store::Actor::system(), async |tx| {
                    use gongkai_store::inspections as insp;
                    let id = insp::open(
                        tx,
                        organ_id,
                        &insp::NewInspection {
                            scope_organ_id: organ_id,
                            include_below: false,
                            title: "矩阵检查".into(),
                            kind: insp::InspectionKind::Other,
                            subject: String::new(),
                        },
                    )
                    .await?;
                    let problem = insp::record_problem(
                        tx,
                        id,
                        &insp::ProblemInput {
                            organ_id,
                            description: "矩阵问题".into(),
                            link: None,
                        },
                    )
                    .await?;
                    insp::issue_notice(
                        tx,
                        &gongkai_calendar::Calendar::official(),
                        id,
                        &insp::NoticeInput {
                            doc_no: format!("矩阵〔2026〕{organ_id}号"),
                            text: "矩阵通报".into(),
                            deadline_days: 5,
                        },
                        |_| {
                            serde_json::to_string(&gongkai_typeset::Document::new("矩阵通报"))
                                .unwrap()
                        },
                    )
                    .await?;
                    Ok((id, problem))
                })
                .await
                .unwrap();
            let term_id = app
                .store()
                .items()
                .reference_terms(gongkai_store::ReferenceKind::Topic, false)
                .await
                .unwrap()[0]
                .id;
            for route in &table {
                if route.permission == Permission::Public {
                    continue;
                }
                let path = route
                    .path
                    .replace("{organ_id}", &organ_id.to_string())
                    .replace("{department_id}", &dept.id.to_string())
                    .replace("{user_id}", &user_id.to_string())
                    .replace("{item_id}", &item.id.to_string())
                    .replace("{term_id}", &term_id.to_string())
                    .replace("{application_id}", &case.id.to_string())
                    .replace("{attachment_id}", &attachment.id.to_string())
                    .replace("{letter_id}", &letter.id.to_string())
                    .replace("{format}", "docx")
                    .replace("{template}", "reply_disclosed")
                    .replace("{challenge_id}", &challenge.id.to_string())
                    .replace("{batch_id}", &batch_id.to_string())
                    .replace("{file_id}", &batch_file_id.to_string())
                    .replace("{inspection_id}", &inspection_id.to_string())
                    .replace("{problem_id}", &problem_id.to_string())
                    .replace("{year}", "2023")
                    .replace("{cell}", "table3.new_received.total");
                for (account, browser) in browsers.iter_mut() {
                    // POSTs carry no token: an allowed POST stops at the CSRF check (403 with
                    // its own message), so the matrix writes nothing.
                    let r = if route.method == reqwest::Method::GET {
                        browser.get(&path).await
                    } else {
                        browser.post(&path, &[("name", "x")]).await
                    };
                    let who = account.unwrap_or("anonymous");
                    let ctx = format!("{} {path} as {who}", route.method);
                    match account {
                        None => {
                            assert_eq!(r.status, StatusCode::SEE_OTHER, "{ctx}");
                            assert!(r.location().starts_with("/admin/login"), "{ctx}");
                        }
                        Some(name) => {
                            let allowed = route.permission == Permission::Authenticated
                                || expected(name, route.permission, on_district);
                            if !allowed {
                                assert_eq!(r.status, StatusCode::FORBIDDEN, "{ctx}");
                                assert!(r.body.contains("无权访问"), "{ctx}");
                            } else if route.method == reqwest::Method::GET {
                                assert_eq!(r.status, StatusCode::OK, "{ctx}: {}", r.body);
                            } else {
                                assert_eq!(r.status, StatusCode::FORBIDDEN, "{ctx}");
                                assert!(r.body.contains("安全校验失败"), "{ctx}");
                            }
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 200);
        // Unknown organs are 404 for everyone logged in, never a leak of what exists.
        let (_, admin) = &mut browsers[1];
        assert_eq!(
            admin.get("/admin/organs/999999").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn admin_manages_users_and_roles_through_the_store() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let mut b = app.login_as("demo-admin").await;
        let users = format!("/admin/organs/{s}/users");
        let r = b
            .submit(
                &users,
                &users,
                &[
                    ("username", "zhang.san"),
                    ("display_name", "张三"),
                    ("password", "Zhang-San-2026"),
                    ("role", "handler"),
                    ("department_id", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let dup = b
            .submit(
                &users,
                &users,
                &[
                    ("username", "zhang.san"),
                    ("display_name", "张三"),
                    ("password", "Zhang-San-2026"),
                    ("role", "handler"),
                ],
            )
            .await;
        assert_eq!(dup.status, StatusCode::BAD_REQUEST);
        assert!(dup.body.contains("已被使用"));
        let zhang = app
            .store()
            .users()
            .find_by_username("zhang.san")
            .await
            .unwrap()
            .unwrap();
        let base = format!("{users}/{}", zhang.id);
        let r = b
            .submit(
                &users,
                &format!("{base}/roles/grant"),
                &[("role", "reviewer"), ("department_id", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(app.store().users().roles(zhang.id).await.unwrap().len(), 2);
        let r = b
            .submit(
                &users,
                &format!("{base}/roles/revoke"),
                &[("role", "handler"), ("department_id", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(app.store().users().roles(zhang.id).await.unwrap().len(), 1);

        let mut zhang_browser = app.browser();
        assert_eq!(
            zhang_browser
                .login("zhang.san", "Zhang-San-2026")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let r = b
            .submit(
                &users,
                &format!("{base}/password"),
                &[("new_password", "Reset-Pass-2026")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(
            zhang_browser
                .get("/admin")
                .await
                .location()
                .starts_with("/admin/login")
        );
        let r = b.submit(&users, &format!("{base}/deactivate"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let mut z = app.browser();
        let r = z.login("zhang.san", "Reset-Pass-2026").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("已停用"));
        // A user of another organ cannot be managed through this organ's URL.
        let admin_id = app
            .store()
            .users()
            .find_by_username("demo-admin")
            .await
            .unwrap()
            .unwrap()
            .id;
        let r = b
            .submit(&users, &format!("{users}/{admin_id}/deactivate"), &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // A new organ below the 街道, with an XSS name, shows up escaped in the tree.
        let organ_page = format!("/admin/organs/{s}");
        let r = b
            .submit(
                &organ_page,
                &format!("{organ_page}/children"),
                &[("name", XSS[0]), ("kind", "other"), ("credit_code", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().ends_with("?ok=created"));
        let tree = b.get("/admin/organs").await.body;
        assert_escaped(&tree, XSS[0], "organ tree");
        assert!(
            tree.contains("&lt;script&gt;") || tree.contains("&#60;script&#62;"),
            "{tree}"
        );
        let r = b
            .submit(
                &organ_page,
                &format!("{organ_page}/children"),
                &[("name", "某社区"), ("kind", "planet")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("不是有效的机关类型"));
        // Every write is in the audit log with the acting user.
        let page = b
            .get(&format!("/admin/organs/{s}/audit?actor=demo-admin"))
            .await;
        assert!(
            page.body.contains("user.create") || page.body.contains("user."),
            "{}",
            page.body
        );
        let verify = b.get(&format!("/admin/organs/{s}/audit/verify")).await;
        assert!(verify.body.contains("校验通过"));
    })
    .await;
}

#[tokio::test]
async fn credit_code_is_validated_and_office_details_feed_the_guide() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let mut b = app.login_as("demo-officer").await;
        let edit = format!("/admin/organs/{s}/edit");
        let r = b
            .submit(
                &edit,
                &edit,
                &[
                    ("name", "新华区西市场街道办事处"),
                    ("credit_code", "11410402MB00000020"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("校验位错误"), "{}", r.body);
        let r = b
            .submit(
                &edit,
                &edit,
                &[
                    ("name", "新华区西市场街道办事处"),
                    ("office_name", "街道党政办公室"),
                    ("phone", "0375-1234567"),
                    ("office_hours", "周一至周五 9:00—17:00"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let guide = b.get(&format!("/organs/{s}/guide")).await.body;
        assert!(guide.contains("街道党政办公室") && guide.contains("0375-1234567"));
        assert!(guide.contains("周一至周五 9:00—17:00"));
        assert!(guide.contains("（暂未公布）"), "cleared fields say so");
    })
    .await;
}

#[tokio::test]
async fn the_server_shuts_down_gracefully() {
    each_backend(|app: TestApp| async move {
        let url = app.url.clone();
        let client = app.client.clone();
        assert_eq!(
            client
                .get(format!("{url}/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
        app.server.shutdown().await.unwrap();
        assert!(client.get(format!("{url}/healthz")).send().await.is_err());
    })
    .await;
}
