//! A generated district for the issue-7 benchmark (benches/annual_report.rs): one 区政府 with the rest of the organs below it
//! (局 under the government, 街道 under some 局), applications over two report years with a
//! realistic mix of applicant types, outcomes and steps (corrections, extensions, withdrawals,
//! cases carried over from the year before and into the next), published documents and
//! 复议/诉讼 cases.
//!
//! Organs, items and challenges are written by the store's own functions (in large transactions,
//! audited as the store audits them). The applications — a million of them — are written by bulk
//! `INSERT`s, with the cached columns computed by the law crate exactly as the store computes them
//! (`applications/write.rs`: the clock evaluated on the store's today, `closed_on` only after a
//! closing event); `tests/generator.rs` of this crate holds these rows against rows written through
//! `store.applications()` for every kind of timeline generated. What the bulk path does not write
//! is one audit entry per step (nothing in a report reads the audit log).
// Benchmark data, never fed by a user: a generator that cannot write its data has nothing better
// to do than stop with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, Utc};
use gongkai_calendar::Calendar;
use gongkai_law::{
    ApplicantType, Art20Item, ChallengeKind, ChallengeResult, Channel, ClockEvent, CreditCode,
    Genre, Outcome, ProvisionForm, PublicationChannel, ResidentIdNumber, Validity,
};
use gongkai_store::{
    Actor, Backend, ChallengeInput, EditorialRights, ImportedItem, ItemContent, NewOrgan,
    OrganContact, OrganKind, Store,
};
use sqlx::AssertSqlSafe;

/// How big a district to generate.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub organs: usize,
    pub applications: usize,
    pub items_per_organ: usize,
    pub challenges_per_organ: usize,
}

impl Shape {
    /// The issue-7 target: 1,000 organs, 1,000,000 applications.
    pub const ISSUE_7: Shape = Shape {
        organs: 1_000,
        applications: 1_000_000,
        items_per_organ: 20,
        challenges_per_organ: 4,
    };
}

/// The report year the benchmark builds (the second of the two generated years).
pub const YEAR: i32 = 2025;

/// The store's today while generating and building: mid-January after the report year, when
/// reports are written (and inside the official calendar's years, which end with 2026).
pub fn today() -> DateTime<Utc> {
    "2026-01-15T02:00:00Z".parse().unwrap()
}

/// The generated district: the government at the top and every organ, by id.
#[derive(Debug, Clone)]
pub struct District {
    pub top: i64,
    pub organs: Vec<i64>,
}

/// A small deterministic generator (64-bit LCG): the same district every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }

    fn pick<T: Copy>(&mut self, weighted: &[(u64, T)]) -> T {
        let total: u64 = weighted.iter().map(|(w, _)| w).sum();
        let mut at = self.below(total);
        for (w, value) in weighted {
            if at < *w {
                return *value;
            }
            at -= w;
        }
        weighted[0].1
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Writes a district of `shape` into an empty, migrated store whose clock stands at [`today`].
pub async fn generate(store: &Store, calendar: &Calendar, shape: Shape) -> District {
    let district = organs(store, shape.organs).await;
    items(store, calendar, &district, shape.items_per_organ).await;
    applications(store, calendar, &district, shape.applications).await;
    challenges(store, &district, shape.challenges_per_organ).await;
    district
}

async fn organs(store: &Store, n: usize) -> District {
    let actor = Actor::system();
    let mut tx = store.begin(&actor).await.unwrap();
    // A credit code each: the 索引号 of an organ's items are made from it.
    let new = |parent_id, name: String, kind, n: usize| NewOrgan {
        parent_id,
        name,
        credit_code: Some({
            let body = format!("11110105MB{n:07}");
            let check = gongkai_store::CreditCode::check_char_for(&body).unwrap();
            gongkai_store::CreditCode::parse(&format!("{body}{check}")).unwrap()
        }),
        kind,
        contact: OrganContact::default(),
    };
    let top = gongkai_store::organs::create(
        &mut tx,
        &new(None, "某区人民政府".to_owned(), OrganKind::Government, 0),
    )
    .await
    .unwrap();
    let mut ids = vec![top.id];
    // About a fifth 局 directly under the government, the rest 街道/社区 under one of them.
    let bureaus = (n / 5).max(1);
    for i in 1..n {
        let (parent, name, kind) = if i <= bureaus {
            (top.id, format!("某区第{i}局"), OrganKind::Department)
        } else {
            (
                ids[1 + (i % bureaus)],
                format!("某区第{i}街道办事处"),
                OrganKind::Subdistrict,
            )
        };
        let organ = gongkai_store::organs::create(&mut tx, &new(Some(parent), name, kind, i))
            .await
            .unwrap();
        ids.push(organ.id);
    }
    tx.commit().await.unwrap();
    District {
        top: top.id,
        organs: ids,
    }
}

async fn items(store: &Store, calendar: &Calendar, district: &District, per_organ: usize) {
    let actor = Actor::system();
    let mut rng = Rng::new(11);
    for (o, organ) in district.organs.iter().enumerate() {
        let mut batch = Vec::with_capacity(per_organ);
        for k in 0..per_organ {
            let genre = rng.pick(&[
                (2, Genre::Regulation),
                (5, Genre::NormativeDocument),
                (13, Genre::WorkUpdate),
            ]);
            let formed = d("2023-06-05") + Duration::days(i64::try_from(rng.below(900)).unwrap());
            let channels = if rng.below(3) == 0 {
                vec![PublicationChannel::Column, PublicationChannel::Portal]
            } else {
                vec![PublicationChannel::Column]
            };
            batch.push(ImportedItem {
                content: ItemContent {
                    department_id: None,
                    title: format!("第{o}机关第{k}号信息"),
                    summary: "内容概述".to_owned(),
                    body_html: "<p>正文</p>".to_owned(),
                    body_text: "正文".to_owned(),
                    genre,
                    topic: "综合政务\\政务公开".to_owned(),
                    domain: None,
                    art20_item: Art20Item::new(1),
                    doc_no: genre
                        .is_document()
                        .then(|| format!("某发〔{}〕{o}{k}号", formed.year())),
                    keywords: String::new(),
                    formed_on: formed,
                    validity: genre.is_document().then_some(Validity::Valid),
                    interprets_item_id: None,
                    channels,
                },
                published_on: formed + Duration::days(i64::try_from(rng.below(15)).unwrap()),
                index_no: None,
            });
        }
        let ids = store
            .items()
            .import(&actor, *organ, &batch, "生成的测试数据", calendar)
            .await
            .unwrap();
        // One document of the organ repealed in the report year.
        if let Some((id, _)) = ids.iter().zip(&batch).find(|(_, item)| {
            item.content.genre.is_document() && item.content.formed_on.year() < YEAR
        }) {
            store
                .items()
                .change_validity(
                    &actor,
                    *id,
                    EditorialRights {
                        can_write: true,
                        can_review: true,
                    },
                    Validity::Repealed,
                    d("2025-07-01"),
                    "已被新文件替代",
                )
                .await
                .unwrap();
        }
    }
}

async fn challenges(store: &Store, district: &District, per_organ: usize) {
    let actor = Actor::system();
    let mut rng = Rng::new(13);
    let mut tx = store.begin(&actor).await.unwrap();
    for (o, organ) in district.organs.iter().enumerate() {
        for k in 0..per_organ {
            let kind = rng.pick(&[
                (6, ChallengeKind::Reconsideration),
                (3, ChallengeKind::LitigationDirect),
                (1, ChallengeKind::LitigationAfterReconsideration),
            ]);
            let filed = d("2024-01-08") + Duration::days(i64::try_from(rng.below(700)).unwrap());
            let (result, decided_on) = match rng.below(4) {
                0 => (ChallengeResult::Pending, None),
                r => (
                    ChallengeResult::ALL[usize::try_from(r - 1).unwrap()],
                    Some(filed + Duration::days(60)),
                ),
            };
            let decided_on = decided_on.filter(|on| *on <= today().date_naive());
            let result = if decided_on.is_some() {
                result
            } else {
                ChallengeResult::Pending
            };
            gongkai_store::challenges::create(
                &mut tx,
                *organ,
                &ChallengeInput {
                    application_id: None,
                    follows_id: None,
                    kind,
                    case_no: format!("（{}）某行复字第{o}-{k}号", filed.year()),
                    authority: "某市人民政府".to_owned(),
                    claimant_name: "张三".to_owned(),
                    filed_on: filed,
                    result,
                    decided_on,
                    // Only possible after a reconsideration (行政诉讼法 Art 26 ¶2).
                    co_defendant_reviewer: kind == ChallengeKind::LitigationAfterReconsideration
                        && rng.below(3) == 0,
                    notes: String::new(),
                },
            )
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

/// One generated application: who applied, and its timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub applicant: ApplicantType,
    pub channel: Channel,
    pub provision_form: ProvisionForm,
    pub events: Vec<ClockEvent>,
}

/// Outcomes a reply gives, weighted roughly like published district reports (most granted or
/// not held; few denials).
const OUTCOMES: [(u64, Outcome); 14] = [
    (30, Outcome::Granted),
    (8, Outcome::AlreadyPublic),
    (10, Outcome::PartiallyGranted),
    (2, Outcome::DeniedStateSecret),
    (2, Outcome::DeniedThirdPartyRights),
    (3, Outcome::DeniedProcessInformation),
    (1, Outcome::DeniedEnforcementFile),
    (2, Outcome::DeniedAdministrativeQuery),
    (20, Outcome::UnableNotHeld),
    (4, Outcome::NotThisOrgan),
    (3, Outcome::UnableNeedsCreation),
    (5, Outcome::NotProcessedPetitionComplaint),
    (4, Outcome::NotProcessedRepeated),
    (2, Outcome::NotProcessedConfirmOrReissue),
];

/// The timeline of the `n`th application, checked by the law crate (a timeline it refuses would
/// be refused by the store too; none is expected, and it falls back to a plain reply).
pub fn case(rng: &mut Rng, calendar: &Calendar) -> Case {
    let today = today().date_naive();
    let applicant = rng.pick(&[
        (80, ApplicantType::NaturalPerson),
        (12, ApplicantType::CommercialEnterprise),
        (1, ApplicantType::ResearchInstitution),
        (1, ApplicantType::SocialWelfareOrg),
        (3, ApplicantType::LegalServiceOrg),
        (3, ApplicantType::OtherOrg),
    ]);
    let channel = rng.pick(&[
        (50, Channel::Online),
        (20, Channel::InPerson),
        (15, Channel::PostSigned),
        (5, Channel::Email),
        (10, Channel::PostOrdinary),
    ]);
    let provision_form = rng.pick(&[
        (60, ProvisionForm::Electronic),
        (30, ProvisionForm::Paper),
        (10, ProvisionForm::Email),
    ]);
    // Two report years (2024, 2025) and the last weeks of 2023 (carried over into 2024).
    let received = d("2023-12-01") + Duration::days(i64::try_from(rng.below(761)).unwrap());
    let received = received.min(today);
    let mut events = vec![ClockEvent::Received {
        on: received,
        channel,
    }];
    let mut at = received;
    let step = |rng: &mut Rng, at: NaiveDate, days: u64| {
        (at + Duration::days(1 + i64::try_from(rng.below(days)).unwrap())).min(today)
    };
    match rng.below(100) {
        // 补正 then the corrected application.
        0..=5 => {
            at = step(rng, at, 5);
            events.push(ClockEvent::CorrectionNotice {
                on: at,
                period_working_days: 15,
            });
            at = step(rng, at, 10);
            events.push(ClockEvent::CorrectedReceived { on: at });
        }
        // 补正 never answered: the case lapses (其他处理).
        6..=7 => {
            at = step(rng, at, 5);
            events.push(ClockEvent::CorrectionNotice {
                on: at,
                period_working_days: 15,
            });
            return checked(applicant, channel, provision_form, events, calendar);
        }
        // 延期.
        8..=14 => {
            at = step(rng, at, 15);
            events.push(ClockEvent::Extension {
                on: at,
                working_days: 20,
                approver: "办公室主任".to_owned(),
            });
        }
        // Withdrawn.
        15..=18 => {
            at = step(rng, at, 10);
            events.push(ClockEvent::Withdrawn { on: at });
            return checked(applicant, channel, provision_form, events, calendar);
        }
        _ => {}
    }
    let reply = step(rng, at, 18);
    // Cases received late in the last year are often still open at the end of it.
    if reply >= today || (received >= d("2025-12-01") && rng.below(2) == 0) {
        return checked(applicant, channel, provision_form, events, calendar);
    }
    events.push(ClockEvent::Replied {
        on: reply,
        outcome: rng.pick(&OUTCOMES),
    });
    checked(applicant, channel, provision_form, events, calendar)
}

fn checked(
    applicant: ApplicantType,
    channel: Channel,
    provision_form: ProvisionForm,
    mut events: Vec<ClockEvent>,
    calendar: &Calendar,
) -> Case {
    let today = today().date_naive();
    if gongkai_law::evaluate(&events, today, calendar).is_err() {
        events.truncate(1);
    }
    Case {
        applicant,
        channel,
        provision_form,
        events,
    }
}

/// The applicant's name and identity document of application number `n`.
pub fn identity(applicant: ApplicantType, n: usize) -> (String, &'static str, String) {
    if applicant.is_organisation() {
        let body = format!("91110105MA{:07}", n % 10_000_000);
        let check = CreditCode::check_char_for(&body).unwrap();
        (
            format!("某公司{n}"),
            "credit_code",
            format!("{body}{check}"),
        )
    } else {
        // Born 1960–1999 on the 1st–28th of a month, serial from n.
        let year = 1960 + n % 40;
        let month = 1 + (n / 40) % 12;
        let day = 1 + (n / 480) % 28;
        let body = format!("110105{year:04}{month:02}{day:02}{:03}", n % 1000);
        let check = ResidentIdNumber::check_char_for(&body).unwrap();
        (
            format!("申请人{n}"),
            "resident_id",
            format!("{body}{check}"),
        )
    }
}

/// The serde key of a law-crate enum, as the store writes it.
pub fn key<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::String(s) => s,
        other => panic!("{other}"),
    }
}

/// The row of `applications` and the rows of `application_events` the store writes for `case`
/// (its cached columns from the clock on the store's today, as `applications/write.rs` does).
pub struct Rows {
    pub state: String,
    pub due_on: Option<String>,
    pub closed_on: Option<String>,
    pub outcome: Option<String>,
    /// The table-三 row, cached with `closed_on` only.
    pub result_row: Option<String>,
    pub version: i64,
    /// (kind, payload_json, occurred_on) per event, in order.
    pub events: Vec<(String, String, String)>,
}

pub fn rows(case: &Case, calendar: &Calendar) -> Rows {
    let state = gongkai_law::evaluate(&case.events, today().date_naive(), calendar).unwrap();
    let last = case.events.last().unwrap();
    let closing = matches!(
        last,
        ClockEvent::Replied { .. } | ClockEvent::Withdrawn { .. }
    );
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let closed_on = if closing {
        state.closed_on.map(date)
    } else {
        None
    };
    Rows {
        state: key(&state.status),
        due_on: state.due_date.map(date),
        result_row: closed_on
            .as_ref()
            .and_then(|_| state.result_row.as_ref().map(key)),
        closed_on,
        outcome: state.outcome.as_ref().map(key),
        version: i64::try_from(case.events.len()).unwrap(),
        events: case
            .events
            .iter()
            .map(|e| {
                let payload = serde_json::to_value(e).unwrap();
                let kind = payload["kind"].as_str().unwrap_or_default().to_owned();
                (kind, payload.to_string(), date(e.on()))
            })
            .collect(),
    }
}

const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A tracking number unique per `n` (the store draws six random characters).
pub fn tracking_no(year: i32, n: usize) -> String {
    let mut code = String::new();
    let mut rest = n;
    for _ in 0..6 {
        code.push(char::from(ALPHABET[rest % 32]));
        rest /= 32;
    }
    format!("YSQ{year}{code}")
}

const APPLICATION_INSERT: &str = "INSERT INTO applications (id, organ_id, tracking_no, \
     secret_hash, applicant_type, applicant_name, id_kind, id_number, phone, email, address, \
     description, provision_form, delivery, channel, received_on, state, due_on, closed_on, \
     outcome, result_row, created_at, updated_at, version) VALUES ";
const APPLICATION_COLUMNS: usize = 24;
const EVENT_INSERT: &str = "INSERT INTO application_events (application_id, seq, kind, \
     payload_json, occurred_on, recorded_by, recorded_at, details_json) VALUES ";
const EVENT_COLUMNS: usize = 8;
/// Rows per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535 bound values.
const ROWS_PER_INSERT: usize = 1_000;

fn values_list(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `n` applications spread over the organs (the government and the 局 get more than a 街道),
/// written in transactions of 50,000.
pub async fn applications(store: &Store, calendar: &Calendar, district: &District, n: usize) {
    let mut rng = Rng::new(7);
    let now = today().to_rfc3339_opts(SecondsFormat::Micros, true);
    let pool = store.raw_pool();
    let first_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM applications")
        .fetch_one(pool)
        .await
        .unwrap();
    let organs = &district.organs;
    let bureaus = (organs.len() / 5).max(1);
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(50_000);
        let mut tx = pool.begin().await.unwrap();
        let mut apps: Vec<(i64, i64, Case, Rows)> = Vec::with_capacity(ROWS_PER_INSERT);
        for i in done..done + batch {
            // Weighted: the government and its 局 receive three times a 街道's share.
            let organ = if rng.below(2) == 0 {
                organs[usize::try_from(rng.below(u64::try_from(bureaus + 1).unwrap())).unwrap()]
            } else {
                organs[usize::try_from(rng.below(u64::try_from(organs.len()).unwrap())).unwrap()]
            };
            let c = case(&mut rng, calendar);
            let r = rows(&c, calendar);
            apps.push((first_id + i64::try_from(i).unwrap(), organ, c, r));
            if apps.len() == ROWS_PER_INSERT || i + 1 == done + batch {
                insert(&mut tx, &apps, &now).await;
                apps.clear();
            }
        }
        tx.commit().await.unwrap();
        done += batch;
    }
    resync_ids(store).await;
}

/// Writes `cases` of `organ` by the bulk path, with ids after the largest; returns the ids.
pub async fn write_cases(
    store: &Store,
    calendar: &Calendar,
    organ: i64,
    cases: &[Case],
) -> Vec<i64> {
    let now = today().to_rfc3339_opts(SecondsFormat::Micros, true);
    let pool = store.raw_pool();
    let first_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM applications")
        .fetch_one(pool)
        .await
        .unwrap();
    let apps: Vec<_> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                first_id + i64::try_from(i).unwrap(),
                organ,
                c.clone(),
                rows(c, calendar),
            )
        })
        .collect();
    let mut tx = pool.begin().await.unwrap();
    insert(&mut tx, &apps, &now).await;
    tx.commit().await.unwrap();
    resync_ids(store).await;
    apps.iter().map(|a| a.0).collect()
}

/// PostgreSQL's identity sequences after rows written with explicit ids.
async fn resync_ids(store: &Store) {
    if store.backend() == Backend::Postgres {
        for table in ["applications", "application_events"] {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT MAX(id) FROM {table}))"
            )))
            .execute(store.raw_pool())
            .await
            .unwrap();
        }
    }
}

/// The description the bulk path writes for application number `n`.
pub fn description(n: usize) -> String {
    format!("关于第{n}项政府信息的申请")
}

async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    apps: &[(i64, i64, Case, Rows)],
    now: &str,
) {
    let sql = format!(
        "{APPLICATION_INSERT}{}",
        values_list(apps.len(), APPLICATION_COLUMNS)
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for (id, organ, case, rows) in apps {
        let n = usize::try_from(*id).unwrap();
        let ClockEvent::Received { on, .. } = case.events[0] else {
            unreachable!()
        };
        let (name, id_kind, id_number) = identity(case.applicant, n);
        query = query
            .bind(*id)
            .bind(*organ)
            .bind(tracking_no(on.year(), n))
            .bind(format!(
                "{:064x}",
                u128::try_from(n).unwrap() * 0x9e37_79b9_7f4a_7c15
            ))
            .bind(key(&case.applicant))
            .bind(name)
            .bind(id_kind)
            .bind(id_number)
            .bind("13812345678")
            .bind("")
            .bind("")
            .bind(description(n))
            .bind(key(&case.provision_form))
            .bind("")
            .bind(key(&case.channel))
            .bind(on.format("%Y-%m-%d").to_string())
            .bind(rows.state.clone())
            .bind(rows.due_on.clone())
            .bind(rows.closed_on.clone())
            .bind(rows.outcome.clone())
            .bind(rows.result_row.clone())
            .bind(now.to_owned())
            .bind(now.to_owned())
            .bind(rows.version);
    }
    query.execute(&mut **tx).await.unwrap();

    let events: Vec<(i64, i64, &(String, String, String))> = apps
        .iter()
        .flat_map(|(id, _, _, rows)| {
            rows.events
                .iter()
                .enumerate()
                .map(move |(k, e)| (*id, i64::try_from(k + 1).unwrap(), e))
        })
        .collect();
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let sql = format!("{EVENT_INSERT}{}", values_list(chunk.len(), EVENT_COLUMNS));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for (id, seq, (kind, payload, on)) in chunk {
            query = query
                .bind(*id)
                .bind(*seq)
                .bind(kind.clone())
                .bind(payload.clone())
                .bind(on.clone())
                .bind(None::<i64>)
                .bind(now.to_owned())
                .bind("{}");
        }
        query.execute(&mut **tx).await.unwrap();
    }
}
