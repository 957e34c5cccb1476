#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Many organs at once (issue 7): the batched build gives every organ exactly the report the
//! one-organ build gives — same cells with the same record ids, findings and facts — with cases of
//! every kind spread over a district tree and an organ outside it; and the district aggregate is
//! the sum of its organs. On SQLite and, when `GONGKAI_TEST_DATABASE_URL` is set, PostgreSQL.

#[path = "../../store/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::{TestDb, credit_code, each_backend};
use gongkai_annual::many::{build_district, build_reports, subordinates};
use gongkai_annual::{AnnualError, build_report};
use gongkai_calendar::Calendar;
use gongkai_law::{
    ApplicantType, Art20Item, ChallengeKind, ChallengeResult, Channel, ClockEvent, Genre, Outcome,
    ProvisionForm, PublicationChannel, ResidentIdNumber, Validity,
};
use gongkai_report::build::OtherFigures;
use gongkai_report::{CellValue, Table2, Table3Column, Table3Row};
use gongkai_store::{
    ChallengeInput, EditorialRights, ImportedItem, ItemContent, NewApplication, NewOrgan, Organ,
    OrganContact, OrganKind,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// An organ with a credit code (its 索引号 are made from it).
async fn organ(db: &TestDb, name: &str, parent: Option<&Organ>) -> Organ {
    let n = db.store.organs().list().await.unwrap().len();
    db.store
        .organs()
        .create(
            &db.admin(),
            &NewOrgan {
                parent_id: parent.map(|p| p.id),
                name: name.to_owned(),
                credit_code: Some(credit_code(&format!("11110105MB{n:07}"))),
                kind: OrganKind::Department,
                contact: OrganContact::default(),
            },
        )
        .await
        .unwrap()
}

/// What happens to an application after it is received.
#[derive(Clone, Copy)]
enum Fate {
    Open,
    Replied(&'static str, Outcome),
    Withdrawn(&'static str),
    /// A 补正告知 whose period lapsed: closed by the clock, never filed (no cached `closed_on`).
    CorrectionLapsed(&'static str),
}

const FATES: [(&str, Fate); 9] = [
    ("2025-03-03", Fate::Replied("2025-03-20", Outcome::Granted)),
    (
        "2025-12-22",
        Fate::Replied("2026-01-09", Outcome::PartiallyGranted),
    ),
    ("2025-12-29", Fate::Open),
    (
        "2026-02-02",
        Fate::Replied("2026-02-10", Outcome::UnableNotHeld),
    ),
    (
        "2026-03-02",
        Fate::Replied("2026-03-05", Outcome::NotProcessedRepeated),
    ),
    ("2026-04-01", Fate::Withdrawn("2026-04-03")),
    ("2026-05-06", Fate::CorrectionLapsed("2026-05-07")),
    (
        "2026-06-01",
        Fate::Replied("2026-06-15", Outcome::DeniedStateSecret),
    ),
    ("2026-11-02", Fate::Open),
];

async fn application(db: &TestDb, organ_id: i64, n: usize, received: &str, fate: Fate) {
    let cal = Calendar::official();
    let applicant = ApplicantType::ALL[n % ApplicantType::ALL.len()];
    let (id_kind, id_number) = if applicant.is_organisation() {
        (
            "credit_code".to_owned(),
            credit_code(&format!("91110105MA{n:07}")).to_string(),
        )
    } else {
        let body = format!("11010519491231{:03}", n % 1_000);
        let check = ResidentIdNumber::check_char_for(&body).unwrap();
        ("resident_id".to_owned(), format!("{body}{check}"))
    };
    let new = NewApplication {
        applicant_type: applicant,
        applicant_name: format!("申请人{n}"),
        id_kind,
        id_number,
        phone: "13812345678".to_owned(),
        email: String::new(),
        address: String::new(),
        description: format!("第{n}项政府信息"),
        provision_form: ProvisionForm::Electronic,
        delivery: String::new(),
        channel: Channel::InPerson,
        received_on: d(received),
    };
    let apps = db.store.applications();
    let (app, _) = apps
        .create(&db.admin(), organ_id, &new, &cal)
        .await
        .unwrap();
    let event = match fate {
        Fate::Open => return,
        Fate::Replied(on, outcome) => ClockEvent::Replied { on: d(on), outcome },
        Fate::Withdrawn(on) => ClockEvent::Withdrawn { on: d(on) },
        Fate::CorrectionLapsed(on) => ClockEvent::CorrectionNotice {
            on: d(on),
            period_working_days: 10,
        },
    };
    apps.record_event(&db.admin(), app.id, event, app.version, &cal)
        .await
        .unwrap();
}

fn document(organ: usize, k: usize, genre: Genre, formed: &str) -> ImportedItem {
    ImportedItem {
        content: ItemContent {
            department_id: None,
            title: format!("机关{organ}的第{k}号文件"),
            summary: "内容概述".to_owned(),
            body_html: "<p>正文</p>".to_owned(),
            body_text: "正文".to_owned(),
            genre,
            topic: "综合政务\\政务公开".to_owned(),
            domain: None,
            art20_item: Art20Item::new(1),
            doc_no: genre
                .is_document()
                .then(|| format!("某文〔2026〕{organ}{k}号")),
            keywords: String::new(),
            formed_on: d(formed),
            validity: genre.is_document().then_some(Validity::Valid),
            interprets_item_id: None,
            channels: if k.is_multiple_of(2) {
                vec![PublicationChannel::Column]
            } else {
                vec![PublicationChannel::Column, PublicationChannel::Portal]
            },
        },
        published_on: d(formed) + chrono::Duration::days(3),
        index_no: None,
    }
}

/// Records of organ number `i` (0-based): more of everything the higher `i`, so that a mix-up
/// between organs changes the figures.
async fn records(db: &TestDb, organ_id: i64, i: usize) {
    let cal = Calendar::official();
    for (k, (received, fate)) in FATES.iter().enumerate().take(3 + 2 * i) {
        application(db, organ_id, i * 100 + k, received, *fate).await;
    }
    let genres = [
        Genre::NormativeDocument,
        Genre::Regulation,
        Genre::WorkUpdate,
        Genre::NormativeDocument,
    ];
    let items: Vec<ImportedItem> = genres
        .iter()
        .enumerate()
        .take(1 + i)
        .map(|(k, g)| document(i, k, *g, if k == 1 { "2025-06-02" } else { "2026-03-02" }))
        .collect();
    let ids = db
        .store
        .items()
        .import(&db.admin(), organ_id, &items, "测试", &cal)
        .await
        .unwrap();
    if i >= 3 {
        // The fourth document is repealed in the year.
        db.store
            .items()
            .change_validity(
                &db.admin(),
                ids[3],
                EditorialRights {
                    can_write: true,
                    can_review: true,
                },
                Validity::Repealed,
                d("2026-09-01"),
                "已被新文件替代",
            )
            .await
            .unwrap();
    }
    for k in 0..i {
        let (result, decided_on) = if k.is_multiple_of(2) {
            (ChallengeResult::Upheld, Some(d("2026-08-01")))
        } else {
            (ChallengeResult::Pending, None)
        };
        db.store
            .challenges()
            .create(
                &db.admin(),
                organ_id,
                &ChallengeInput {
                    application_id: None,
                    follows_id: None,
                    kind: if k == 2 {
                        ChallengeKind::LitigationDirect
                    } else {
                        ChallengeKind::Reconsideration
                    },
                    case_no: format!("（2026）某行复字第{i}{k}号"),
                    authority: "某区人民政府".to_owned(),
                    claimant_name: "李四光".to_owned(),
                    filed_on: d("2026-05-11"),
                    result,
                    decided_on,
                    co_defendant_reviewer: false,
                    notes: String::new(),
                },
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_batched_build_gives_each_organ_its_own_report() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        // A district: the government, two 局 under it, a 街道 under the first 局; and an organ
        // outside the district.
        let top = organ(&db, "某区人民政府", None).await;
        let bureau = organ(&db, "某区教育局", Some(&top)).await;
        let other_bureau = organ(&db, "某区民政局", Some(&top)).await;
        let street = organ(&db, "某街道办事处", Some(&bureau)).await;
        let outside = organ(&db, "另一区人民政府", None).await;
        let organs = [&top, &bureau, &other_bureau, &street, &outside];
        for (i, organ) in organs.iter().enumerate() {
            records(&db, organ.id, i).await;
        }

        let figures: BTreeMap<i64, OtherFigures> = organs
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let figures = OtherFigures {
                    licensing: i64::try_from(i).unwrap() * 10,
                    penalty: 1,
                    coercion: 0,
                    fees_wan_yuan: format!("{i}.05"),
                };
                (o.id, figures)
            })
            .collect();
        let ids: Vec<i64> = organs.iter().map(|o| o.id).collect();
        for year in [2025, 2026] {
            let batch = build_reports(&db.store, &cal, &ids, year, &figures)
                .await
                .unwrap();
            assert_eq!(batch.len(), organs.len());
            for (organ, built) in organs.iter().zip(&batch) {
                let alone = build_report(&db.store, &cal, organ.id, year, &figures[&organ.id])
                    .await
                    .unwrap();
                assert_eq!(built, &alone, "{} {year}", organ.name);
            }
            // Records of several kinds made it in, and differ between organs.
            let new_received: Vec<_> = batch
                .iter()
                .map(|r| {
                    r.tables.table3.as_ref().unwrap()[&Table3Row::NewReceived]
                        .get(Table3Column::Total)
                        .clone()
                })
                .collect();
            if year == 2026 {
                assert_eq!(
                    new_received,
                    [0, 2, 4, 6, 6].map(CellValue::Number).to_vec()
                );
                assert!(batch[4].facts.published_items > batch[0].facts.published_items);
                let t4 = batch[4].tables.table4.as_ref().unwrap();
                assert_eq!(t4.reconsideration.total, CellValue::Number(3));
            }
        }

        // Order given, each organ once; an id that is no organ is named.
        let twice = build_reports(
            &db.store,
            &cal,
            &[street.id, top.id, street.id],
            2026,
            &figures,
        )
        .await
        .unwrap();
        assert_eq!(twice.len(), 2);
        assert_eq!(twice[0].tables.organ.as_deref(), Some("某街道办事处"));
        let err = build_reports(&db.store, &cal, &[top.id, 9_999], 2026, &figures)
            .await
            .unwrap_err();
        assert!(matches!(err, AnnualError::UnknownOrgan(9_999)), "{err}");
        // No organs, no reports.
        assert!(
            build_reports(&db.store, &cal, &[], 2026, &figures)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn the_district_aggregate_sums_the_organ_and_all_organs_below_it() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let top = organ(&db, "某区人民政府", None).await;
        let bureau = organ(&db, "某区教育局", Some(&top)).await;
        let street = organ(&db, "某街道办事处", Some(&bureau)).await;
        let outside = organ(&db, "另一区人民政府", None).await;
        for (i, organ) in [&top, &bureau, &street, &outside].iter().enumerate() {
            records(&db, organ.id, i + 1).await;
        }
        let below: Vec<i64> = subordinates(&db.store, top.id)
            .await
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(below, vec![top.id, bureau.id, street.id]);
        assert!(matches!(
            subordinates(&db.store, 9_999).await.unwrap_err(),
            AnnualError::UnknownOrgan(9_999)
        ));

        let figures = BTreeMap::from([
            (
                top.id,
                OtherFigures {
                    licensing: 3,
                    fees_wan_yuan: "0.1".to_owned(),
                    ..OtherFigures::default()
                },
            ),
            (
                street.id,
                OtherFigures {
                    licensing: 4,
                    fees_wan_yuan: "0.2".to_owned(),
                    ..OtherFigures::default()
                },
            ),
        ]);
        let district = build_district(&db.store, &cal, top.id, 2026, &figures)
            .await
            .unwrap();
        assert_eq!(district.organs.len(), 3);
        assert!(district.total.unsummed.is_empty());
        assert_eq!(district.total.tables.organ.as_deref(), Some("某区人民政府"));
        let total = |r: &gongkai_report::ReportTables, row| {
            r.table3.as_ref().unwrap()[&row]
                .get(Table3Column::Total)
                .number()
                .unwrap()
        };
        for row in [
            Table3Row::NewReceived,
            Table3Row::CarriedOver,
            Table3Row::TotalProcessed,
            Table3Row::CarriedForward,
        ] {
            let parts: i64 = district.organs.iter().map(|r| total(&r.tables, row)).sum();
            assert_eq!(total(&district.total.tables, row), parts, "{row:?}");
        }
        let Some(Table2::F2021(t2)) = &district.total.tables.table2 else {
            panic!("table 二")
        };
        assert_eq!(t2.licensing, CellValue::Number(7));
        // 0.1 + 0.2 exactly, and the 局 without figures counts "0".
        assert_eq!(t2.fees_wan_yuan, CellValue::Text("0.3".to_owned()));
    })
    .await;
}
