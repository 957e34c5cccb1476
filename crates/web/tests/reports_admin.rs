#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The annual report (条例第四十九、五十条) over real HTTP, as the officer and the reviewer of the
//! demo 街道 would do it: open the year, see the tables built from the records and the text
//! pre-filled, open a cell's records, be refused while passages are unwritten or figures missing,
//! fill in the figures (by form and by a CSV file), write the text, submit, be refused
//! publishing one's own report, publish as the reviewer; the public page and its downloads read
//! back by the auditor give exactly the published tables; a later record does not change the
//! published version; a revision publishes version 2 with its reason and the history shows both;
//! the supervisor sees the district's aggregate with who has not published.

mod common;

use chrono::NaiveDate;
use common::{Browser, TestApp, demo_ids, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{ApplicantType, Channel, ClockEvent, Outcome, ProvisionForm, ResidentIdNumber};
use gongkai_store::{Actor, NewApplication};
use reqwest::StatusCode;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A granted application of a natural person received and answered on the given days.
async fn granted(app: &TestApp, organ_id: i64, received: &str, replied: &str) -> String {
    let body = "11010519491231002";
    let calendar = Calendar::official();
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
                received_on: d(received),
            },
            &calendar,
        )
        .await
        .unwrap();
    app.store()
        .applications()
        .record_event(
            &Actor::system(),
            a.id,
            ClockEvent::Replied {
                on: d(replied),
                outcome: Outcome::Granted,
            },
            a.version,
            &calendar,
        )
        .await
        .unwrap();
    a.tracking_no
}

fn version_of(page: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

fn cell(page: &str, key: &str) -> String {
    let marker = format!("data-cell=\"{key}\">");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("{key} in {page}"))
        + marker.len();
    let rest = &page[start..];
    let rest = rest.strip_prefix("<a href=\"").map_or(rest, |r| {
        let after = r.find("\">").unwrap() + 2;
        &r[after..]
    });
    rest.split('<').next().unwrap().to_owned()
}

/// The text of textarea `name` on the page (HTML-unescaped for the few entities askama writes).
fn textarea(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    let start = page.find(&marker).unwrap();
    let rest = &page[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</textarea>").unwrap();
    rest[open..close]
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn post_form(
    b: &mut Browser,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> common::Resp {
    b.submit(page, action, fields).await
}

/// Tables 二–四 of a document read back by the auditor, as JSON.
fn audited_tables(bytes: &[u8], name: &str) -> serde_json::Value {
    let read = gongkai_docs::read_document(bytes, Some(name)).unwrap();
    let tables = gongkai_report::extract::extract(&read).tables;
    serde_json::to_value(tables).unwrap()
}

#[tokio::test]
async fn the_annual_report_is_built_checked_reviewed_published_and_revised() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let tracking = granted(&app, s, "2023-05-08", "2023-05-19").await;

        let mut officer = app.login_as("demo-officer").await;
        let list = format!("/admin/organs/{s}/reports");
        let r = officer.get(&list).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("第四十九、五十条"), "the law line");
        assert!(r.body.contains("/guide/annual-report"));
        let r = officer.submit(&list, &list, &[("year", "2023")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let url = format!("/admin/organs/{s}/reports/2023");
        assert!(r.location().starts_with(&url));

        // Built from the records: the 348 items of the seed, the one granted application.
        let page = officer.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("主动公开政府信息348条"), "pre-filled text");
        assert!(page.body.contains("【待填写"));
        assert_eq!(cell(&page.body, "table3.granted.natural_person"), "1");
        assert_eq!(cell(&page.body, "table3.new_received.total"), "1");

        // The cell opens the record it counts.
        let drill = officer
            .get(&format!("{url}/cells/table3.granted.natural_person"))
            .await;
        assert_eq!(drill.status, StatusCode::OK);
        assert!(drill.body.contains(&tracking), "{}", drill.body);
        assert!(!drill.body.contains("王小明"), "no personal data in the drill-down");
        assert_eq!(
            officer.get(&format!("{url}/cells/table9.nothing")).await.status,
            StatusCode::NOT_FOUND
        );

        // Not submittable yet: passages to write, figures from other systems missing.
        let v = version_of(&page.body);
        let r = post_form(&mut officer, &url, &format!("{url}/submit"), &[("version", &v)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("待填写") && r.body.contains("尚未填写"), "{}", r.body);

        // Figures by form (a bad one refused, nothing written), then by a CSV file.
        let bad = [
            ("version", v.as_str()),
            ("licensing_value", "十二"),
            ("licensing_source", "审批系统"),
        ];
        let r = post_form(&mut officer, &url, &format!("{url}/figures"), &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("行政许可"), "{}", r.body);
        let csv = "项目,数值,来源\n行政许可,12,区政务服务平台导出\n行政处罚,0,无行政处罚权\n行政强制,0,无行政强制权\n行政事业性收费,0.35,财政非税收入系统\n";
        let r = officer
            .submit_multipart(
                &url,
                &format!("{url}/figures/import"),
                &[("version", &v)],
                &[("file", "表二其他数字.csv", csv.as_bytes().to_vec())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&url).await;
        assert_eq!(cell(&page.body, "table2.licensing"), "12");
        assert_eq!(cell(&page.body, "table2.fees_wan_yuan"), "0.35");
        let source = officer.get(&format!("{url}/cells/table2.licensing")).await;
        assert!(source.body.contains("区政务服务平台导出"), "{}", source.body);

        // The text written: every mark replaced.
        let v = version_of(&page.body);
        let mut fields: Vec<(String, String)> = vec![("version".into(), v.clone())];
        for name in ["overview", "proactive", "applications", "challenges", "problems", "other"] {
            let text = textarea(&page.body, name);
            let written = text
                .split('【')
                .map(|part| match part.split_once('】') {
                    Some((_, after)) => format!("已按要求落实。{after}"),
                    None => part.to_owned(),
                })
                .collect::<String>();
            fields.push((name.into(), written));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = post_form(&mut officer, &url, &format!("{url}/narrative"), &refs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // Warnings (e.g. publication after 31 January) need an explanation.
        let page = officer.get(&url).await;
        if page.body.contains("提示未说明") {
            let v = version_of(&page.body);
            let mut fields = vec![("version".to_owned(), v)];
            let mut rest = page.body.as_str();
            while let Some(i) = rest.find("name=\"key\" value=\"") {
                rest = &rest[i + "name=\"key\" value=\"".len()..];
                let key = rest.split('"').next().unwrap().replace("&#34;", "\"");
                fields.push(("key".into(), key));
                fields.push(("explanation".into(), "人员调整，发布晚于法定期限".into()));
            }
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let r = post_form(&mut officer, &url, &format!("{url}/explanations"), &refs).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let page = officer.get(&url).await;
        assert!(page.body.contains("id=\"ready\""), "{}", page.body);

        // Submitted; the officer cannot publish what they submitted.
        let v = version_of(&page.body);
        let r = post_form(&mut officer, &url, &format!("{url}/submit"), &[("version", &v)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&url).await;
        assert!(page.body.contains("待审核"));
        let v = version_of(&page.body);
        let r = post_form(&mut officer, &url, &format!("{url}/publish"), &[("version", &v)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("另一位审核人"), "{}", r.body);

        // The reviewer cannot write, but publishes.
        let mut reviewer = app.login_as("demo-reviewer").await;
        let r = reviewer
            .post(&format!("{url}/narrative"), &[("version", &v)])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post_form(&mut reviewer, &url, &format!("{url}/publish"), &[("version", &v)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // The public page: the tables read back by the auditor are the published ones.
        let mut public = app.browser();
        let index = public.get(&format!("/organs/{s}/reports")).await;
        assert!(index.body.contains("2023年政府信息公开工作年度报告"), "{}", index.body);
        let report = public.get(&format!("/organs/{s}/reports/2023")).await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.body.contains("主动公开政府信息348条"));
        let (status, _, json) = public
            .get_bytes(&format!("/organs/{s}/reports/2023/download/json"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let published: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(published["version"], 1);
        let from_page = audited_tables(report.body.as_bytes(), "report.html");
        let (_, _, docx) = public
            .get_bytes(&format!("/organs/{s}/reports/2023/download/docx"))
            .await;
        let from_docx = audited_tables(&docx, "report.docx");
        for table in ["table2", "table3", "table4"] {
            assert_eq!(from_page[table], published["tables"][table], "{table} from the page");
            assert_eq!(from_docx[table], published["tables"][table], "{table} from the docx");
        }
        let (status, headers, xlsx) = public
            .get_bytes(&format!("/organs/{s}/reports/2023/download/xlsx"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
        assert!(xlsx.starts_with(b"PK"));

        // The PDF (A4, CJK fonts): required where CI installs the fonts.
        let (status, _, pdf) = public
            .get_bytes(&format!("/organs/{s}/reports/2023/download/pdf"))
            .await;
        if std::env::var_os("GONGKAI_REQUIRE_CJK_FONTS").is_some() {
            assert_eq!(status, StatusCode::OK);
        }
        if status == StatusCode::OK {
            assert!(pdf.starts_with(b"%PDF"));
            let from_pdf = audited_tables(&pdf, "report.pdf");
            for table in ["table2", "table3", "table4"] {
                assert_eq!(from_pdf[table], published["tables"][table], "{table} from the pdf");
            }
        } else {
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "no fonts: says so");
        }

        // A record added later does not change the published version.
        granted(&app, s, "2023-06-01", "2023-06-12").await;
        let again = public.get(&format!("/organs/{s}/reports/2023")).await;
        assert_eq!(
            audited_tables(again.body.as_bytes(), "report.html")["table3"],
            published["tables"]["table3"]
        );
        let page = officer.get(&url).await;
        assert_eq!(cell(&page.body, "table3.granted.natural_person"), "2", "the draft view is live");
        let frozen = officer
            .get(&format!("{url}/cells/table3.granted.natural_person?version=1"))
            .await;
        assert!(frozen.body.contains("共 1 条"), "{}", frozen.body);

        // A revision: reason required, then version 2 with its reason in the public history.
        let v = version_of(&page.body);
        let r = post_form(&mut officer, &url, &format!("{url}/revise"), &[("version", &v), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = post_form(
            &mut officer,
            &url,
            &format!("{url}/revise"),
            &[("version", &v), ("reason", "补录漏登的 1 件申请")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The saved text still says one application: the auditor's text check stops it (a
        // warning without explanation), so the officer corrects the text.
        let page = officer.get(&url).await;
        let v = version_of(&page.body);
        let r = post_form(&mut officer, &url, &format!("{url}/submit"), &[("version", &v)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("收到的政府信息公开申请为1件，与表格不一致"),
            "{}",
            r.body
        );
        let mut fields: Vec<(String, String)> = vec![("version".into(), v.clone())];
        for name in ["overview", "proactive", "applications", "challenges", "problems", "other"] {
            let text = textarea(&page.body, name)
                .replace("收到政府信息公开申请1件", "收到政府信息公开申请2件")
                .replace("办理完毕1件", "办理完毕2件");
            fields.push((name.into(), text));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = post_form(&mut officer, &url, &format!("{url}/narrative"), &refs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&url).await;
        let v = version_of(&page.body);
        let r = post_form(&mut officer, &url, &format!("{url}/submit"), &[("version", &v)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = reviewer.get(&url).await;
        let v = version_of(&page.body);
        let r = post_form(&mut reviewer, &url, &format!("{url}/publish"), &[("version", &v)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let report = public.get(&format!("/organs/{s}/reports/2023")).await;
        assert!(report.body.contains("补录漏登的 1 件申请"), "history with the reason");
        let tables = audited_tables(report.body.as_bytes(), "report.html");
        assert_eq!(
            tables["table3"]["granted"]["natural_person"], 2,
            "version 2 counts the added case"
        );
        let old = public.get(&format!("/organs/{s}/reports/2023?version=1")).await;
        assert!(old.body.contains("id=\"old-version\""));
        assert_eq!(
            audited_tables(old.body.as_bytes(), "report.html")["table3"],
            published["tables"]["table3"]
        );
        assert_eq!(
            public.get(&format!("/organs/{s}/reports/2023?version=9")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            public.get(&format!("/organs/{s}/reports/2024")).await.status,
            StatusCode::NOT_FOUND,
            "an unpublished year is not public"
        );

        // Next year's report checks against this published one (cross-year).
        officer.submit(&list, &list, &[("year", "2024")]).await;
        let next = officer.get(&format!("/admin/organs/{s}/reports/2024")).await;
        assert!(
            next.body.contains("本平台已发布的2023年度报告（第 2 版）"),
            "{}",
            next.body
        );

        // The supervisor's aggregate of the district: the 街道 published, the district not.
        let mut supervisor = app.login_as("demo-supervisor").await;
        let agg = supervisor
            .get(&format!("/admin/organs/{}/reports/2023/aggregate", ids.district))
            .await;
        assert_eq!(agg.status, StatusCode::OK, "{}", agg.body);
        assert!(agg.body.contains("已发布第 2 版"), "{}", agg.body);
        let unpublished = agg.body.split("id=\"unpublished\"").nth(1).unwrap();
        let unpublished = unpublished.split("</ul>").next().unwrap();
        assert!(unpublished.contains("新华区人民政府"));
        assert!(!unpublished.contains("西市场街道"));
    })
    .await;
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../../shared/corpus/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Without a report of last year in gongkai, the officer uploads last year's published file; its
/// tables, read by the auditor, feed the cross-year checks (here 现行有效件数 does not carry
/// over: a warning to explain). A file of the wrong year, or not a report, is refused with
/// nothing stored; bad figure files change nothing and say which line.
#[tokio::test]
async fn last_years_report_is_imported_from_its_published_file_for_the_cross_year_checks() {
    each_backend(|app: TestApp| async move {
        let s = demo_ids(&app).await.subdistrict;
        let mut officer = app.login_as("demo-officer").await;
        let list = format!("/admin/organs/{s}/reports");
        officer.submit(&list, &list, &[("year", "2023")]).await;
        let url = format!("{list}/2023");
        let page = officer.get(&url).await;
        assert!(page.body.contains("尚无 2022 年度报告"), "no previous yet");
        assert!(!page.body.contains("X-IN-FORCE"));
        let v = version_of(&page.body);

        let wrong_year = officer
            .submit_multipart(
                &url,
                &format!("{url}/previous"),
                &[("version", &v)],
                &[(
                    "file",
                    "pingtan-shiyanqu-2021.html",
                    corpus("pingtan-shiyanqu-2021.html"),
                )],
            )
            .await;
        assert_eq!(wrong_year.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            wrong_year.body.contains("是 2021 年度的报告"),
            "{}",
            wrong_year.body
        );
        let not_a_report = officer
            .submit_multipart(
                &url,
                &format!("{url}/previous"),
                &[("version", &v)],
                &[("file", "说明.txt", "这不是年度报告".as_bytes().to_vec())],
            )
            .await;
        assert_eq!(not_a_report.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(not_a_report.body.contains("没有找到年度报告的表格"));

        let r = officer
            .submit_multipart(
                &url,
                &format!("{url}/previous"),
                &[("version", &v)],
                &[(
                    "file",
                    "pingtan-shiyanqu-2022.html",
                    corpus("pingtan-shiyanqu-2022.html"),
                )],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = officer.get(&url).await;
        assert!(
            page.body.contains("导入的文件：pingtan-shiyanqu-2022.html"),
            "{}",
            page.body
        );
        assert!(page.body.contains("X-IN-FORCE"), "the cross-year check ran");
        assert!(page.body.contains("提示未说明"));

        // A figures file with errors changes nothing and names the line.
        let v = version_of(&page.body);
        let r = officer
            .submit_multipart(
                &url,
                &format!("{url}/figures/import"),
                &[("version", &v)],
                &[(
                    "file",
                    "figures.csv",
                    "行政许可,12,审批系统\n行政复议,3,系统\n"
                        .as_bytes()
                        .to_vec(),
                )],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("第 2 行"), "{}", r.body);
        let page = officer.get(&url).await;
        assert_eq!(
            cell(&page.body, "table2.licensing"),
            "0",
            "nothing was imported"
        );

        // Removing the imported tables turns the cross-year checks off again.
        let v = version_of(&page.body);
        let r = officer
            .submit_multipart(
                &url,
                &format!("{url}/previous"),
                &[("version", &v), ("remove", "1")],
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(!officer.get(&url).await.body.contains("X-IN-FORCE"));
    })
    .await;
}

/// Reminders before the report's last day (Art 49): the officer of an organ that has not
/// published last year's report gets one mail per stage — due soon, then overdue — queued once
/// however often the sweep runs; an organ whose report is published gets none.
#[tokio::test]
async fn officers_are_reminded_before_and_after_the_last_day_once_per_stage() {
    use chrono::TimeZone;
    use gongkai_web::report_reminders::{ReportReminderSettings, sweep};
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let officer = app
            .store()
            .users()
            .find_by_username("demo-officer")
            .await
            .unwrap()
            .unwrap();
        app.store()
            .users()
            .set_email(&Actor::system(), officer.id, Some("officer@example.gov.cn"))
            .await
            .unwrap();
        let settings = ReportReminderSettings {
            days: 15,
            grassroots_deadline: Some((2, 20)),
            public_url: Some("https://gongkai.example.gov.cn".into()),
        };
        let jobs = "SELECT COUNT(*) FROM jobs WHERE dedup_key LIKE 'mail.send:annual-report.%'";
        // 2027-01-20: the 街道's 2026 report is due on 20 February by the local rule — too early.
        app.clock.set(chrono::Utc.with_ymd_and_hms(2027, 1, 20, 2, 0, 0).unwrap());
        assert_eq!(sweep(app.store(), &settings).await.unwrap().enqueued, 0);
        // 2027-02-10: ten days left, one reminder; a second sweep queues nothing more.
        app.clock.set(chrono::Utc.with_ymd_and_hms(2027, 2, 10, 2, 0, 0).unwrap());
        assert_eq!(sweep(app.store(), &settings).await.unwrap().enqueued, 1);
        assert_eq!(sweep(app.store(), &settings).await.unwrap().already_queued, 1);
        let body = app
            .count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE dedup_key = 'mail.send:annual-report.{}.2026.due_soon.u{}' \
                 AND payload_json LIKE '%还有 10 天%' AND payload_json LIKE '%/admin/organs/{}/reports/2026%'",
                ids.subdistrict, officer.id, ids.subdistrict
            ))
            .await;
        assert_eq!(body, 1, "the mail says how many days are left and links the report");
        // After the day: the overdue reminder.
        app.clock.set(chrono::Utc.with_ymd_and_hms(2027, 2, 21, 2, 0, 0).unwrap());
        assert_eq!(sweep(app.store(), &settings).await.unwrap().enqueued, 1);
        assert_eq!(app.count(jobs).await, 2);
        // Turned off with 0 days.
        let off = ReportReminderSettings { days: 0, ..settings.clone() };
        assert_eq!(sweep(app.store(), &off).await.unwrap().enqueued, 0);
    })
    .await;
}
