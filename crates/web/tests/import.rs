//! Importing a ledger (台账) of published items over HTTP, and the demo items of `--demo`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Browser, TestApp, demo_ids, each_backend};
use reqwest::StatusCode;

const HEADER: [&str; 8] = [
    "序号",
    "标题",
    "主题分类",
    "体裁分类",
    "成文日期",
    "发布日期",
    "公开渠道",
    "承办科室",
];

fn good_rows() -> Vec<[String; 8]> {
    (1..=5)
        .map(|i| {
            [
                i.to_string(),
                format!("西市场街道台账导入测试信息第{i}号"),
                "综合政务\\政务公开".to_owned(),
                "通知公告".to_owned(),
                format!("2022-03-{:02}", i + 1),
                format!("2022年3月{}日", i + 8),
                "政府信息公开专栏、政务公开栏".to_owned(),
                "党政办公室".to_owned(),
            ]
        })
        .collect()
}

fn xlsx(rows: &[[String; 8]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(
                u32::try_from(r + 1).unwrap(),
                u16::try_from(c).unwrap(),
                v.as_str(),
            )
            .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn csv(rows: &[[String; 8]]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Posts the upload form as a browser would (multipart, token first).
async fn upload(
    app: &TestApp,
    b: &mut Browser,
    organ_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> (StatusCode, String) {
    let path = format!("/admin/organs/{organ_id}/items/import");
    let form = b.get(&path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("/guide/import"));
    let token = form.csrf();
    let boundary = "----gongkaiTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let cookie = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let res = app
        .client
        .post(format!("{}{path}", app.url))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.text().await.unwrap())
}

async fn item_count(app: &TestApp, organ_id: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM items WHERE organ_id = {organ_id}"
    ))
    .await
}

#[tokio::test]
async fn the_officer_imports_a_good_xlsx_and_an_editor_may_not() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let before = item_count(&app, ids.subdistrict).await;
        let mut officer = app.login_as("demo-officer").await;
        let (status, body) =
            upload(&app, &mut officer, ids.subdistrict, "台账.xlsx", &xlsx(&good_rows())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已导入 5 条"), "{body}");
        assert!(body.contains(&format!("/admin/organs/{}/items", ids.subdistrict)));
        assert_eq!(item_count(&app, ids.subdistrict).await, before + 5);
        let published = app
            .count(&format!(
                "SELECT COUNT(*) FROM items WHERE organ_id = {} AND state = 'published' \
                 AND title LIKE '西市场街道台账导入测试信息%' AND published_on = '2022-03-09' \
                 AND index_no IS NOT NULL",
                ids.subdistrict
            ))
            .await;
        assert_eq!(published, 1);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'item.import' AND after_json LIKE '%台账.xlsx%'")
                .await,
            1
        );

        let mut editor = app.login_as("demo-editor").await;
        let r = editor
            .get(&format!("/admin/organs/{}/items/import", ids.subdistrict))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The officer reaches only their own organ.
        let r = officer
            .get(&format!("/admin/organs/{}/items/import", ids.district))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn one_bad_row_imports_nothing_and_is_named() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let before = item_count(&app, ids.subdistrict).await;
        let mut rows = good_rows();
        rows[2][5] = "2022-02-30".to_owned(); // Excel row 4
        rows[3][2] = "不存在的分类".to_owned(); // Excel row 5
        let mut officer = app.login_as("demo-officer").await;
        let (status, body) = upload(
            &app,
            &mut officer,
            ids.subdistrict,
            "坏台账.xlsx",
            &xlsx(&rows),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("有 2 处错误，未导入任何信息"), "{body}");
        assert!(body.contains("<td>第 4 行</td><td>发布日期</td>"), "{body}");
        assert!(body.contains("<td>第 5 行</td><td>主题分类</td>"), "{body}");
        assert_eq!(item_count(&app, ids.subdistrict).await, before);

        // Not a table at all: a clear message, nothing imported.
        let (status, body) = upload(
            &app,
            &mut officer,
            ids.subdistrict,
            "a.xlsx",
            b"not a workbook",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("a.xlsx"), "{body}");
        assert_eq!(item_count(&app, ids.subdistrict).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_gbk_csv_keeps_its_chinese() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let text = csv(&good_rows()[..3]);
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&gbk).is_err(), "really GBK, not UTF-8");
        let mut officer = app.login_as("demo-officer").await;
        let (status, body) = upload(&app, &mut officer, ids.subdistrict, "台账.csv", &gbk).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("已导入 3 条"), "{body}");
        let found = app
            .count(&format!(
                "SELECT COUNT(*) FROM items WHERE organ_id = {} AND \
                 title = '西市场街道台账导入测试信息第2号' AND topic = '综合政务\\政务公开'",
                ids.subdistrict
            ))
            .await;
        assert_eq!(found, 1);
        let channels = app
            .count(
                "SELECT COUNT(*) FROM item_channels c JOIN items i ON i.id = c.item_id \
                 WHERE i.title = '西市场街道台账导入测试信息第2号' \
                 AND c.channel IN ('column', 'bulletin_board')",
            )
            .await;
        assert_eq!(channels, 2);
    })
    .await;
}

#[tokio::test]
async fn the_demo_street_has_its_2023_items_and_work_in_progress() {
    each_backend(|app: TestApp| async move {
        let ids = demo_ids(&app).await;
        let s = ids.subdistrict;
        let published = app
            .count(&format!(
                "SELECT COUNT(*) FROM items WHERE organ_id = {s} AND state = 'published' \
                 AND published_on LIKE '2023-%'"
            ))
            .await;
        assert_eq!(published, 348);
        let interpretations = app
            .count(&format!(
                "SELECT COUNT(*) FROM items WHERE organ_id = {s} AND genre = 'interpretation'"
            ))
            .await;
        let linked = app
            .count(&format!(
                "SELECT COUNT(*) FROM items i JOIN items d ON d.id = i.interprets_item_id \
                 WHERE i.organ_id = {s} AND i.genre = 'interpretation' \
                 AND i.title = '《' || d.title || '》政策解读'"
            ))
            .await;
        assert!(interpretations > 0);
        assert_eq!(linked, interpretations);
        let with_department = app
            .count(&format!(
                "SELECT COUNT(*) FROM items WHERE organ_id = {s} AND department_id IS NOT NULL"
            ))
            .await;
        assert!(with_department >= 348);
        let organ = app.store().organs().get(s).await.unwrap().unwrap();
        let code = organ.credit_code.unwrap();
        assert!(gongkai_store::CreditCode::parse(code.as_str()).is_ok());

        // The officer's due list: items in the workflow, one of them overdue.
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let due = app
            .store()
            .items()
            .due_by(s, today + chrono::Days::new(40))
            .await
            .unwrap();
        assert!(due.len() >= 4, "{due:?}");
        assert!(due.iter().any(|i| i.due_on < today), "{due:?}");
        assert!(
            due.iter()
                .any(|i| i.state == gongkai_law::ItemState::InReview)
        );

        // A second start adds nothing.
        let dir = tempfile::tempdir().unwrap();
        let calendar = gongkai_web::calendar_files::load_calendar(dir.path()).unwrap();
        let total = item_count(&app, s).await;
        let again = gongkai_web::demo::seed_items(app.store(), &calendar, today)
            .await
            .unwrap();
        assert_eq!(again, gongkai_web::demo::SeededItems::default());
        assert_eq!(item_count(&app, s).await, total);
    })
    .await;
}
