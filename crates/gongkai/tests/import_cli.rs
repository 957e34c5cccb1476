//! `gongkai import items` and `gongkai demo-data` as an officer runs them: the real binary on a
//! fresh SQLite data directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gongkai_store::CreditCode;
use sqlx::{AssertSqlSafe, Connection};

fn gongkai(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("GONGKAI_DATABASE_URL")
        .output()
        .expect("run gongkai")
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn count(dir: &Path, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=rwc", dir.join("gongkai.db").display());
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    n
}

fn ledger(bad: bool) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: [[&str; 6]; 4] = [
        [
            "名称",
            "主题分类",
            "体裁",
            "形成日期",
            "公开日期",
            "发布渠道",
        ],
        [
            "测试街道2024年工作要点",
            "综合政务/政务公开",
            "计划总结",
            "2024-02-01",
            "2024-02-05",
            "",
        ],
        [
            "测试街道低保复核公告",
            "民政、扶贫、救灾\\社会救助",
            "通知公告",
            "2024/3/1",
            if bad { "2024/2/1" } else { "2024/3/4" },
            "政务公开栏；政府信息公开专栏",
        ],
        [
            "测试街道机构职能",
            "综合政务\\政务公开",
            "机构职能",
            "2024年1月2日",
            "2024年1月3日",
            "门户网站",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), *v)
                .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn import_items_reports_every_error_or_imports_all() {
    let dir = temp_dir("items");
    let o = gongkai(&dir, &["migrate"]);
    assert!(o.status.success(), "{}", out(&o));
    let body = "11130105MB0000099";
    let code = format!("{body}{}", CreditCode::check_char_for(body).unwrap());
    let o = gongkai(
        &dir,
        &[
            "admin",
            "create-organ",
            "--name",
            "测试街道办事处",
            "--kind",
            "subdistrict",
            "--credit-code",
            &code,
        ],
    );
    assert!(o.status.success(), "{}", out(&o));

    let bad = dir.join("bad.xlsx");
    std::fs::write(&bad, ledger(true)).unwrap();
    let o = gongkai(
        &dir,
        &[
            "import",
            "items",
            "--organ",
            "测试街道办事处",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("第 3 行，“公开日期”列"), "{text}");
    assert!(text.contains("早于成文日期"), "{text}");
    assert!(text.contains("未导入任何信息"), "{text}");
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM items").await, 0);

    let good = dir.join("good.xlsx");
    std::fs::write(&good, ledger(false)).unwrap();
    let o = gongkai(
        &dir,
        &[
            "import",
            "items",
            "--organ",
            &code,
            good.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("校验通过：3 条"), "{}", out(&o));
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM items").await, 0);

    let o = gongkai(
        &dir,
        &["import", "items", "--organ", "1", good.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("已导入 3 条"), "{}", out(&o));
    assert_eq!(
        count(&dir, "SELECT COUNT(*) FROM items WHERE state = 'published' AND index_no LIKE '11130105MB0000099%'").await,
        3
    );
    assert_eq!(
        count(
            &dir,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'item.import'"
        )
        .await,
        1
    );

    let o = gongkai(
        &dir,
        &[
            "import",
            "items",
            "--organ",
            "没有这个机关",
            good.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(out(&o).contains("找不到"), "{}", out(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn demo_data_imports_in_batches_over_the_streets() {
    let dir = temp_dir("bulk");
    let o = gongkai(
        &dir,
        &[
            "demo-data",
            "--items",
            "450",
            "--organs",
            "2",
            "--batch",
            "200",
            "--years",
            "2022-2023",
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("完成：共导入 450 条，3 批"), "{}", out(&o));
    assert_eq!(
        count(&dir, "SELECT COUNT(*) FROM items WHERE state = 'published'").await,
        450
    );
    assert_eq!(
        count(
            &dir,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'item.import'"
        )
        .await,
        3
    );
    assert_eq!(
        count(&dir, "SELECT COUNT(DISTINCT organ_id) FROM items").await,
        2
    );
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM organs").await, 3);
    // Run again: the organs are reused, the items added.
    let o = gongkai(
        &dir,
        &["demo-data", "--items", "10", "--organs", "2", "--seed", "2"],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM organs").await, 3);
    assert_eq!(count(&dir, "SELECT COUNT(*) FROM items").await, 460);
    let _ = std::fs::remove_dir_all(&dir);
}
