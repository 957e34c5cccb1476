#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Batch audit of published annual reports (监督检查) over real HTTP, as the district's 监督员
//! would do it: upload corpus reports (separate files and a ZIP, plus a broken file), get for each
//! report exactly the findings the auditor gives for the same files, with the two pingtan-shiyanqu
//! years paired for the cross-year checks; dismiss a finding with a comment, re-run the audit and
//! find the decision kept; export the findings to Excel; a file of the wrong type is refused by
//! name; an officer and a supervisor of another district cannot reach the batch.

mod common;

use std::io::Write;

use common::{Browser, TestApp, demo_ids, each_backend};
use gongkai_report::audit::AuditOptions;
use gongkai_report::batch::{audit_batch, read_report};
use gongkai_store::batch_audits::Decision;
use gongkai_store::{
    Actor, NewOrgan, NewUser, OrganContact, OrganKind, Password, Role, RoleGrant, Username,
};
use gongkai_web::batch_audit::{EXPORT_HEADERS_LEN, FileResult};
use reqwest::StatusCode;

fn corpus(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/corpus/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, bytes) in files {
        zip.start_file(
            format!("年报/{name}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// The files of the batch in upload order (the ZIP's report where the ZIP was).
const FILES: [&str; 5] = [
    "pingtan-shiyanqu-2021.html",
    "pingtan-shiyanqu-2022.html",
    "xinhua-ximarket-2023.txt",
    "pingtan-junshanpianqu-2022.html",
    "损坏的报告.docx",
];
const BROKEN: &[u8] = b"PK\x03\x04 this is not a Word document";

async fn upload(b: &mut Browser, organ_id: i64) -> i64 {
    let list = format!("/admin/organs/{organ_id}/batch-audits");
    let zip = zip_of(&[(FILES[3], corpus(FILES[3]))]);
    let r = b
        .submit_multipart(
            &list,
            &list,
            &[("name", "平潭等 年报抽查")],
            &[
                ("files", FILES[0], corpus(FILES[0])),
                ("files", FILES[1], corpus(FILES[1])),
                ("files", FILES[2], corpus(FILES[2])),
                ("files", "年报.zip", zip),
                ("files", FILES[4], BROKEN.to_vec()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location();
    location
        .trim_start_matches(&format!("{list}/"))
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn stored(app: &TestApp, batch_id: i64) -> Vec<(i64, String, FileResult)> {
    app.store()
        .batch_audits()
        .files(batch_id)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.file_name, FileResult::parse(&f.result_json)))
        .collect()
}

#[tokio::test]
async fn a_supervisor_audits_a_batch_and_the_decisions_survive_a_rerun() {
    each_backend(|app: TestApp| async move {
        let district = demo_ids(&app).await.district;
        let mut b = app.login_as("demo-supervisor").await;
        let batch_id = upload(&mut b, district).await;
        let url = format!("/admin/organs/{district}/batch-audits/{batch_id}");

        // What the auditor itself gives for the same files in the same order.
        let options = AuditOptions::default();
        let read: Vec<_> = FILES
            .iter()
            .map(|name| {
                let bytes = if *name == FILES[4] {
                    BROKEN.to_vec()
                } else {
                    corpus(name)
                };
                read_report(&bytes, name, &options)
            })
            .collect();
        let expected = audit_batch(&read);
        assert_eq!(expected[1].previous, Some(0), "2022 pairs with 2021");
        assert!(read[4].is_err(), "the broken file is unreadable");

        let files = stored(&app, batch_id).await;
        let names: Vec<&str> = files.iter().map(|(_, n, _)| n.as_str()).collect();
        assert_eq!(names, FILES, "files in upload order, the ZIP unpacked");
        for (i, (_, name, result)) in files.iter().enumerate() {
            assert_eq!(result.findings, expected[i].findings, "findings of {name}");
            assert_eq!(result.previous, expected[i].previous, "pairing of {name}");
        }
        assert!(files[4].2.error.is_some(), "the broken file has its reason");

        // The batch page: one table per organ with its years and counts; the unreadable file
        // is listed with its reason, not fatal.
        let page = b.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        for (i, (id, name, result)) in files.iter().enumerate().take(4) {
            let (errors, warnings) = gongkai_report::batch::counts(&result.findings);
            let row = page
                .body
                .split(&format!("<tr data-file=\"{name}\">"))
                .nth(1)
                .unwrap_or_else(|| panic!("row of {name}"));
            assert!(
                row.contains(&format!("class=\"errors\">{errors}<")),
                "{name}"
            );
            assert!(
                row.contains(&format!("class=\"warnings\">{warnings}<")),
                "{name}"
            );
            assert!(row.contains(&format!("/files/{id}\"")), "{name}");
            if i == 1 {
                assert!(row.contains(FILES[0]), "2022 shows its pairing with 2021");
            }
        }
        // Like every back-office screen: what the law requires, and the guide page.
        assert!(page.body.contains("class=\"law\""));
        assert!(page.body.contains("href=\"/guide/batch-audit\""));
        assert_eq!(b.get("/guide/batch-audit").await.status, StatusCode::OK);
        let unreadable = page.body.split("id=\"unreadable\"").nth(1).unwrap();
        assert!(unreadable.contains(FILES[4]));

        // The 2022 report's page shows its pairing with 2021.
        let pairing_page = b.get(&format!("{url}/files/{}", files[1].0)).await;
        assert_eq!(pairing_page.status, StatusCode::OK);
        let pairing = pairing_page.body.split("id=\"pairing\"").nth(1).unwrap();
        assert!(pairing.contains(&format!("/files/{}\"", files[0].0)));

        // The report from the ZIP has errors in table 三: its page lists them with their cells,
        // and the tables show those cells marked.
        let (file_id, _, result) = &files[3];
        let file_url = format!("{url}/files/{file_id}");
        let file_page = b.get(&file_url).await;
        assert_eq!(file_page.status, StatusCode::OK);
        let finding = result
            .findings
            .iter()
            .find(|f| !f.cells.is_empty())
            .expect("a finding with cells in the junshanpianqu report");
        let cells: Vec<&str> = finding.cells.iter().map(|c| c.0.as_str()).collect();
        let joined = cells.join(",");
        assert!(file_page.body.contains(&format!("data-cells=\"{joined}\"")));
        for cell in &cells {
            assert!(
                file_page
                    .body
                    .contains(&format!("data-cell=\"{cell}\" class=\"marked\"")),
                "{cell} is shown marked"
            );
        }

        // Dismiss the finding with a comment; re-run; the decision is still there.
        let r = b
            .submit(
                &file_url,
                &format!("{file_url}/decisions"),
                &[
                    ("check", &finding.check),
                    ("cells", &joined),
                    ("decision", "dismissed"),
                    ("comment", "正文第五部分已说明"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = b.submit(&url, &format!("{url}/rerun"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let after = stored(&app, batch_id).await;
        assert_eq!(after.len(), files.len());
        for (i, (_, name, result)) in after.iter().enumerate() {
            assert_eq!(result.findings, expected[i].findings, "re-run of {name}");
        }
        let decisions = app
            .store()
            .batch_audits()
            .decisions(district)
            .await
            .unwrap();
        assert_eq!(decisions.len(), 1);
        assert_eq!(decisions[0].decision, Decision::Dismissed);
        assert_eq!(decisions[0].key.year, 2022);
        let file_page = b.get(&file_url).await.body;
        let block = file_page
            .split(&format!(
                "data-check=\"{}\" data-cells=\"{joined}\"",
                finding.check
            ))
            .nth(1)
            .unwrap();
        assert!(block.contains("value=\"dismissed\" checked"));
        assert!(block.contains("正文第五部分已说明"));

        // The Excel export: a row per finding plus one for the unreadable file, the decision in
        // its row.
        let (status, headers, bytes) = b.get_bytes(&format!("{url}/findings.xlsx")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        let table = gongkai_docs::read_table(&bytes, "findings.xlsx").unwrap();
        let total: usize = expected.iter().map(|e| e.findings.len()).sum::<usize>() + 1;
        assert_eq!(
            table.rows.len(),
            total + 1,
            "header + one row per finding + unreadable"
        );
        assert_eq!(table.rows[0].cells.len(), EXPORT_HEADERS_LEN);
        let decided: Vec<_> = table
            .rows
            .iter()
            .filter(|r| r.cells.iter().any(|c| c == "正文第五部分已说明"))
            .collect();
        assert_eq!(decided.len(), 1);
        assert_eq!(decided[0].cells[0], FILES[3]);
        assert!(decided[0].cells.iter().any(|c| c == "已排除"));
        assert!(decided[0].cells.contains(&finding.check));
        // Changing one's mind replaces the decision (one per finding), and is logged too.
        let r = b
            .submit(
                &file_url,
                &format!("{file_url}/decisions"),
                &[
                    ("check", &finding.check),
                    ("cells", &joined),
                    ("decision", "confirmed"),
                    ("comment", "复核后确认"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let decisions = app
            .store()
            .batch_audits()
            .decisions(district)
            .await
            .unwrap();
        assert_eq!(decisions.len(), 1);
        assert_eq!(decisions[0].decision, Decision::Confirmed);
        assert_eq!(decisions[0].comment, "复核后确认");
        // A finding the report does not have cannot be decided.
        let r = b
            .submit(
                &file_url,
                &format!("{file_url}/decisions"),
                &[
                    ("check", "T9-NONE"),
                    ("cells", ""),
                    ("decision", "confirmed"),
                    ("comment", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let audit_rows = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'batch_audit.%'")
            .await;
        assert_eq!(
            audit_rows, 4,
            "create, two decisions and the re-run are logged"
        );
    })
    .await;
}

#[tokio::test]
async fn a_file_of_another_type_is_refused_by_name_and_nothing_is_stored() {
    each_backend(|app: TestApp| async move {
        let district = demo_ids(&app).await.district;
        let mut b = app.login_as("demo-supervisor").await;
        let list = format!("/admin/organs/{district}/batch-audits");
        let r = b
            .submit_multipart(
                &list,
                &list,
                &[],
                &[
                    ("files", FILES[0], corpus(FILES[0])),
                    ("files", "台账.xlsx", b"PK\x03\x04".to_vec()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.body.contains("文件“台账.xlsx”不是可审核的年度报告"),
            "{}",
            r.body
        );
        let zip = zip_of(&[("说明.doc", b"old word".to_vec())]);
        let r = b
            .submit_multipart(&list, &list, &[], &[("files", "材料.zip", zip)])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("说明.doc"), "{}", r.body);
        assert!(
            app.store()
                .batch_audits()
                .list(district)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn only_supervisors_of_the_subtree_reach_a_batch() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let mut supervisor = app.login_as("demo-supervisor").await;
        let batch_id = upload(&mut supervisor, ids.district).await;
        let url = format!("/admin/organs/{}/batch-audits/{batch_id}", ids.district);
        assert_eq!(supervisor.get(&url).await.status, StatusCode::OK);

        // The officer of the 街道 supervises nothing, not even its own organ.
        let mut officer = app.login_as("demo-officer").await;
        for path in [
            url.clone(),
            format!("/admin/organs/{}/batch-audits", ids.subdistrict),
        ] {
            let r = officer.get(&path).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }

        // A supervisor of another district: refused on this district's path, and the batch is
        // not found under their own organ either.
        let actor = Actor::system();
        let other = app
            .store()
            .organs()
            .create(
                &actor,
                &NewOrgan {
                    parent_id: None,
                    name: "另一区人民政府".into(),
                    credit_code: None,
                    kind: OrganKind::Government,
                    contact: OrganContact::default(),
                },
            )
            .await
            .unwrap();
        let username = Username::parse("other.supervisor").unwrap();
        let password = Password::new("Other-Supervisor-2026", &username).unwrap();
        let user = app
            .store()
            .users()
            .create(
                &actor,
                &NewUser {
                    username,
                    display_name: "另一区监督员".into(),
                    password,
                    organ_id: other.id,
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
                    organ_id: other.id,
                    role: Role::Supervisor,
                    department_id: None,
                },
            )
            .await
            .unwrap();
        let mut stranger = app.browser();
        let r = stranger
            .login("other.supervisor", "Other-Supervisor-2026")
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(stranger.get(&url).await.status, StatusCode::FORBIDDEN);
        for path in [
            format!("/admin/organs/{}/batch-audits/{batch_id}", other.id),
            format!(
                "/admin/organs/{}/batch-audits/{batch_id}/findings.xlsx",
                other.id
            ),
        ] {
            assert_eq!(
                stranger.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let own = stranger
            .get(&format!("/admin/organs/{}/batch-audits", other.id))
            .await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            !own.body.contains("平潭等"),
            "another district's batch is not listed"
        );
    })
    .await;
}
