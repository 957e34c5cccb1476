#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The seed, reproduced (issue 7): the demo data of 新华区西市场街道办事处 for 2023 — 348 items, 20
//! in the column and 328 through media, no applications, no reviews or lawsuits, no fees — builds a
//! 2023 report whose tables are exactly those of the published report
//! (../shared/corpus/xinhua-ximarket-2023.txt, hand-checked truth file beside it), and whose checks
//! find no error.

use gongkai_annual::{RecordRef, build_report};
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

/// A SQLite store with the demo organs and the 街道's items (the directory must outlive it).
async fn seeded_demo() -> (tempfile::TempDir, Store, Calendar) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("g.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let calendar = Calendar::official();
    gongkai_web::demo::seed(&store).await.unwrap();
    gongkai_web::demo::seed_items(&store, &calendar, store.today())
        .await
        .unwrap();
    (dir, store, calendar)
}

#[tokio::test]
async fn the_demo_subdistricts_2023_report_has_the_published_tables() {
    let (_dir, store, calendar) = seeded_demo().await;
    let organ = store
        .organs()
        .resolve(gongkai_web::demo::SUBDISTRICT)
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
        store.organs().resolve(code.as_str()).await.unwrap().id,
        organ.id
    );
    assert!(
        store
            .organs()
            .resolve("不存在的机关")
            .await
            .unwrap_err()
            .to_string()
            .contains("找不到机关")
    );
}

/// Round trip: the DOCX and the HTML of a built report, read back by the auditor, gives exactly the tables
/// that were built — with real numbers in every table (applications of several outcomes and
/// applicant types, a normative document, a 复议 case), not only zeros.
#[tokio::test]
async fn the_docx_and_the_html_read_back_to_the_built_tables() {
    use gongkai_law::{ApplicantType, Channel, ClockEvent, Outcome, ProvisionForm};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("g.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let calendar = Calendar::official();
    gongkai_web::demo::seed(&store).await.unwrap();
    let organ = store
        .organs()
        .resolve(gongkai_web::demo::SUBDISTRICT)
        .await
        .unwrap();
    let actor = gongkai_store::Actor::system();
    let outcomes = [
        (ApplicantType::NaturalPerson, Some(Outcome::Granted)),
        (
            ApplicantType::CommercialEnterprise,
            Some(Outcome::PartiallyGranted),
        ),
        (ApplicantType::NaturalPerson, Some(Outcome::UnableNotHeld)),
        (
            ApplicantType::LegalServiceOrg,
            Some(Outcome::NotProcessedRepeated),
        ),
        (ApplicantType::NaturalPerson, None),
    ];
    for (i, (kind, outcome)) in outcomes.iter().enumerate() {
        let org = kind.is_organisation();
        let new = gongkai_store::NewApplication {
            applicant_type: *kind,
            applicant_name: format!("申请人{i}"),
            id_kind: if org {
                "credit_code".into()
            } else {
                "other".into()
            },
            id_number: if org {
                organ.credit_code.clone().unwrap().as_str().to_owned()
            } else {
                format!("护照E{i:07}")
            },
            phone: "13800138000".into(),
            email: String::new(),
            address: String::new(),
            description: format!("第{i}项信息"),
            provision_form: ProvisionForm::Electronic,
            delivery: String::new(),
            channel: Channel::InPerson,
            received_on: "2025-11-03".parse().unwrap(),
        };
        let (app, _) = store
            .applications()
            .create(&actor, organ.id, &new, &calendar)
            .await
            .unwrap();
        if let Some(outcome) = outcome {
            store
                .applications()
                .record_event(
                    &actor,
                    app.id,
                    ClockEvent::Replied {
                        on: "2025-11-20".parse().unwrap(),
                        outcome: *outcome,
                    },
                    app.version,
                    &calendar,
                )
                .await
                .unwrap();
        }
    }
    let other = OtherFigures {
        licensing: 4,
        penalty: 2,
        coercion: 1,
        fees_wan_yuan: "0.35".to_owned(),
    };
    let built = build_report(&store, &calendar, organ.id, 2025, &other)
        .await
        .unwrap();
    let t3 = built.tables.table3.as_ref().unwrap();
    assert_eq!(
        t3[&gongkai_report::Table3Row::NewReceived].total,
        gongkai_report::CellValue::Number(5)
    );
    let snapshot = gongkai_annual::snapshot::ReportSnapshot {
        organ_id: organ.id,
        organ: organ.name.clone(),
        year: 2025,
        version: None,
        published_on: None,
        narrative: gongkai_annual::narrative::prefill(&built),
        tables: built.tables.clone(),
        cells: built.cells.clone(),
        findings: built.findings.clone(),
        explanations: Default::default(),
        figures: Default::default(),
        facts: built.facts.clone(),
    };
    let document = gongkai_annual::document::report_document(&snapshot);
    let docx = gongkai_typeset::to_docx(&document, &gongkai_typeset::DocxStyle::default()).unwrap();
    let read = gongkai_docs::read_document(&docx, Some("report.docx")).unwrap();
    let extraction = gongkai_report::extract::extract(&read);
    let back = serde_json::to_value(&extraction.tables).unwrap();
    let built_json = serde_json::to_value(&built.tables).unwrap();
    for table in ["table2", "table3", "table4"] {
        assert_eq!(back[table], built_json[table], "{table}");
    }
    assert_eq!(back["year"], 2025);

    // The workbook has the three tables with their figures.
    let xlsx = gongkai_annual::xlsx::report_xlsx(&snapshot).unwrap();
    let sheet = format!(
        "{:?}",
        gongkai_docs::read_table(&xlsx, "report.xlsx").unwrap()
    );
    assert!(
        sheet.contains("行政规范性文件") && sheet.contains("行政许可"),
        "{sheet}"
    );

    // The HTML page reads back the same way.
    let html = gongkai_typeset::to_html_page(&document).unwrap();
    let read = gongkai_docs::read_document(html.as_bytes(), Some("report.html")).unwrap();
    let back = serde_json::to_value(&gongkai_report::extract::extract(&read).tables).unwrap();
    for table in ["table2", "table3", "table4"] {
        assert_eq!(back[table], built_json[table], "{table} from the HTML");
    }
}

/// The seed's generated document — the tables and the pre-filled text, as the officer first sees
/// them — read back by the auditor gives the published tables, states the published report's
/// facts (348 items: 20 in the column, 328 through media; no applications; no fees), and the
/// auditor's checks on it, text included, find no error.
#[tokio::test]
async fn the_seeds_generated_document_audits_to_the_published_tables_and_facts() {
    let (_dir, store, calendar) = seeded_demo().await;
    let organ = store
        .organs()
        .resolve(gongkai_web::demo::SUBDISTRICT)
        .await
        .unwrap();
    let prepared =
        gongkai_annual::workflow::prepare(&store, &calendar, organ.id, 2023, Default::default())
            .await
            .unwrap();
    let document = gongkai_annual::document::report_document(&prepared.snapshot);
    let docx = gongkai_typeset::to_docx(&document, &gongkai_typeset::DocxStyle::default()).unwrap();
    let read = gongkai_docs::read_document(&docx, Some("report.docx")).unwrap();
    let extraction = gongkai_report::extract::extract(&read);
    let text = extraction.text.clone();
    let audited = gongkai_report::audit::audit_alone(extraction, &Default::default());

    let truth = truth();
    let tables = serde_json::to_value(&audited.tables).unwrap();
    for table in ["table2", "table3", "table4"] {
        assert_eq!(tables[table], truth[table], "{table}");
    }
    let errors: Vec<_> = audited
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.status == gongkai_report::Status::Failed)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let facts = &truth["text_facts"];
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for fact in [
        format!(
            "主动公开政府信息{}条",
            facts["proactive_items_total"].as_i64().unwrap()
        ),
        format!(
            "政府信息公开专栏公开{}条",
            facts["proactive_items_in_column"].as_i64().unwrap()
        ),
        format!(
            "公开{}条",
            facts["proactive_items_via_media"].as_i64().unwrap()
        ),
        "2023年度未收到政府信息公开申请".to_owned(),
        "本年度没有产生政府信息公开信息处理费".to_owned(),
    ] {
        assert!(compact.contains(&fact), "{fact} not in:\n{text}");
    }
    // What no record holds is left for the officer, and blocks submission until written.
    assert!(
        prepared.blockers.iter().any(|b| b.contains("待填写")),
        "{:?}",
        prepared.blockers
    );
}

/// The local last day for 街道/乡镇 reaches the timeliness check: the 街道's 2023 report
/// published on 10 February 2024 is late by the default 31 January, in time by a local 20 February.
#[tokio::test]
async fn a_local_last_day_for_subdistricts_reaches_the_timeliness_check() {
    use gongkai_annual::workflow::{Timing, prepare};
    let (_dir, store, calendar) = seeded_demo().await;
    let organ = store
        .organs()
        .resolve(gongkai_web::demo::SUBDISTRICT)
        .await
        .unwrap();
    let late = |timing: Timing| {
        let (store, calendar) = (&store, &calendar);
        async move {
            prepare(store, calendar, organ.id, 2023, timing)
                .await
                .unwrap()
                .snapshot
                .findings
                .iter()
                .any(|f| {
                    f.check == "D-PUBLISHED-LATE" && f.status == gongkai_report::Status::Failed
                })
        }
    };
    let published_on = Some("2024-02-10".parse().unwrap());
    assert!(
        late(Timing {
            published_on,
            grassroots_deadline: None
        })
        .await
    );
    assert!(
        !late(Timing {
            published_on,
            grassroots_deadline: Some((2, 20))
        })
        .await
    );
}
