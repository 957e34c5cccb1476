#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Inspections, 通报 and 整改 (监督检查, issue 8) over real HTTP: the district's 监督员 opens an
//! inspection on the district and the organs below, records problems (one linked to an item of the
//! 街道; linking another organ's item is refused), issues the 通报 before National Day with a
//! deadline in working days, downloads it as Word and PDF; the 街道 answers its problem, the
//! supervisor sends it back, the 街道 answers again, the supervisor closes it — every step in the
//! audit trail. Organs never see each other's problems; a supervisor of another district cannot
//! inspect the 街道; an organ cannot close its own problem. `overdue_for` counts an unanswered
//! problem after the deadline and not a closed one.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{Browser, TestApp, demo_ids, each_backend};
use gongkai_calendar::Calendar;
use gongkai_store::inspections::{self, InspectionKind, NewInspection, NoticeInput, ProblemInput};
use gongkai_store::{
    Actor, NewOrgan, NewUser, OrganContact, OrganKind, Password, Role, RoleGrant, Username,
};
use reqwest::StatusCode;

/// 2026-09-28 09:00 in Beijing: a Monday before the National Day holiday (10-01 to 10-07).
fn before_national_day() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap()
}

fn chinese(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

async fn new_organ(app: &TestApp, parent_id: Option<i64>, name: &str) -> i64 {
    app.store()
        .organs()
        .create(
            &Actor::system(),
            &NewOrgan {
                parent_id,
                name: name.into(),
                credit_code: None,
                kind: if parent_id.is_some() {
                    OrganKind::Subdistrict
                } else {
                    OrganKind::Government
                },
                contact: OrganContact::default(),
            },
        )
        .await
        .unwrap()
        .id
}

/// A user with `role` on `organ_id`, logged in.
async fn user_with(app: &TestApp, organ_id: i64, username: &str, role: Role) -> Browser {
    let actor = Actor::system();
    let name = Username::parse(username).unwrap();
    let password = Password::new("Other-Account-2026", &name).unwrap();
    let user = app
        .store()
        .users()
        .create(
            &actor,
            &NewUser {
                username: name,
                display_name: username.into(),
                password,
                organ_id,
            },
        )
        .await
        .unwrap();
    app.store()
        .users()
        .grant_role(
            &actor,
            user.id,
            &RoleGrant {
                organ_id,
                role,
                department_id: None,
            },
        )
        .await
        .unwrap();
    let mut b = app.browser();
    let r = b.login(username, "Other-Account-2026").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    b
}

fn id_after(location: &str, prefix: &str) -> i64 {
    location
        .trim_start_matches(prefix)
        .split(['?', '#', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("an id in {location}"))
}

async fn state_of(app: &TestApp, problem_id: i64) -> String {
    app.store()
        .inspections()
        .problem(problem_id)
        .await
        .unwrap()
        .unwrap()
        .state
        .key()
        .to_owned()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
    ))
    .await
}

/// Whether this machine can make PDFs with Chinese text (see letters.rs).
fn pdf_possible(status: StatusCode, body: &[u8]) -> bool {
    if status == StatusCode::SERVICE_UNAVAILABLE {
        assert!(
            std::env::var_os("GONGKAI_REQUIRE_CJK_FONTS").is_none(),
            "no CJK font: {}",
            String::from_utf8_lossy(body)
        );
        eprintln!("skipping the PDF checks: no CJK font on this machine");
        return false;
    }
    true
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn the_notice_lifecycle_from_inspection_to_closed_rectification() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let (district, street) = (ids.district, ids.subdistrict);
        let east = new_organ(&app, Some(district), "新华区东市场街道办事处").await;
        let street_item = app
            .count(&format!(
                "SELECT MIN(id) FROM items WHERE organ_id = {street}"
            ))
            .await;
        let mut sup = app.login_as("demo-supervisor").await;
        let mut officer = app.login_as("demo-officer").await;
        // The work happens before National Day (logged in first: the demo accounts were made
        // at t0, and a session cannot start before its account).
        app.clock.set(before_national_day());

        // The organ page links the inspections; the list shows the law and the guide.
        let organ_page = sup.get(&format!("/admin/organs/{district}")).await;
        assert!(
            organ_page
                .body
                .contains(&format!("/admin/organs/{district}/inspections\""))
        );
        let list_url = format!("/admin/organs/{district}/inspections");
        let list = sup.get(&list_url).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("class=\"law\""));
        assert!(list.body.contains("href=\"/guide/inspections\""));
        assert_eq!(sup.get("/guide/inspections").await.status, StatusCode::OK);

        // Open an inspection on the district and every organ below it.
        let district_s = district.to_string();
        let r = sup
            .submit(
                &list_url,
                &list_url,
                &[
                    ("scope_organ_id", district_s.as_str()),
                    ("include_below", "1"),
                    ("title", "2026年第三季度政务公开检查"),
                    ("kind", "timeliness"),
                    ("subject", "抽查主动公开信息的公开时间"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let inspection_id = id_after(&r.location(), &format!("{list_url}/"));
        let page_url = format!("{list_url}/{inspection_id}");

        // A problem of the 街道, linked to its own item by the 索引号 people quote.
        let street_s = street.to_string();
        let item_s = street_item.to_string();
        let index_no: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT index_no FROM items WHERE id = {street_item}"
        )))
        .fetch_one(app.store().raw_pool())
        .await
        .unwrap();
        let index_no = index_no.expect("the demo's published items have their 索引号");
        let late = "《西市场街道老旧小区改造通知》成文后35个工作日才公开";
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/problems"),
                &[
                    ("problem_organ_id", street_s.as_str()),
                    ("description", late),
                    ("link_kind", "item"),
                    ("link_id", index_no.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // A 索引号 is looked up among the chosen organ's items only.
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/problems"),
                &[
                    ("problem_organ_id", east.to_string().as_str()),
                    ("description", "借用他机关的索引号"),
                    ("link_kind", "item"),
                    ("link_id", index_no.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(
            r.body
                .contains(&format!("找不到索引号为“{index_no}”的记录")),
            "{}",
            r.body
        );
        // The page comes back with the reason and everything typed kept.
        assert!(r.body.contains("id=\"problem-error\""), "{}", r.body);
        assert!(
            r.body.contains(">借用他机关的索引号</textarea>"),
            "{}",
            r.body
        );
        assert!(
            r.body.contains(&format!("value=\"{index_no}\"")),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains(&format!("<option value=\"{east}\" selected>")),
            "{}",
            r.body
        );
        // The 街道's item on a problem of the other 街道: refused, in Chinese, nothing written.
        let east_s = east.to_string();
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/problems"),
                &[
                    ("problem_organ_id", east_s.as_str()),
                    ("description", "借用他机关的信息"),
                    ("link_kind", "item"),
                    ("link_id", item_s.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(
            r.body.contains("不属于“新华区东市场街道办事处”"),
            "{}",
            r.body
        );
        let east_problem = "政府信息公开指南中的办公时间未更新";
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/problems"),
                &[
                    ("problem_organ_id", east_s.as_str()),
                    ("description", east_problem),
                    ("link_kind", "none"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let problems = app
            .store()
            .inspections()
            .problems(inspection_id)
            .await
            .unwrap();
        assert_eq!(problems.len(), 2, "the refused problem was not stored");
        let street_problem = problems.iter().find(|p| p.organ_id == street).unwrap().id;
        let east_problem_id = problems.iter().find(|p| p.organ_id == east).unwrap().id;
        // The link opens the item's own page.
        let page = sup.get(&page_url).await;
        let item_href = format!("/admin/organs/{street}/items/{street_item}");
        assert!(page.body.contains(&format!("href=\"{item_href}\"")));
        assert_eq!(sup.get(&item_href).await.status, StatusCode::OK);

        // Before the 通报 the organs see nothing.
        let rect_url = format!("/admin/organs/{street}/rectifications");
        let before = officer.get(&rect_url).await;
        assert_eq!(before.status, StatusCode::OK);
        assert!(!before.body.contains(late));

        // Issue the 通报 with 10 working days: the period crosses National Day.
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/notice"),
                &[
                    ("doc_no", "新政公开〔2026〕5号"),
                    ("deadline_days", "10"),
                    ("text", "现将2026年第三季度政务公开检查发现的问题通报如下。"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let issued_on = NaiveDate::from_ymd_opt(2026, 9, 28).unwrap();
        let deadline = Calendar::official()
            .add_working_days(issued_on, 10)
            .unwrap();
        assert!(
            deadline > NaiveDate::from_ymd_opt(2026, 10, 7).unwrap(),
            "the period runs past the holiday"
        );
        let page = sup.get(&page_url).await;
        let shown = page.body.split("id=\"deadline\"").nth(1).unwrap();
        assert!(
            shown.contains(&chinese(deadline)),
            "the page shows {deadline}: {shown}"
        );
        // Issued once; the problem list is fixed with it.
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/problems"),
                &[
                    ("problem_organ_id", street_s.as_str()),
                    ("description", "晚到的问题"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("另开一次检查"), "{}", r.body);

        // The Word file lists the problems and the deadline; later renaming does not change it.
        let (status, headers, docx) = sup.get_bytes(&format!("{page_url}/notice/docx")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .contains("wordprocessingml")
        );
        let text = gongkai_docs::read_document(&docx, Some("通报.docx"))
            .unwrap()
            .plain_text();
        let deadline_text = chinese(deadline);
        for expected in [
            late,
            east_problem,
            "新政公开〔2026〕5号",
            deadline_text.as_str(),
        ] {
            assert!(
                compact(&text).contains(&compact(expected)),
                "{expected} in {text}"
            );
        }
        app.store()
            .organs()
            .update_identity(&Actor::system(), east, "新华区东市场街道（已更名）", None)
            .await
            .unwrap();
        let (_, _, again) = sup.get_bytes(&format!("{page_url}/notice/docx")).await;
        let again = gongkai_docs::read_document(&again, Some("通报.docx"))
            .unwrap()
            .plain_text();
        assert_eq!(again, text, "the issued 通报 is frozen");
        assert!(!again.contains("已更名"));

        let (status, _, pdf) = sup.get_bytes(&format!("{page_url}/notice/pdf")).await;
        if pdf_possible(status, &pdf) {
            assert_eq!(status, StatusCode::OK);
            assert!(pdf.starts_with(b"%PDF"));
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("notice.pdf");
            std::fs::write(&path, &pdf).unwrap();
            if let Ok(out) = std::process::Command::new("pdftotext")
                .arg(&path)
                .arg("-")
                .output()
            {
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(
                    compact(&text).contains(&chinese(deadline)),
                    "the PDF states the deadline: {text}"
                );
            }
        }

        // The 街道 sees its own problem, not the other organ's; it cannot answer that one.
        let page = officer.get(&rect_url).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(late));
        assert!(page.body.contains(&chinese(deadline)));
        assert!(!page.body.contains(east_problem));
        let token = page.csrf();
        let r = officer
            .post(
                &format!("{rect_url}/{east_problem_id}/answer"),
                &[("csrf_token", token.as_str()), ("rectification", "越权")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(
            officer
                .get(&format!("/admin/organs/{east}/rectifications"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // Its organ page links the rectification page now.
        let organ_page = officer.get(&format!("/admin/organs/{street}")).await;
        assert!(organ_page.body.contains(&format!("href=\"{rect_url}\"")));

        // Answer, sent back, answer again, closed.
        let answer = format!("{rect_url}/{street_problem}/answer");
        let r = officer
            .submit(
                &rect_url,
                &answer,
                &[
                    ("rectification", "已补充说明公开时间并完善台账"),
                    ("done_on", "2026-09-28"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(state_of(&app, street_problem).await, "answered");
        // The organ cannot close its own problem (no supervision over itself).
        for path in [
            format!("{page_url}/problems/{street_problem}/close"),
            format!(
                "/admin/organs/{street}/inspections/{inspection_id}/problems/{street_problem}/close"
            ),
        ] {
            let r = officer.post(&path, &[("csrf_token", token.as_str())]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/problems/{street_problem}/reopen"),
                &[("comment", "未说明今后如何避免，请补充制度措施")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(state_of(&app, street_problem).await, "reopened");
        let page = officer.get(&rect_url).await;
        assert!(
            page.body.contains("未说明今后如何避免"),
            "the reason reaches the organ"
        );
        let r = officer
            .submit(
                &rect_url,
                &answer,
                &[
                    ("rectification", "已建立公开时限台账，每周核对"),
                    ("done_on", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = sup
            .submit(
                &page_url,
                &format!("{page_url}/problems/{street_problem}/close"),
                &[("comment", "整改到位")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(state_of(&app, street_problem).await, "closed");
        let events = app
            .store()
            .inspections()
            .events(&[street_problem])
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.key()).collect();
        assert_eq!(kinds, ["answer", "reopen", "answer", "close"]);

        // Every step is in the audit trail.
        for (action, n) in [
            ("inspection.open", 1),
            ("inspection.problem.record", 2),
            ("inspection.issue_notice", 1),
            ("inspection.problem.answer", 2),
            ("inspection.problem.reopen", 1),
            ("inspection.problem.close", 1),
        ] {
            assert_eq!(audit_count(&app, action).await, n, "{action}");
        }
        assert!(app.store().verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn only_the_supervising_subtree_inspects_and_organs_see_only_their_own_problems() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let (district, street) = (ids.district, ids.subdistrict);
        let east = new_organ(&app, Some(district), "新华区东市场街道办事处").await;
        let other_district = new_organ(&app, None, "另一区人民政府").await;
        let mut stranger =
            user_with(&app, other_district, "other.supervisor", Role::Supervisor).await;
        let mut east_officer = user_with(&app, east, "east.officer", Role::Officer).await;
        let mut officer = app.login_as("demo-officer").await;

        // A supervisor of another district cannot inspect the 街道: not through this district's
        // pages (403), not by naming it from its own (refused with the reason).
        let street_s = street.to_string();
        let fields = [
            ("scope_organ_id", street_s.as_str()),
            ("title", "越界检查"),
            ("kind", "accuracy"),
        ];
        let own = format!("/admin/organs/{other_district}/inspections");
        let r = stranger.submit(&own, &own, &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(
            r.body.contains("不是本机关或本机关的下级机关"),
            "{}",
            r.body
        );
        let token = stranger.get(&own).await.csrf();
        let mut with_token = vec![("csrf_token", token.as_str())];
        with_token.extend_from_slice(&fields);
        let r = stranger
            .post(
                &format!("/admin/organs/{district}/inspections"),
                &with_token,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM inspections").await,
            0,
            "nothing was opened"
        );
        // An organ's officer has no inspection pages.
        assert_eq!(
            officer
                .get(&format!("/admin/organs/{street}/inspections"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // One 通报 with a problem for each 街道 (through the store: the HTTP path is above).
        let inspection_id = app
            .store()
            .write(&Actor::system(), async |tx| {
                let id = inspections::open(
                    tx,
                    district,
                    &NewInspection {
                        scope_organ_id: district,
                        include_below: true,
                        title: "专项检查".into(),
                        kind: InspectionKind::Channels,
                        subject: String::new(),
                    },
                )
                .await?;
                for (organ_id, text) in [(street, "西市场的问题"), (east, "东市场的问题")]
                {
                    inspections::record_problem(
                        tx,
                        id,
                        &ProblemInput {
                            organ_id,
                            description: text.into(),
                            link: None,
                        },
                    )
                    .await?;
                }
                inspections::issue_notice(
                    tx,
                    &Calendar::official(),
                    id,
                    &NoticeInput {
                        doc_no: "新政公开〔2026〕9号".into(),
                        text: "通报如下。".into(),
                        deadline_days: 5,
                    },
                    |_| "{}".into(),
                )
                .await?;
                Ok(id)
            })
            .await
            .unwrap();
        let street_page = officer
            .get(&format!("/admin/organs/{street}/rectifications"))
            .await;
        assert!(street_page.body.contains("西市场的问题"));
        assert!(!street_page.body.contains("东市场的问题"));
        let east_page = east_officer
            .get(&format!("/admin/organs/{east}/rectifications"))
            .await;
        assert!(east_page.body.contains("东市场的问题"));
        assert!(!east_page.body.contains("西市场的问题"));
        // Neither reaches the other's page nor the supervisor's inspection.
        assert_eq!(
            officer
                .get(&format!("/admin/organs/{east}/rectifications"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            east_officer
                .get(&format!(
                    "/admin/organs/{district}/inspections/{inspection_id}"
                ))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // The stranger does not find the district's inspection under its own organ.
        for path in [
            format!("/admin/organs/{other_district}/inspections/{inspection_id}"),
            format!("/admin/organs/{other_district}/inspections/{inspection_id}/notice/docx"),
        ] {
            assert_eq!(
                stranger.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn overdue_counts_the_unanswered_problem_after_the_deadline_and_not_the_closed_one() {
    each_backend(|app: TestApp| async move {
        // Logged in at t0 (a session cannot start before its account was made).
        let mut officer = app.login_as("demo-officer").await;
        let mut supervisor = app.login_as("demo-supervisor").await;
        app.clock.set(before_national_day());
        let ids = demo_ids(&app).await;
        let (district, street) = (ids.district, ids.subdistrict);
        let calendar = Calendar::official();
        let (unanswered, closed, deadline) = app
            .store()
            .write(&Actor::system(), async |tx| {
                let id = inspections::open(
                    tx,
                    district,
                    &NewInspection {
                        scope_organ_id: street,
                        include_below: false,
                        title: "发布时效检查".into(),
                        kind: InspectionKind::Timeliness,
                        subject: String::new(),
                    },
                )
                .await?;
                let mut problem_ids = Vec::new();
                for text in ["未反馈的问题", "已销号的问题"] {
                    problem_ids.push(
                        inspections::record_problem(
                            tx,
                            id,
                            &ProblemInput {
                                organ_id: street,
                                description: text.into(),
                                link: None,
                            },
                        )
                        .await?,
                    );
                }
                let notice = inspections::issue_notice(
                    tx,
                    &calendar,
                    id,
                    &NoticeInput {
                        doc_no: "新政公开〔2026〕7号".into(),
                        text: "通报如下。".into(),
                        deadline_days: 5,
                    },
                    |_| "{}".into(),
                )
                .await?;
                inspections::answer(tx, street, problem_ids[1], "已整改", None).await?;
                inspections::close(tx, id, problem_ids[1], "").await?;
                Ok((problem_ids[0], problem_ids[1], notice.deadline_on))
            })
            .await
            .unwrap();
        assert_eq!(
            deadline,
            calendar
                .add_working_days(NaiveDate::from_ymd_opt(2026, 9, 28).unwrap(), 5)
                .unwrap()
        );
        let organs = [district, street];
        // On the deadline day nothing is overdue yet.
        let on_deadline = app
            .store()
            .inspections()
            .overdue_for(&organs, deadline)
            .await
            .unwrap();
        assert_eq!(on_deadline.get(&street), Some(&0));
        assert_eq!(on_deadline.get(&district), Some(&0));

        // The store's today moves past the deadline.
        let day_after = deadline.succ_opt().unwrap();
        app.clock
            .set(Utc.from_utc_datetime(&day_after.and_hms_opt(1, 0, 0).unwrap()));
        let today = app.store().today();
        assert_eq!(today, day_after);
        let overdue = app
            .store()
            .inspections()
            .overdue_for(&organs, today)
            .await
            .unwrap();
        assert_eq!(overdue.get(&street), Some(&1), "the unanswered one only");
        assert_eq!(overdue.get(&district), Some(&0));
        let list = app
            .store()
            .inspections()
            .overdue_list(&organs, today)
            .await
            .unwrap();
        let listed: Vec<i64> = list.iter().map(|p| p.problem.id).collect();
        assert_eq!(listed, [unanswered]);
        assert!(!listed.contains(&closed));
        // The organ's page marks it in words.
        let page = officer
            .get(&format!("/admin/organs/{street}/rectifications"))
            .await;
        let card = page
            .body
            .split(&format!("id=\"problem-{unanswered}\""))
            .nth(1)
            .unwrap();
        assert!(
            card.split("</section>")
                .next()
                .unwrap()
                .contains("（逾期）")
        );

        // The supervisor's dashboard counts it in the street's row (逾期未整改), and its drill-down
        // lists exactly that problem.
        let csv = supervisor
            .get(&format!("/admin/organs/{district}/supervision/export.csv"))
            .await;
        let rows: Vec<Vec<String>> = csv
            .body
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        let column = rows[0].iter().position(|h| h == "逾期未整改").unwrap();
        let street_name = app.store().organs().get(street).await.unwrap().unwrap().name;
        let district_name = app.store().organs().get(district).await.unwrap().unwrap().name;
        let cell = |name: &str| {
            rows.iter()
                .find(|r| r[0] == name)
                .map(|r| r[column].clone())
                .unwrap()
        };
        assert_eq!(cell(&street_name), "1");
        assert_eq!(cell(&district_name), "0");
        assert_eq!(cell("合计"), "1");
        let drill = supervisor
            .get(&format!(
                "/admin/organs/{district}/supervision/records?organ={street}&measure=rectifications_overdue"
            ))
            .await;
        assert_eq!(drill.status, StatusCode::OK);
        assert!(drill.body.contains("未反馈的问题"), "{}", drill.body);
        assert!(!drill.body.contains("已销号的问题"));
        assert!(drill.body.contains("id=\"record-count\">1<"));

        // Answered late: no longer overdue, the supervisor checks it now.
        app.store()
            .write(&Actor::system(), async |tx| {
                inspections::answer(tx, street, unanswered, "已整改", None).await
            })
            .await
            .unwrap();
        let overdue = app
            .store()
            .inspections()
            .overdue_for(&organs, today)
            .await
            .unwrap();
        assert_eq!(overdue.get(&street), Some(&0));
    })
    .await;
}
