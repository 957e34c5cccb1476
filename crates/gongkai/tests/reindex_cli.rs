//! `gongkai reindex`: rebuilds `<data_dir>/search` from a SQLite database with published items;
//! the index then answers queries; while another process holds the index it refuses clearly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gongkai_calendar::Calendar;
use gongkai_law::{Genre, PublicationChannel};
use gongkai_search::{SearchIndex, SearchQuery};
use gongkai_store::{
    Actor, CreditCode, ImportedItem, ItemContent, NewOrgan, OrganContact, OrganKind, Store,
};

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
    let dir = std::env::temp_dir().join(format!("gongkai-reindex-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn item(title: &str, body: &str, published_on: &str) -> ImportedItem {
    let published_on: chrono::NaiveDate = published_on.parse().unwrap();
    ImportedItem {
        content: ItemContent {
            department_id: None,
            title: title.to_owned(),
            summary: String::new(),
            body_html: format!("<p>{body}</p>"),
            body_text: body.to_owned(),
            genre: Genre::WorkUpdate,
            topic: "综合政务\\政务公开".to_owned(),
            domain: None,
            art20_item: None,
            doc_no: None,
            keywords: String::new(),
            formed_on: published_on,
            validity: None,
            interprets_item_id: None,
            channels: vec![PublicationChannel::Column],
        },
        published_on,
        index_no: None,
    }
}

#[tokio::test]
async fn reindex_rebuilds_the_index_and_refuses_while_it_is_held() {
    let dir = temp_dir("sqlite");
    let o = gongkai(&dir, &["migrate"]);
    assert!(o.status.success(), "{}", out(&o));

    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=rwc", dir.join("gongkai.db").display());
    let store = Store::connect(&url).await.unwrap();
    let body = "11110105MB0000002";
    let code = CreditCode::parse(&format!(
        "{body}{}",
        CreditCode::check_char_for(body).unwrap()
    ))
    .unwrap();
    let organ = store
        .organs()
        .create(
            &Actor::system(),
            &NewOrgan {
                parent_id: None,
                name: "新华区民政局".to_owned(),
                credit_code: Some(code),
                kind: OrganKind::Department,
                contact: OrganContact::default(),
            },
        )
        .await
        .unwrap();
    let items = [
        item(
            "新华区养老服务补贴发放情况",
            "2024年第三季度向八十周岁以上老年人发放养老服务补贴。",
            "2024-10-09",
        ),
        item(
            "社区养老服务驿站建设进展",
            "全区新建社区养老服务驿站十二处，提供助餐助浴服务。",
            "2024-11-01",
        ),
        item(
            "最低生活保障标准调整公告",
            "自2025年1月起城乡低保标准统一提高。",
            "2024-12-20",
        ),
    ];
    store
        .items()
        .import(
            &Actor::system(),
            organ.id,
            &items,
            "测试",
            &Calendar::official(),
        )
        .await
        .unwrap();
    store.close().await;

    let o = gongkai(&dir, &["reindex"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("全文索引已重建：3 条已发布信息"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("用时"), "{}", out(&o));

    let index = SearchIndex::open_or_create(&dir.join("search")).unwrap();
    assert_eq!(index.len(), 3);
    let results = index
        .search(&SearchQuery {
            text: "养老服务".to_owned(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(results.total, 2);
    assert!(results.hits[0].title_html.contains("<mark>养老服务</mark>"));
    assert_eq!(results.hits[0].organ_name, "新华区民政局");

    // The index is held (as by a running server): refuse, say what to do, change nothing.
    let o = gongkai(&dir, &["reindex"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("服务正在运行"), "{}", out(&o));
    assert!(
        out(&o).contains("请先停止服务，或等待服务自动更新索引"),
        "{}",
        out(&o)
    );
    drop(index);
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("search."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
