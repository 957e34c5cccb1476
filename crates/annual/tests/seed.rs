#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The seed, reproduced (issue 7): the demo data of 新华区西市场街道办事处 for 2023 — 348 items, 20
//! in the column and 328 through media, no applications, no reviews or lawsuits, no fees — builds a
//! 2023 report whose tables are exactly those of the published report
//! (../shared/corpus/xinhua-ximarket-2023.txt, hand-checked truth file beside it), and whose checks
//! find no error.

use gongkai_annual::{RecordRef, build_report, find_organ};
use gongkai_calendar::Calendar;
use gongkai_report::Severity;
use gongkai_report::build::OtherFigures;
use gongkai_store::Store;

fn truth() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/xinhua-ximarket-2023.truth.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn the_demo_subdistricts_2023_report_has_the_published_tables() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("g.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let calendar = Calendar::official();
    gongkai_web::demo::seed(&store).await.unwrap();
    gongkai_web::demo::seed_items(&store, &calendar, store.today())
        .await
        .unwrap();
    let organ = find_organ(&store, gongkai_web::demo::SUBDISTRICT)
        .await
        .unwrap();
    let built = build_report(&store, &calendar, organ.id, 2023, &OtherFigures::default())
        .await
        .unwrap();

    let truth = truth();
    let tables = serde_json::to_value(&built.tables).unwrap();
    for table in ["table2", "table3", "table4"] {
        assert_eq!(tables[table], truth[table], "{table}");
    }
    let errors: Vec<_> = built
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The narrative facts the report states.
    let facts = &truth["text_facts"];
    assert_eq!(
        built.facts.published_items,
        facts["proactive_items_total"].as_i64().unwrap()
    );
    // Every cell can be opened; a zero cell lists no records.
    assert!(
        built
            .cells
            .values()
            .all(|records| records.iter().all(|r| matches!(r, RecordRef::Item(_)))),
        "no applications or challenges behind any cell of this year"
    );
    // The organ is found by its credit code too.
    let code = organ.credit_code.clone().unwrap();
    assert_eq!(
        find_organ(&store, code.as_str()).await.unwrap().id,
        organ.id
    );
    assert!(
        find_organ(&store, "不存在的机关")
            .await
            .unwrap_err()
            .to_string()
            .contains("找不到机关")
    );
}
