#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The 行政复议/行政诉讼 register (条例第五十一条) over real HTTP: registration from an
//! application's case page, recording the decision, the refusals (decided before filed, an
//! application of another organ, a stale form), masked names, permissions across organs, and
//! the year's table 四 on the register page against counts made in the test.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::{Browser, TestApp, demo_ids, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{ApplicantType, ChallengeKind, Channel, ProvisionForm, ResidentIdNumber};
use gongkai_store::{Actor, NewApplication};
use reqwest::StatusCode;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// An application of `organ_id` by 王小明, received on 2026-11-02; returns (id, tracking no).
async fn application(app: &TestApp, organ_id: i64) -> (i64, String) {
    let body = "11010519491231002";
    let (a, _) = app
        .store()
        .applications()
        .create(
            &Actor::system(),
            organ_id,
            &NewApplication {
                applicant_type: ApplicantType::NaturalPerson,
                applicant_name: "王小明".into(),
                id_kind: "resident_id".into(),
                id_number: format!("{body}{}", ResidentIdNumber::check_char_for(body).unwrap()),
                phone: "13800138000".into(),
                email: String::new(),
                address: String::new(),
                description: "老旧小区改造项目的招标文件".into(),
                provision_form: ProvisionForm::Paper,
                delivery: String::new(),
                channel: Channel::InPerson,
                received_on: d("2026-11-02"),
            },
            &Calendar::official(),
        )
        .await
        .unwrap();
    (a.id, a.tracking_no)
}

fn field_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" type=\"text\" maxlength=\"");
    let start = page.find(&marker).unwrap();
    let rest = &page[start..];
    let v = rest.find("value=\"").unwrap() + "value=\"".len();
    rest[v..].split('"').next().unwrap().to_owned()
}

fn cell(page: &str, key: &str) -> u32 {
    let marker = format!("data-cell=\"{key}\">");
    let start = page.find(&marker).unwrap_or_else(|| panic!("{key}")) + marker.len();
    page[start..].split('<').next().unwrap().parse().unwrap()
}

fn version_of(page: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// Submits the new-case form of `organ_id` with `fields`.
async fn register(b: &mut Browser, organ_id: i64, fields: &[(&str, &str)]) -> common::Resp {
    let new = format!("/admin/organs/{organ_id}/challenges/new");
    b.submit(&new, &new, fields).await
}

async fn challenge_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM challenges").await
}

#[tokio::test]
async fn officer_registers_from_the_application_and_records_the_decision() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let (app_id, tracking_no) = application(&app, s).await;
        let mut officer = app.login_as("demo-officer").await;
        // The register is reached from the dashboard and the organ page, like the applications.
        let register_link = format!("/admin/organs/{s}/challenges");
        let dashboard = officer.get("/admin").await;
        assert!(
            dashboard.body.contains(&format!("\"{register_link}\"")),
            "{}",
            dashboard.body
        );
        let organ_page = officer.get(&format!("/admin/organs/{s}")).await;
        assert!(organ_page.body.contains(&format!("\"{register_link}\"")));

        // The application's case page links to the form, which comes pre-filled.
        let case_page = officer
            .get(&format!("/admin/organs/{s}/applications/{app_id}"))
            .await;
        assert_eq!(case_page.status, StatusCode::OK, "{}", case_page.body);
        let link = format!("/admin/organs/{s}/challenges/new?application_id={app_id}");
        assert!(case_page.body.contains(&link), "{}", case_page.body);
        assert!(case_page.body.contains("登记行政复议/行政诉讼"));
        let form = officer.get(&link).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert_eq!(field_value(&form.body, "application"), tracking_no);
        assert_eq!(field_value(&form.body, "claimant_name"), "王小明");
        assert!(form.body.contains("第五十一条"));
        assert!(form.body.contains("/guide/challenges"));

        let r = officer
            .submit(
                &link,
                &format!("/admin/organs/{s}/challenges/new"),
                &[
                    ("kind", "reconsideration"),
                    ("case_no", "（2026）新复字第7号"),
                    ("authority", "新华区人民政府"),
                    ("claimant_name", "王小明"),
                    ("filed_on", "2026-11-10"),
                    ("application", &tracking_no),
                    ("result", "pending"),
                    ("decided_on", ""),
                    ("notes", "申请人对答复不服"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let case = r.location().split('?').next().unwrap().to_owned();
        let stored = app
            .store()
            .challenges()
            .for_application(app_id)
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(
            case,
            format!("/admin/organs/{s}/challenges/{}", stored[0].id)
        );

        let page = officer.get(&case).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("王小明"), "handlers see the full name");
        assert!(page.body.contains(&tracking_no));
        assert!(page.body.contains("尚未审结"));

        // Record the decision through the edit form.
        let edit = format!("{case}/edit");
        let form = officer.get(&edit).await;
        let version = version_of(&form.body);
        assert_eq!(version, "1");
        let decided = [
            ("version", version.as_str()),
            ("kind", "reconsideration"),
            ("case_no", "（2026）新复字第7号"),
            ("authority", "新华区人民政府"),
            ("claimant_name", "王小明"),
            ("filed_on", "2026-11-10"),
            ("application", tracking_no.as_str()),
            ("result", "corrected"),
            ("decided_on", "2026-11-24"),
            ("notes", "责令重新答复"),
        ];
        let r = officer.submit(&edit, &edit, &decided).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&case).await;
        assert!(page.body.contains("结果纠正"), "{}", page.body);
        assert!(page.body.contains("2026-11-24"));
        let c = app
            .store()
            .challenges()
            .get(stored[0].id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.version, 2);
        assert_eq!(c.decided_on, Some(d("2026-11-24")));

        // The same form again is stale: refused, nothing changes.
        let r = officer.submit(&edit, &edit, &decided).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("已被他人修改"), "{}", r.body);
        let again = app.store().challenges().get(c.id).await.unwrap().unwrap();
        assert_eq!(again.version, 2);

        // The application page lists the case; the register counts it in 2026's table 四.
        let case_page = officer
            .get(&format!("/admin/organs/{s}/applications/{app_id}"))
            .await;
        assert!(case_page.body.contains("（2026）新复字第7号"));
        let list = officer.get(&format!("/admin/organs/{s}/challenges")).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(cell(&list.body, "reconsideration.corrected"), 1);
        assert_eq!(cell(&list.body, "reconsideration.total"), 1);
        assert_eq!(cell(&list.body, "reconsideration.pending"), 0);
    })
    .await;
}

#[tokio::test]
async fn impossible_cases_are_refused_and_nothing_is_written() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let (_, foreign_tracking) = application(&app, ids.district).await;
        let mut officer = app.login_as("demo-officer").await;
        let before = challenge_count(&app).await;
        let base = [
            ("kind", "litigation_direct"),
            ("case_no", "（2026）冀0102行初15号"),
            ("authority", "新华区人民法院"),
            ("claimant_name", "赵六"),
            ("filed_on", "2026-10-12"),
        ];

        // Decided before it was filed.
        let mut fields = base.to_vec();
        fields.extend([("result", "upheld"), ("decided_on", "2026-10-11")]);
        let r = register(&mut officer, s, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("审结日期2026-10-11早于立案日期2026-10-12"),
            "{}",
            r.body
        );
        // The form comes back as typed.
        assert!(r.body.contains("（2026）冀0102行初15号"));

        // A result without its date.
        let mut fields = base.to_vec();
        fields.extend([("result", "other"), ("decided_on", "")]);
        let r = register(&mut officer, s, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("须填写审结日期"), "{}", r.body);

        // An application of another organ.
        let mut fields = base.to_vec();
        fields.extend([("result", "pending"), ("application", &foreign_tracking)]);
        let r = register(&mut officer, s, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("不是本机关的申请"), "{}", r.body);

        // An unknown tracking number, a date that is no date.
        let mut fields = base.to_vec();
        fields.extend([("result", "pending"), ("application", "YSQ2026ZZZZZZ")]);
        fields[4] = ("filed_on", "2026-13-01");
        let r = register(&mut officer, s, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("未找到申请编号“YSQ2026ZZZZZZ”"),
            "{}",
            r.body
        );
        assert!(r.body.contains("不是有效日期"), "{}", r.body);

        assert_eq!(challenge_count(&app).await, before);

        // An application of another organ cannot even pre-fill the form.
        let (foreign_id, _) = application(&app, ids.district).await;
        let r = officer
            .get(&format!(
                "/admin/organs/{s}/challenges/new?application_id={foreign_id}"
            ))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn lists_mask_names_and_other_organs_are_out_of_reach() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let (s, district) = (ids.subdistrict, ids.district);
        let mut officer = app.login_as("demo-officer").await;
        let r = register(
            &mut officer,
            s,
            &[
                ("kind", "reconsideration"),
                ("case_no", "（2026）新复字第9号"),
                ("authority", "新华区人民政府"),
                ("claimant_name", "欧阳明月"),
                ("filed_on", "2026-09-01"),
                ("result", "pending"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let case = r.location().split('?').next().unwrap().to_owned();

        // Lists show the first character only, for every role that reads them.
        for who in ["demo-officer", "demo-supervisor", "demo-handler"] {
            let mut b = app.login_as(who).await;
            let list = b.get(&format!("/admin/organs/{s}/challenges")).await;
            assert_eq!(list.status, StatusCode::OK, "{who}");
            assert!(list.body.contains("欧***"), "{who}: {}", list.body);
            assert!(!list.body.contains("欧阳明月"), "{who}");
        }
        // The supervisor reads the case masked and may not edit it.
        let mut supervisor = app.login_as("demo-supervisor").await;
        let page = supervisor.get(&case).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("欧阳明月"));
        assert!(!page.body.contains("修改或登记结果"));
        assert_eq!(
            supervisor.get(&format!("{case}/edit")).await.status,
            StatusCode::FORBIDDEN
        );

        // The subdistrict's handler reaches nothing of the district…
        let mut handler = app.login_as("demo-handler").await;
        for path in [
            format!("/admin/organs/{district}/challenges"),
            format!("/admin/organs/{district}/challenges/new"),
        ] {
            let r = handler.get(&path).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
        let token = handler
            .get(&format!("/admin/organs/{s}/challenges"))
            .await
            .csrf();
        let before = challenge_count(&app).await;
        let r = handler
            .post(
                &format!("/admin/organs/{district}/challenges/new"),
                &[
                    ("csrf_token", &token),
                    ("kind", "reconsideration"),
                    ("case_no", "越权1"),
                    ("authority", "某"),
                    ("claimant_name", "某"),
                    ("filed_on", "2026-09-01"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(challenge_count(&app).await, before);
        // …and a case of one organ is not found under another organ's path, even for the admin.
        let id = case.rsplit('/').next().unwrap();
        let mut admin = app.login_as("demo-admin").await;
        assert_eq!(
            admin
                .get(&format!("/admin/organs/{district}/challenges/{id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

/// A case typed into the form, with the 2025 table-四 cell the test expects for it.
struct Case {
    kind: &'static str,
    filed: &'static str,
    result: &'static str,
    decided: &'static str,
    co_defendant: bool,
    cell_2025: Option<&'static str>,
}

impl Case {
    fn new(
        kind: &'static str,
        filed: &'static str,
        result: &'static str,
        decided: &'static str,
        cell_2025: Option<&'static str>,
    ) -> Case {
        Case {
            kind,
            filed,
            result,
            decided,
            co_defendant: false,
            cell_2025,
        }
    }
}

#[tokio::test]
async fn the_register_page_shows_table_four_by_the_counting_rule() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        // Each case and, written out here, the 2025 cell it lands in (None: not in 2025's table).
        let cases = [
            Case::new(
                "reconsideration",
                "2025-02-01",
                "upheld",
                "2025-04-01",
                Some("upheld"),
            ),
            // Decided after the year end: pending in 2025.
            Case::new(
                "reconsideration",
                "2025-11-20",
                "corrected",
                "2026-01-15",
                Some("pending"),
            ),
            // Filed in 2024: that year's table.
            Case::new(
                "reconsideration",
                "2024-12-20",
                "upheld",
                "2025-02-01",
                None,
            ),
            Case::new(
                "litigation_direct",
                "2025-05-05",
                "other",
                "2025-12-31",
                Some("other"),
            ),
            Case::new(
                "litigation_direct",
                "2025-06-06",
                "pending",
                "",
                Some("pending"),
            ),
            Case::new(
                "litigation_after_reconsideration",
                "2025-07-07",
                "upheld",
                "2025-09-09",
                Some("upheld"),
            ),
            // The organ is only the co-defendant 复议机关: not counted.
            Case {
                co_defendant: true,
                ..Case::new(
                    "litigation_after_reconsideration",
                    "2025-08-08",
                    "corrected",
                    "2025-10-10",
                    None,
                )
            },
            Case::new(
                "litigation_direct",
                "2026-01-02",
                "upheld",
                "2026-03-03",
                None,
            ),
        ];
        let mut expected: BTreeMap<String, u32> = BTreeMap::new();
        for (i, c) in cases.iter().enumerate() {
            let no = format!("表四测试{i}");
            let mut fields = vec![
                ("kind", c.kind),
                ("case_no", no.as_str()),
                ("authority", "新华区人民法院"),
                ("claimant_name", "孙七"),
                ("filed_on", c.filed),
                ("result", c.result),
                ("decided_on", c.decided),
            ];
            if c.co_defendant {
                fields.push(("co_defendant_reviewer", "1"));
            }
            let r = register(&mut officer, s, &fields).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{i}: {}", r.body);
            if let Some(col) = c.cell_2025 {
                *expected.entry(format!("{}.{col}", c.kind)).or_default() += 1;
                *expected.entry(format!("{}.total", c.kind)).or_default() += 1;
            }
        }
        let list = officer
            .get(&format!("/admin/organs/{s}/challenges?year=2025"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("2025 年度报告表四"), "{}", list.body);
        for kind in ChallengeKind::ALL {
            for col in ["upheld", "corrected", "other", "pending", "total"] {
                let key = format!("{}.{col}", kind.key());
                assert_eq!(
                    cell(&list.body, &key),
                    expected.get(&key).copied().unwrap_or(0),
                    "{key}"
                );
            }
        }
        // The year filter lists the cases filed in 2025 (the co-defendant one included: it is
        // registered, just not counted).
        assert_eq!(list.body.matches("表四测试").count(), 6);
        // The store's drill-down names the same cases as the page's numbers.
        let tally = app.store().challenges().tally(s, 2025).await.unwrap();
        assert_eq!(tally.reconsideration.total.ids.len(), 2);
        assert_eq!(
            cell(&list.body, "litigation_direct.total") as usize,
            tally.litigation_direct.total.ids.len()
        );
        // A kind filter narrows the list.
        let only = officer
            .get(&format!(
                "/admin/organs/{s}/challenges?year=2025&kind=litigation_direct"
            ))
            .await;
        assert_eq!(only.body.matches("表四测试").count(), 2);
        let bad = officer
            .get(&format!("/admin/organs/{s}/challenges?year=abc"))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("年份"), "{}", bad.body);
    })
    .await;
}
