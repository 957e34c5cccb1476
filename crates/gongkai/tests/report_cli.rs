//! `gongkai report build` as a user runs it: on a data directory holding the demo 街道's records,
//! the 2023 report comes out as the canonical model with exactly the tables of the published
//! report (../shared/corpus/xinhua-ximarket-2023), exit code 0, and its Word and HTML files read
//! back through `gongkai audit` to the same tables; an unknown organ and an unsupported format are
//! refused in Chinese (unknown organ, year out of range). The PDF reads back to the same tables
//! too, with figures in every table (issue 7, "Round trip").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use gongkai_calendar::Calendar;
use gongkai_store::Store;

fn gongkai(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("GONGKAI_DATABASE_URL")
        .output()
        .expect("run gongkai")
}

/// `gongkai report build` of the demo 街道's 2023 report in `format` into `<dir>/2023.<format>`.
fn build(dir: &Path, format: &str) -> (Output, std::path::PathBuf) {
    let path = dir.join(format!("2023.{format}"));
    let o = gongkai(
        dir,
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            "2023",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ],
    );
    (o, path)
}

/// The tables `gongkai audit --format json` reads out of `path`.
fn audited_tables(dir: &Path, path: &Path) -> serde_json::Value {
    let o = gongkai(dir, &["audit", "--format", "json", path.to_str().unwrap()]);
    // A PDF is read through poppler's pdftotext (apt-get install poppler-utils).
    let audited: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    // One report: its object (several: an array of them).
    let report = if audited.is_array() {
        audited[0].clone()
    } else {
        audited
    };
    report["tables"].clone()
}

#[test]
fn the_demo_subdistricts_2023_report_builds_with_the_published_tables() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("gongkai.db").display()
        );
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        gongkai_web::demo::seed(&store).await.unwrap();
        gongkai_web::demo::seed_items(&store, &Calendar::official(), store.today())
            .await
            .unwrap();
        store.close().await;
    });
    let out_file = dir.path().join("2023.json");
    let o = gongkai(
        dir.path(),
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            "2023",
            "--format",
            "json",
            "-o",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let built: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/xinhua-ximarket-2023.truth.json"
        ))
        .unwrap(),
    )
    .unwrap();
    for table in ["table2", "table3", "table4"] {
        assert_eq!(built[table], truth[table], "{table}");
    }
    assert_eq!(built["year"], 2023);
    assert_eq!(built["organ"], gongkai_web::demo::SUBDISTRICT);

    let o = gongkai(
        dir.path(),
        &[
            "report",
            "build",
            "--organ",
            "不存在的机关",
            "--year",
            "2023",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("找不到机关"));
    let o = gongkai(
        dir.path(),
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            "1999",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("不在 2008—2100 之间"));
    // Excel: the three tables as sheets.
    let (o, xlsx) = build(dir.path(), "xlsx");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    // Word: `gongkai audit` reads it back to the same tables.
    let (o, docx) = build(dir.path(), "docx");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tables = audited_tables(dir.path(), &docx);
    for table in ["table2", "table3", "table4"] {
        assert_eq!(
            tables[table], truth[table],
            "{table} read back from the docx"
        );
    }

    // HTML: the same as Word.
    let (o, html) = build(dir.path(), "html");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = serde_json::json!({ "tables": audited_tables(dir.path(), &html) });
    for table in ["table2", "table3", "table4"] {
        assert_eq!(
            report["tables"][table], truth[table],
            "{table} read back from the html"
        );
    }

    // PDF, when this machine has a Chinese font (CI installs one and requires it): the same.
    let Some(pdf) = build_pdf(dir.path(), 2023) else {
        return;
    };
    let tables = audited_tables(dir.path(), &pdf);
    for table in ["table2", "table3", "table4"] {
        assert_eq!(
            tables[table], truth[table],
            "{table} read back from the pdf"
        );
    }
}

/// `gongkai report build --format pdf` of the demo 街道's report for `year` into
/// `<dir>/<year>.pdf`; `None` (the check is skipped) when this machine has no Chinese font,
/// unless GONGKAI_REQUIRE_CJK_FONTS is set (CI installs the fonts and requires them).
fn build_pdf(dir: &Path, year: i32) -> Option<std::path::PathBuf> {
    let path = dir.join(format!("{year}.pdf"));
    let year = year.to_string();
    let o = gongkai(
        dir,
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            &year,
            "--format",
            "pdf",
            "-o",
            path.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    if !o.status.success() && stderr.contains("fonts-noto-cjk") {
        assert!(
            std::env::var_os("GONGKAI_REQUIRE_CJK_FONTS").is_none(),
            "{stderr}"
        );
        eprintln!(
            "skipping the PDF check: no CJK font on this machine (apt-get install fonts-noto-cjk)"
        );
        return None;
    }
    assert!(o.status.success(), "{stderr}");
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"));
    Some(path)
}

/// Records of the demo 街道 that put figures into every table of its 2025 report: a normative
/// document (table 二), applications of several applicant types and outcomes — among them the
/// two rows of table 三 with the longest labels, （六）1 and （六）2 — one carried over from
/// 2024 and one still open (table 三), and 复议 and 诉讼 cases in all three blocks (table 四).
async fn seed_figures_for_2025(store: &Store) {
    use gongkai_law::{
        ApplicantType, Art20Item, ChallengeKind, ChallengeResult, Channel, ClockEvent, Genre,
        Outcome, ProvisionForm, PublicationChannel, Validity,
    };
    let calendar = Calendar::official();
    let actor = gongkai_store::Actor::system();
    let organ = store
        .organs()
        .resolve(gongkai_web::demo::SUBDISTRICT)
        .await
        .unwrap();
    let d = |s: &str| -> chrono::NaiveDate { s.parse().unwrap() };

    let document = |title: &str, formed_on: &str| gongkai_store::ImportedItem {
        content: gongkai_store::ItemContent {
            department_id: None,
            title: title.to_owned(),
            summary: "内容概述".to_owned(),
            body_html: "<p>正文</p>".to_owned(),
            body_text: "正文".to_owned(),
            genre: Genre::NormativeDocument,
            topic: "综合政务\\政务公开".to_owned(),
            domain: None,
            art20_item: Art20Item::new(1),
            doc_no: Some(format!("西市场办发〔2025〕{}号", title.len())),
            keywords: String::new(),
            formed_on: d(formed_on),
            validity: Some(Validity::Valid),
            interprets_item_id: None,
            channels: vec![PublicationChannel::Column],
        },
        published_on: d(formed_on) + chrono::Duration::days(3),
        index_no: None,
    };
    store
        .items()
        .import(
            &actor,
            organ.id,
            &[
                document("关于规范街道物业管理的通知", "2025-03-10"),
                document("关于加强辖区环境卫生管理的通知", "2025-06-02"),
            ],
            "测试数据",
            &calendar,
        )
        .await
        .unwrap();

    let replied = |on: &str, outcome: Outcome| ClockEvent::Replied { on: d(on), outcome };
    // (received on, applicant, the events after receipt: the last one the reply, if any).
    let applications: Vec<(&str, ApplicantType, Vec<ClockEvent>)> = vec![
        (
            "2024-12-20",
            ApplicantType::NaturalPerson,
            vec![replied("2025-01-10", Outcome::Granted)],
        ),
        (
            "2025-03-03",
            ApplicantType::NaturalPerson,
            vec![replied("2025-03-20", Outcome::Granted)],
        ),
        (
            "2025-04-07",
            ApplicantType::CommercialEnterprise,
            vec![replied("2025-04-25", Outcome::PartiallyGranted)],
        ),
        (
            "2025-05-06",
            ApplicantType::NaturalPerson,
            vec![replied("2025-05-20", Outcome::UnableNotHeld)],
        ),
        (
            "2025-06-03",
            ApplicantType::LegalServiceOrg,
            vec![replied("2025-06-18", Outcome::NotProcessedRepeated)],
        ),
        (
            "2025-07-01",
            ApplicantType::NaturalPerson,
            vec![
                ClockEvent::CorrectionNotice {
                    on: d("2025-07-03"),
                    period_working_days: 10,
                },
                replied("2025-08-20", Outcome::OtherOverdueCorrection),
            ],
        ),
        (
            "2025-08-04",
            ApplicantType::ResearchInstitution,
            vec![
                ClockEvent::FeeNotice {
                    on: d("2025-08-06"),
                    amount: gongkai_law::Money::from_fen(10_000),
                },
                replied("2025-10-20", Outcome::OtherOverdueFee),
            ],
        ),
        (
            "2025-09-01",
            ApplicantType::NaturalPerson,
            vec![replied("2025-09-15", Outcome::DeniedThirdPartyRights)],
        ),
        ("2025-12-22", ApplicantType::NaturalPerson, vec![]),
    ];
    for (i, (received_on, kind, events)) in applications.into_iter().enumerate() {
        let org = kind.is_organisation();
        let new = gongkai_store::NewApplication {
            applicant_type: kind,
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
            received_on: d(received_on),
        };
        let (mut app, _) = store
            .applications()
            .create(&actor, organ.id, &new, &calendar)
            .await
            .unwrap();
        for event in events {
            (app, _) = store
                .applications()
                .record_event(&actor, app.id, event, app.version, &calendar)
                .await
                .unwrap();
        }
    }

    let cases = [
        (
            ChallengeKind::Reconsideration,
            "西复〔2025〕1号",
            ChallengeResult::Upheld,
            Some("2025-06-30"),
        ),
        (
            ChallengeKind::Reconsideration,
            "西复〔2025〕2号",
            ChallengeResult::Corrected,
            Some("2025-08-15"),
        ),
        (
            ChallengeKind::Reconsideration,
            "西复〔2025〕3号",
            ChallengeResult::Pending,
            None,
        ),
        (
            ChallengeKind::LitigationDirect,
            "（2025）冀0105行初1号",
            ChallengeResult::Other,
            Some("2025-10-20"),
        ),
        (
            ChallengeKind::LitigationAfterReconsideration,
            "（2025）冀0105行初2号",
            ChallengeResult::Upheld,
            Some("2025-11-28"),
        ),
    ];
    for (kind, case_no, result, decided_on) in cases {
        store
            .challenges()
            .create(
                &actor,
                organ.id,
                &gongkai_store::ChallengeInput {
                    application_id: None,
                    follows_id: None,
                    kind,
                    case_no: case_no.to_owned(),
                    authority: if kind.is_litigation() {
                        "新华区人民法院".to_owned()
                    } else {
                        "新华区人民政府".to_owned()
                    },
                    claimant_name: "申请人".to_owned(),
                    filed_on: d("2025-05-12"),
                    result,
                    decided_on: decided_on.map(d),
                    co_defendant_reviewer: false,
                    notes: String::new(),
                },
            )
            .await
            .unwrap();
    }
}

/// Round trip of the PDF (issue 7): a report with figures in every table, built as PDF by
/// `gongkai report build` and read back by `gongkai audit` through pdftotext, gives exactly the
/// tables that were built — table 三's labels that wrap over several lines and table 四's stacked
/// header included.
#[test]
fn the_pdf_of_a_report_with_figures_in_every_table_reads_back_to_the_built_tables() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("gongkai.db").display()
        );
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        gongkai_web::demo::seed(&store).await.unwrap();
        seed_figures_for_2025(&store).await;
        store.close().await;
    });
    let out_file = dir.path().join("2025.json");
    let o = gongkai(
        dir.path(),
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            "2025",
            "--format",
            "json",
            "-o",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let built: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    // The premise: figures, not zeros, in every table and in the long-labelled rows.
    assert_eq!(built["table2"]["normative_documents"]["issued"], 2);
    assert_eq!(built["table3"]["new_received"]["total"], 8);
    assert_eq!(built["table3"]["carried_over"]["total"], 1);
    assert_eq!(built["table3"]["other_overdue_correction"]["total"], 1);
    assert_eq!(
        built["table3"]["other_overdue_fee"]["research_institution"],
        1
    );
    assert_eq!(built["table3"]["carried_forward"]["total"], 1);
    assert_eq!(built["table4"]["reconsideration"]["total"], 3);
    assert_eq!(built["table4"]["litigation_direct"]["other"], 1);
    assert_eq!(
        built["table4"]["litigation_after_reconsideration"]["upheld"],
        1
    );

    let Some(pdf) = build_pdf(dir.path(), 2025) else {
        return;
    };
    let tables = audited_tables(dir.path(), &pdf);
    for table in ["table2", "table3", "table4"] {
        assert_eq!(
            tables[table], built[table],
            "{table} read back from the pdf"
        );
    }
    // The title, wrapped over two lines in the PDF, still gives the organ and the year.
    assert_eq!(tables["year"], 2025);
    assert_eq!(tables["organ"], gongkai_web::demo::SUBDISTRICT);
}
