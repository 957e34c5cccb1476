//! The register of 行政复议 and 行政诉讼 cases (条例第五十一条) and its table-四 tally: validation
//! that writes nothing, audited writes, stale versions, masking in lists, and the tally against
//! counts made independently in the test — on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use common::{TestDb, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{
    ApplicantType, ChallengeKind, ChallengeResult, Channel, ProvisionForm, ResidentIdNumber,
};
use gongkai_store::{ChallengeFilter, ChallengeInput, NewApplication, StoreError};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn input(kind: ChallengeKind, case_no: &str, filed: &str) -> ChallengeInput {
    ChallengeInput {
        application_id: None,
        follows_id: None,
        kind,
        case_no: case_no.to_owned(),
        authority: "新华区人民政府".to_owned(),
        claimant_name: "李四光".to_owned(),
        filed_on: d(filed),
        result: ChallengeResult::Pending,
        decided_on: None,
        co_defendant_reviewer: false,
        notes: String::new(),
    }
}

async fn application(db: &TestDb, organ_id: i64) -> i64 {
    let body = "11010519491231002";
    let (app, _) = db
        .store
        .applications()
        .create(
            &db.admin(),
            organ_id,
            &NewApplication {
                applicant_type: ApplicantType::NaturalPerson,
                applicant_name: "李四光".to_owned(),
                id_kind: "resident_id".to_owned(),
                id_number: format!("{body}{}", ResidentIdNumber::check_char_for(body).unwrap()),
                phone: "13812345678".to_owned(),
                email: String::new(),
                address: String::new(),
                description: "某项目的批复文件".to_owned(),
                provision_form: ProvisionForm::Paper,
                delivery: String::new(),
                channel: Channel::InPerson,
                received_on: d("2026-11-02"),
            },
            &Calendar::official(),
        )
        .await
        .unwrap();
    app.id
}

fn rule_message(err: StoreError) -> String {
    match err {
        StoreError::Rule(m) => m,
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn register_then_record_the_decision_with_audit_and_version() {
    each_backend(|db| async move {
        let organ = db.organ("某区政府办公室", None).await;
        let app_id = application(&db, organ.id).await;
        let audit_before = db.count("audit_log").await;
        let mut new = input(ChallengeKind::Reconsideration, "（2026）新复字第3号", "2026-11-10");
        new.application_id = Some(app_id);
        let c = db
            .store
            .challenges()
            .create(&db.admin(), organ.id, &new)
            .await
            .unwrap();
        assert_eq!(c.result, ChallengeResult::Pending);
        assert_eq!(c.version, 1);
        assert_eq!(c.application_id, Some(app_id));

        let mut decided = new.clone();
        decided.result = ChallengeResult::Corrected;
        decided.decided_on = Some(d("2026-11-20"));
        let c2 = db
            .store
            .challenges()
            .update(&db.admin(), c.id, &decided, 1)
            .await
            .unwrap();
        assert_eq!(c2.result, ChallengeResult::Corrected);
        assert_eq!(c2.decided_on, Some(d("2026-11-20")));
        assert_eq!(c2.version, 2);
        // Two writes, two audit entries, and no claimant name in them.
        assert_eq!(db.count("audit_log").await, audit_before + 2);
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        let logged: Vec<String> = sqlx::query_scalar(
            "SELECT COALESCE(after_json, '') FROM audit_log WHERE entity = 'challenge' ORDER BY seq",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        assert_eq!(logged.len(), 2);
        assert!(logged.iter().all(|j| !j.contains("李四光")), "{logged:?}");
        assert!(logged[1].contains("corrected"), "{logged:?}");

        // An edit from a stale form is refused and writes nothing.
        let err = db
            .store
            .challenges()
            .update(&db.admin(), c.id, &new, 1)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::StaleVersion { current: 2 }), "{err:?}");
        assert_eq!(db.count("audit_log").await, audit_before + 2);
        let listed = db.store.challenges().for_application(app_id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].claimant_masked, "李**");
    })
    .await;
}

#[tokio::test]
async fn impossible_cases_are_refused_in_chinese_and_write_nothing() {
    each_backend(|db| async move {
        let organ = db.organ("甲局", None).await;
        let other = db.organ("乙局", None).await;
        let foreign_app = application(&db, other.id).await;
        let recon = db
            .store
            .challenges()
            .create(
                &db.admin(),
                other.id,
                &input(ChallengeKind::Reconsideration, "乙复1", "2026-03-01"),
            )
            .await
            .unwrap();
        let before = db.count("challenges").await;
        let audit_before = db.count("audit_log").await;
        let c = db.store.challenges();

        let mut bad = input(ChallengeKind::LitigationDirect, "甲诉1", "2026-05-10");
        bad.result = ChallengeResult::Upheld;
        bad.decided_on = Some(d("2026-05-09"));
        let m = rule_message(c.create(&db.admin(), organ.id, &bad).await.unwrap_err());
        assert!(m.contains("早于立案日期"), "{m}");

        bad.decided_on = None;
        let m = rule_message(c.create(&db.admin(), organ.id, &bad).await.unwrap_err());
        assert!(m.contains("须填写审结日期"), "{m}");

        let mut bad = input(ChallengeKind::Reconsideration, "甲复1", "2026-05-10");
        bad.application_id = Some(foreign_app);
        let m = rule_message(c.create(&db.admin(), organ.id, &bad).await.unwrap_err());
        assert!(m.contains("不是本机关的申请"), "{m}");

        let mut bad = input(
            ChallengeKind::LitigationAfterReconsideration,
            "甲诉2",
            "2026-05-10",
        );
        bad.follows_id = Some(recon.id);
        let m = rule_message(c.create(&db.admin(), organ.id, &bad).await.unwrap_err());
        assert!(m.contains("不是本机关登记的行政复议案件"), "{m}");

        let mut bad = input(ChallengeKind::LitigationDirect, "甲诉3", "2026-05-10");
        bad.co_defendant_reviewer = true;
        let m = rule_message(c.create(&db.admin(), organ.id, &bad).await.unwrap_err());
        assert!(m.contains("共同被告"), "{m}");

        let bad = input(ChallengeKind::LitigationDirect, "甲诉4", "2026-11-26");
        let m = rule_message(c.create(&db.admin(), organ.id, &bad).await.unwrap_err());
        assert!(m.contains("晚于今天"), "{m}");

        let blank = input(ChallengeKind::LitigationDirect, "  ", "2026-05-10");
        let err = c.create(&db.admin(), organ.id, &blank).await.unwrap_err();
        assert!(err.to_string().contains("案号不能为空"), "{err}");

        assert_eq!(db.count("challenges").await, before);
        assert_eq!(db.count("audit_log").await, audit_before);

        // The same 案号 twice in one organ and kind is refused; in another organ it is fine.
        let ok = input(ChallengeKind::Reconsideration, "共同案号", "2026-05-10");
        c.create(&db.admin(), organ.id, &ok).await.unwrap();
        let m = rule_message(c.create(&db.admin(), organ.id, &ok).await.unwrap_err());
        assert!(m.contains("已登记案号"), "{m}");
        c.create(&db.admin(), other.id, &ok).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn the_register_lists_by_year_and_kind_with_masked_names() {
    each_backend(|db| async move {
        let organ = db.organ("丙局", None).await;
        let c = db.store.challenges();
        for (kind, no, filed) in [
            (ChallengeKind::Reconsideration, "丙复1", "2025-04-01"),
            (ChallengeKind::LitigationDirect, "丙诉1", "2025-06-01"),
            (ChallengeKind::Reconsideration, "丙复2", "2026-02-01"),
        ] {
            c.create(&db.admin(), organ.id, &input(kind, no, filed))
                .await
                .unwrap();
        }
        let all = c.list(organ.id, ChallengeFilter::default()).await.unwrap();
        let order: Vec<&str> = all.iter().map(|s| s.case_no.as_str()).collect();
        assert_eq!(order, ["丙复2", "丙诉1", "丙复1"]);
        assert!(all.iter().all(|s| s.claimant_masked == "李**"));
        let y2025 = c
            .list(
                organ.id,
                ChallengeFilter {
                    year: Some(2025),
                    kind: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(y2025.len(), 2);
        let recon_2025 = c
            .list(
                organ.id,
                ChallengeFilter {
                    year: Some(2025),
                    kind: Some(ChallengeKind::Reconsideration),
                },
            )
            .await
            .unwrap();
        assert_eq!(recon_2025.len(), 1);
        assert_eq!(recon_2025[0].case_no, "丙复1");
    })
    .await;
}

/// The counting rule, written out again here (not the law crate's function): filed in `year`,
/// not as co-defendant 复议机关, column = result if decided by 31 December of `year`.
fn expected_cell(
    filed: NaiveDate,
    result: ChallengeResult,
    decided: Option<NaiveDate>,
    co_defendant: bool,
    year: i32,
) -> Option<&'static str> {
    if co_defendant || filed.year() != year {
        return None;
    }
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    match decided {
        Some(day) if day <= year_end => Some(result.key()),
        _ => Some("pending"),
    }
}

#[tokio::test]
async fn the_tally_matches_an_independent_count_with_its_drill_down() {
    each_backend(|db| async move {
        let organ = db.organ("丁局", None).await;
        let neighbour = db.organ("戊局", None).await;
        let c = db.store.challenges();
        let results = [
            ChallengeResult::Upheld,
            ChallengeResult::Corrected,
            ChallengeResult::Other,
            ChallengeResult::Pending,
        ];
        let kinds = ChallengeKind::ALL;
        // (kind, year) -> column -> ids, computed by the test's own rule.
        let mut expected: BTreeMap<(&str, i32), BTreeMap<&str, Vec<i64>>> = BTreeMap::new();
        let mut reconsiderations = Vec::new();
        // A spread of cases over 2024–2026 with every kind and result, some decided in the next
        // year, some where the organ is the co-defendant 复议机关 (a small LCG, fixed seed).
        let mut seed: u64 = 20_261_125;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        for i in 0..60 {
            let kind = kinds[usize::try_from(next(3)).unwrap()];
            let result = results[usize::try_from(next(4)).unwrap()];
            let year = 2024 + i32::try_from(next(3)).unwrap();
            let filed =
                NaiveDate::from_ymd_opt(year, 1 + u32::try_from(next(10)).unwrap(), 15).unwrap();
            let decided = result.is_decided().then(|| {
                let later = filed + chrono::Duration::days(i64::try_from(next(200)).unwrap());
                later.min(d("2026-11-25"))
            });
            let co_defendant =
                kind == ChallengeKind::LitigationAfterReconsideration && next(4) == 0;
            let mut new = input(kind, &format!("案{i}"), &filed.to_string());
            new.result = result;
            new.decided_on = decided;
            new.co_defendant_reviewer = co_defendant;
            if kind == ChallengeKind::LitigationAfterReconsideration {
                new.follows_id = reconsiderations.last().copied();
            }
            let case = c.create(&db.admin(), organ.id, &new).await.unwrap();
            if kind == ChallengeKind::Reconsideration {
                reconsiderations.push(case.id);
            }
            for y in 2024..=2026 {
                if let Some(col) = expected_cell(filed, result, decided, co_defendant, y) {
                    let cells = expected.entry((kind.key(), y)).or_default();
                    cells.entry(col).or_default().push(case.id);
                    cells.entry("total").or_default().push(case.id);
                }
            }
        }
        // Another organ's cases never leak into this organ's table.
        c.create(
            &db.admin(),
            neighbour.id,
            &input(ChallengeKind::Reconsideration, "邻1", "2025-05-05"),
        )
        .await
        .unwrap();

        let mut nonzero = 0;
        for year in 2024..=2026 {
            let tally = c.tally(organ.id, year).await.unwrap();
            assert_eq!(tally.year, year);
            for kind in kinds {
                let block = tally.block(kind);
                let want = expected
                    .get(&(kind.key(), year))
                    .cloned()
                    .unwrap_or_default();
                let cells = [
                    ("upheld", &block.upheld),
                    ("corrected", &block.corrected),
                    ("other", &block.other),
                    ("pending", &block.pending),
                    ("total", &block.total),
                ];
                for (key, cell) in cells {
                    let ids = want.get(key).cloned().unwrap_or_default();
                    assert_eq!(cell.ids, ids, "{year} {} {key}", kind.key());
                    assert_eq!(cell.count as usize, ids.len());
                    nonzero += usize::from(cell.count > 0);
                }
                // 30号 table 四 arithmetic: 总计 is the sum of the four columns.
                assert_eq!(
                    block.total.count,
                    block.upheld.count
                        + block.corrected.count
                        + block.other.count
                        + block.pending.count
                );
            }
        }
        // The spread really exercised the table (not a table of zeros).
        assert!(nonzero > 20, "{nonzero}");
        let n = c.tally(neighbour.id, 2025).await.unwrap();
        assert_eq!(n.reconsideration.pending.count, 1);
        assert_eq!(n.reconsideration.total.count, 1);
    })
    .await;
}

#[tokio::test]
async fn a_followed_reconsideration_keeps_its_kind() {
    each_backend(|db| async move {
        let organ = db.organ("己局", None).await;
        let c = db.store.challenges();
        let recon = c
            .create(
                &db.admin(),
                organ.id,
                &input(ChallengeKind::Reconsideration, "己复1", "2026-02-01"),
            )
            .await
            .unwrap();
        let mut suit = input(
            ChallengeKind::LitigationAfterReconsideration,
            "己诉1",
            "2026-05-01",
        );
        suit.follows_id = Some(recon.id);
        let suit = c.create(&db.admin(), organ.id, &suit).await.unwrap();
        assert_eq!(suit.follows_id, Some(recon.id));
        let changed = input(ChallengeKind::LitigationDirect, "己复1", "2026-02-01");
        let m = rule_message(
            c.update(&db.admin(), recon.id, &changed, 1)
                .await
                .unwrap_err(),
        );
        assert!(m.contains("不能改为其他类别"), "{m}");
        assert_eq!(c.get(recon.id).await.unwrap().unwrap().version, 1);
    })
    .await;
}

#[tokio::test]
async fn two_edits_from_the_same_version_one_wins() {
    each_backend(|db| async move {
        let organ = db.organ("庚局", None).await;
        let case = db
            .store
            .challenges()
            .create(
                &db.admin(),
                organ.id,
                &input(ChallengeKind::LitigationDirect, "庚诉1", "2026-03-01"),
            )
            .await
            .unwrap();
        let other = db.another_store().await;
        let mut upheld = input(ChallengeKind::LitigationDirect, "庚诉1", "2026-03-01");
        upheld.result = ChallengeResult::Upheld;
        upheld.decided_on = Some(d("2026-06-01"));
        let mut corrected = upheld.clone();
        corrected.result = ChallengeResult::Corrected;
        let admin = db.admin();
        let (first, second) = (db.store.challenges(), other.challenges());
        let (a, b) = tokio::join!(
            first.update(&admin, case.id, &upheld, 1),
            second.update(&admin, case.id, &corrected, 1),
        );
        let results = [a, b];
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        for r in &results {
            if let Err(e) = r {
                assert!(
                    matches!(e, StoreError::StaleVersion { current: 2 }),
                    "{e:?}"
                );
            }
        }
        let now = db.store.challenges().get(case.id).await.unwrap().unwrap();
        assert_eq!(now.version, 2);
        let winner = results.iter().find_map(|r| r.as_ref().ok()).unwrap();
        assert_eq!(now.result, winner.result);
    })
    .await;
}
