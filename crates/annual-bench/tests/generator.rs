#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The benchmark's generated district (this crate's library) is data the store itself would hold:
//! every kind of timeline the generator makes, written by its bulk path, has the same columns as
//! the same case written through `store.applications()`; and a generated district builds every
//! organ's report and the district aggregate without an error. On SQLite and, when
//! `GONGKAI_TEST_DATABASE_URL` is set, PostgreSQL.

#[path = "../../store/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;

use common::{TestDb, each_backend};
use gongkai_annual::many::{build_district, build_reports};
use gongkai_annual_bench as district;
use gongkai_annual_bench::{Case, Rng, Shape};
use gongkai_calendar::Calendar;
use gongkai_law::ClockEvent;
use gongkai_report::{Table3Column, Table3Row};
use gongkai_store::NewApplication;
use sqlx::Row;

/// What kind of timeline a case is: its event kinds in order.
fn signature(case: &Case) -> Vec<&'static str> {
    case.events.iter().map(ClockEvent::label).collect()
}

const APPLICATION: &str = "SELECT organ_id, applicant_type, applicant_name, id_kind, \
     id_number, phone, email, address, description, provision_form, delivery, channel, \
     received_on, state, due_on, closed_on, department_id, internal_due_on, outcome, result_row, \
     created_at, updated_at, version FROM applications WHERE id = $1";
const EVENTS: &str = "SELECT seq, kind, payload_json, occurred_on, recorded_by, recorded_at, \
     details_json FROM application_events WHERE application_id = $1 ORDER BY seq";

async fn row_text(db: &TestDb, sql: &'static str, id: i64) -> Vec<Vec<Option<String>>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(db.store.raw_pool())
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get::<Option<String>, _>(i)
                        .or_else(|_| {
                            row.try_get::<Option<i64>, _>(i)
                                .map(|n| n.map(|n| n.to_string()))
                        })
                        .unwrap()
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn bulk_written_applications_are_the_rows_the_store_writes() {
    each_backend(|db| async move {
        db.clock.set(district::today());
        let cal = Calendar::official();
        let organ = db.organ("某区人民政府", None).await;
        // One case of every kind of timeline the generator makes.
        let mut rng = Rng::new(7);
        let mut kinds: BTreeMap<Vec<&'static str>, Case> = BTreeMap::new();
        for _ in 0..5_000 {
            let case = district::case(&mut rng, &cal);
            kinds.entry(signature(&case)).or_insert(case);
        }
        assert!(kinds.len() >= 6, "{:?}", kinds.keys().collect::<Vec<_>>());
        let cases: Vec<Case> = kinds.into_values().collect();
        let bulk = district::write_cases(&db.store, &cal, organ.id, &cases).await;

        let actor = db.admin();
        for (case, bulk_id) in cases.iter().zip(&bulk) {
            let n = usize::try_from(*bulk_id).unwrap();
            let (name, id_kind, id_number) = district::identity(case.applicant, n);
            let ClockEvent::Received { on, channel } = case.events[0] else {
                panic!("a timeline starts with its receipt")
            };
            let apps = db.store.applications();
            let new = NewApplication {
                applicant_type: case.applicant,
                applicant_name: name,
                id_kind: id_kind.to_owned(),
                id_number,
                phone: "13812345678".to_owned(),
                email: String::new(),
                address: String::new(),
                description: district::description(n),
                provision_form: case.provision_form,
                delivery: String::new(),
                channel,
                received_on: on,
            };
            let (mut app, _) = apps.create(&actor, organ.id, &new, &cal).await.unwrap();
            for event in &case.events[1..] {
                app = apps
                    .record_event(&actor, app.id, event.clone(), app.version, &cal)
                    .await
                    .unwrap()
                    .0;
            }
            assert_eq!(
                row_text(&db, APPLICATION, app.id).await,
                row_text(&db, APPLICATION, *bulk_id).await,
                "{:?}",
                signature(case)
            );
            assert_eq!(
                row_text(&db, EVENTS, app.id).await,
                row_text(&db, EVENTS, *bulk_id).await,
                "{:?}",
                signature(case)
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_generated_district_builds_every_report_and_the_aggregate() {
    each_backend(|db| async move {
        db.clock.set(district::today());
        let cal = Calendar::official();
        let shape = Shape {
            organs: 12,
            applications: 3_000,
            items_per_organ: 6,
            challenges_per_organ: 2,
        };
        let generated = district::generate(&db.store, &cal, shape).await;
        assert_eq!(generated.organs.len(), 12);
        let aggregate = build_district(
            &db.store,
            &cal,
            generated.top,
            district::YEAR,
            &BTreeMap::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            aggregate.organs.len(),
            12,
            "every organ is below the government"
        );
        assert!(aggregate.total.unsummed.is_empty());
        let t3 = aggregate.total.tables.table3.as_ref().unwrap();
        let cell = |row| t3[&row].get(Table3Column::Total).number().unwrap();
        let received_in_year: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE received_on >= '2025-01-01' \
             AND received_on <= '2025-12-31'",
        )
        .fetch_one(db.store.raw_pool())
        .await
        .unwrap();
        assert_eq!(cell(Table3Row::NewReceived), received_in_year);
        // The mix the benchmark relies on: cases carried over and forward, and several outcomes.
        assert!(cell(Table3Row::CarriedOver) > 0);
        assert!(cell(Table3Row::CarriedForward) > 0);
        for row in [
            Table3Row::Granted,
            Table3Row::PartiallyGranted,
            Table3Row::UnableNotHeld,
            Table3Row::OtherOverdueCorrection,
        ] {
            assert!(cell(row) > 0, "{row:?}");
        }
        let t4 = aggregate.total.tables.table4.as_ref().unwrap();
        assert!(t4.reconsideration.total.number().unwrap() > 0);
        // The built reports pass the table-三 checks (the generator makes no impossible data).
        for report in &aggregate.organs {
            let failed: Vec<_> = report
                .findings
                .iter()
                .filter(|f| {
                    f.check.starts_with("T3") && f.severity == gongkai_report::Severity::Error
                })
                .collect();
            assert!(failed.is_empty(), "{failed:#?}");
        }
        // And the batch equals the one-organ build on generated data too.
        let some = [generated.top, generated.organs[5], generated.organs[11]];
        let batch = build_reports(&db.store, &cal, &some, district::YEAR, &BTreeMap::new())
            .await
            .unwrap();
        for (id, built) in some.iter().zip(&batch) {
            let alone = gongkai_annual::build_report(
                &db.store,
                &cal,
                *id,
                district::YEAR,
                &Default::default(),
            )
            .await
            .unwrap();
            assert_eq!(built, &alone);
        }
    })
    .await;
}
