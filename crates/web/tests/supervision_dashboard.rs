#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The supervision dashboard (监督保障看板, issue 8) over real HTTP: a district's 监督员 sees one
//! row per organ of the district; every figure equals the count this test computes from the
//! records it created (with the law crate's clock for the reply rules), every drill-down lists
//! exactly the records it counts, the CSV and Excel exports carry the page's rows, sorting changes
//! the order, weights change the scores, the ranking and the printed formula (and are audited);
//! supervisors of another district, and a 街道's officer, are kept out.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use chrono::NaiveDate;
use common::{Browser, TestApp, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{
    Art20Item, ChallengeKind, ChallengeResult, Channel, ClockEvent, Genre, Outcome,
    PublicationChannel, Validity,
};
use gongkai_store::{
    Actor, ChallengeInput, CreditCode, ImportedItem, ItemContent, NewApplication, NewOrgan,
    NewUser, OrganContact, OrganKind, Password, Role, RoleGrant, Store, Username,
};
use reqwest::StatusCode;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const TOPIC: &str = "综合政务\\政务公开";

fn code(n: u32) -> CreditCode {
    let body = format!("11410999MB00000{n:02}");
    let check = CreditCode::check_char_for(&body).unwrap();
    CreditCode::parse(&format!("{body}{check}")).unwrap()
}

async fn organ(store: &Store, parent: Option<i64>, name: &str, kind: OrganKind, n: u32) -> i64 {
    store
        .organs()
        .create(
            &Actor::system(),
            &NewOrgan {
                parent_id: parent,
                name: name.into(),
                credit_code: Some(code(n)),
                kind,
                contact: OrganContact::default(),
            },
        )
        .await
        .unwrap()
        .id
}

async fn user(store: &Store, name: &str, organ_id: i64, role: Role) -> i64 {
    let username = Username::parse(name).unwrap();
    let password = Password::new(&password_of(name), &username).unwrap();
    let actor = Actor::system();
    let u = store
        .users()
        .create(
            &actor,
            &NewUser {
                username,
                display_name: name.into(),
                password,
                organ_id,
            },
        )
        .await
        .unwrap();
    store
        .users()
        .grant_role(
            &actor,
            u.id,
            &RoleGrant {
                organ_id,
                role,
                department_id: None,
            },
        )
        .await
        .unwrap();
    u.id
}

/// A password that meets the policy and does not contain the user name.
fn password_of(name: &str) -> String {
    format!("Pw-{}-2026x", name.chars().rev().collect::<String>())
}

async fn login(app: &TestApp, name: &str) -> Browser {
    let mut b = app.browser();
    let r = b.login(name, &password_of(name)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {name}: {}", r.body);
    b
}

fn content(title: &str, genre: Genre, formed: &str, interprets: Option<i64>) -> ItemContent {
    ItemContent {
        department_id: None,
        title: title.to_owned(),
        summary: String::new(),
        body_html: format!("<p>{title}</p>"),
        body_text: title.to_owned(),
        genre,
        topic: TOPIC.to_owned(),
        domain: None,
        art20_item: Art20Item::new(1),
        doc_no: None,
        keywords: String::new(),
        formed_on: d(formed),
        validity: genre.is_document().then_some(Validity::Valid),
        interprets_item_id: interprets,
        channels: vec![PublicationChannel::Column],
    }
}

/// One item as the test knows it.
#[derive(Debug, Clone)]
struct ItemRec {
    id: i64,
    organ: i64,
    genre: Genre,
    published_on: NaiveDate,
    due_on: NaiveDate,
    interprets: Option<i64>,
}

/// One application with its whole timeline.
#[derive(Debug, Clone)]
struct AppRec {
    id: i64,
    organ: i64,
    events: Vec<ClockEvent>,
}

#[derive(Debug, Clone)]
struct CaseRec {
    id: i64,
    organ: i64,
    filed_on: NaiveDate,
    corrected_on: Option<NaiveDate>,
    co_defendant: bool,
}

struct World {
    district: i64,
    /// The district's organs in subtree (id) order with their names.
    organs: Vec<(i64, String)>,
    other_district: i64,
    other_child: i64,
    items: Vec<ItemRec>,
    apps: Vec<AppRec>,
    cases: Vec<CaseRec>,
    /// Report state labels of the 2025 reports, by organ.
    reports_2025: BTreeMap<i64, &'static str>,
}

async fn import(
    store: &Store,
    organ_id: i64,
    specs: &[(&str, Genre, &str, &str, Option<i64>)],
) -> Vec<ItemRec> {
    let cal = Calendar::official();
    let items: Vec<ImportedItem> = specs
        .iter()
        .map(
            |(title, genre, formed, published, interprets)| ImportedItem {
                content: content(title, *genre, formed, *interprets),
                published_on: d(published),
                index_no: None,
            },
        )
        .collect();
    let ids = store
        .items()
        .import(&Actor::system(), organ_id, &items, "测试", &cal)
        .await
        .unwrap();
    ids.iter()
        .zip(specs)
        .map(|(id, (_, genre, formed, published, interprets))| ItemRec {
            id: *id,
            organ: organ_id,
            genre: *genre,
            published_on: d(published),
            // Art 26, computed here from the law crate (20 working days after 成文日期).
            due_on: gongkai_law::proactive_due_date(d(formed), &cal).unwrap(),
            interprets: *interprets,
        })
        .collect()
}

async fn application(store: &Store, organ_id: i64, events: Vec<ClockEvent>) -> AppRec {
    let cal = Calendar::official();
    let ClockEvent::Received { on, channel } = events[0].clone() else {
        panic!("the first event is the receipt")
    };
    let (app, _) = store
        .applications()
        .create(
            &Actor::system(),
            organ_id,
            &NewApplication {
                applicant_type: gongkai_law::ApplicantType::NaturalPerson,
                applicant_name: "王五".into(),
                id_kind: "resident_id".into(),
                id_number: common::cases::resident_id(),
                phone: "13800138000".into(),
                email: String::new(),
                address: "某地".into(),
                description: "某项目的招标文件".into(),
                provision_form: gongkai_law::ProvisionForm::Paper,
                delivery: "邮寄".into(),
                channel,
                received_on: on,
            },
            &cal,
        )
        .await
        .unwrap();
    let mut version = app.version;
    for e in &events[1..] {
        let (a, _) = store
            .applications()
            .record_event(&Actor::system(), app.id, e.clone(), version, &cal)
            .await
            .unwrap();
        version = a.version;
    }
    AppRec {
        id: app.id,
        organ: organ_id,
        events,
    }
}

fn received(on: &str) -> ClockEvent {
    ClockEvent::Received {
        on: d(on),
        channel: Channel::InPerson,
    }
}

fn replied(on: &str) -> ClockEvent {
    ClockEvent::Replied {
        on: d(on),
        outcome: Outcome::Granted,
    }
}

async fn case(
    store: &Store,
    organ_id: i64,
    n: u32,
    kind: ChallengeKind,
    filed: &str,
    decided: Option<(ChallengeResult, &str)>,
    co_defendant: bool,
) -> CaseRec {
    let result = decided.map_or(ChallengeResult::Pending, |(r, _)| r);
    let decided = decided.map(|(_, on)| on);
    let c = store
        .challenges()
        .create(
            &Actor::system(),
            organ_id,
            &ChallengeInput {
                application_id: None,
                follows_id: None,
                kind,
                case_no: format!("（2026）测复字第{n}号"),
                authority: "某区人民政府".into(),
                claimant_name: "李四".into(),
                filed_on: d(filed),
                result,
                decided_on: decided.map(d),
                co_defendant_reviewer: co_defendant,
                notes: String::new(),
            },
        )
        .await
        .unwrap();
    CaseRec {
        id: c.id,
        organ: organ_id,
        filed_on: d(filed),
        corrected_on: (result == ChallengeResult::Corrected).then(|| d(decided.unwrap())),
        co_defendant,
    }
}

async fn publish_report(store: &Store, organ_id: i64, year: i32, on: &str) {
    let actor = Actor::system();
    let r = store
        .annual_reports()
        .open(&actor, organ_id, year)
        .await
        .unwrap();
    let r = store
        .annual_reports()
        .submit(&actor, r.id, r.version)
        .await
        .unwrap();
    store
        .annual_reports()
        .publish(&actor, r.id, &serde_json::json!({}), d(on), r.version)
        .await
        .unwrap();
}

async fn seed(app: &TestApp) -> World {
    let store = app.store();
    let district = organ(store, None, "甲区人民政府", OrganKind::Government, 1).await;
    let b = organ(
        store,
        Some(district),
        "甲区东街道办事处",
        OrganKind::Subdistrict,
        2,
    )
    .await;
    let c = organ(
        store,
        Some(district),
        "甲区西街道办事处",
        OrganKind::Subdistrict,
        3,
    )
    .await;
    let e = organ(
        store,
        Some(district),
        "甲区教育局",
        OrganKind::Department,
        4,
    )
    .await;
    let other_district = organ(store, None, "乙区人民政府", OrganKind::Government, 5).await;
    let other_child = organ(
        store,
        Some(other_district),
        "乙区南街道办事处",
        OrganKind::Subdistrict,
        6,
    )
    .await;
    user(store, "jia.supervisor", district, Role::Supervisor).await;
    user(store, "yi.supervisor", other_district, Role::Supervisor).await;
    user(store, "dong.officer", b, Role::Officer).await;

    // Items: on time, late, on the period's edges, documents with and without a 政策解读.
    use Genre::{Interpretation, NormativeDocument, WorkUpdate};
    let mut items = import(
        store,
        b,
        &[
            (
                "东街道工作动态一",
                WorkUpdate,
                "2026-05-06",
                "2026-05-08",
                None,
            ),
            (
                "东街道工作动态二",
                WorkUpdate,
                "2026-03-02",
                "2026-06-15",
                None,
            ),
            (
                "东街道工作动态三",
                WorkUpdate,
                "2026-03-02",
                "2026-03-10",
                None,
            ),
            (
                "东街道规范性文件一",
                NormativeDocument,
                "2026-06-01",
                "2026-06-05",
                None,
            ),
            (
                "东街道规范性文件二",
                NormativeDocument,
                "2026-07-01",
                "2026-07-03",
                None,
            ),
        ],
    )
    .await;
    let doc_one = items[3].id;
    items.extend(
        import(
            store,
            b,
            &[(
                "东街道规范性文件一的解读",
                Interpretation,
                "2026-06-08",
                "2026-06-10",
                Some(doc_one),
            )],
        )
        .await,
    );
    items.extend(
        import(
            store,
            c,
            &[
                (
                    "西街道工作动态一",
                    WorkUpdate,
                    "2026-09-20",
                    "2026-09-30",
                    None,
                ),
                (
                    "西街道工作动态二",
                    WorkUpdate,
                    "2026-09-25",
                    "2026-10-09",
                    None,
                ),
                (
                    "西街道规范性文件",
                    NormativeDocument,
                    "2026-04-01",
                    "2026-04-01",
                    None,
                ),
            ],
        )
        .await,
    );
    items.extend(
        import(
            store,
            district,
            &[(
                "区政府工作动态",
                WorkUpdate,
                "2025-12-01",
                "2026-04-01",
                None,
            )],
        )
        .await,
    );
    // Another district's item: never counted here.
    import(
        store,
        other_child,
        &[("乙区工作动态", WorkUpdate, "2026-05-06", "2026-05-08", None)],
    )
    .await;

    // Applications across the period's edges.
    let mut apps = Vec::new();
    for events in [
        vec![received("2026-03-20"), replied("2026-04-10")],
        vec![received("2026-05-06"), replied("2026-07-20")],
        vec![received("2026-08-03")],
        vec![received("2026-09-28")],
        vec![
            received("2026-06-01"),
            ClockEvent::Withdrawn {
                on: d("2026-06-05"),
            },
        ],
        vec![received("2026-10-09"), replied("2026-10-20")],
        vec![received("2026-02-02"), replied("2026-03-30")],
        vec![received("2026-09-10"), replied("2026-10-12")],
        vec![received("2026-06-10"), replied("2026-10-15")],
    ] {
        apps.push(application(store, b, events).await);
    }
    apps.push(
        application(
            store,
            c,
            vec![received("2026-04-01"), replied("2026-04-20")],
        )
        .await,
    );
    apps.push(application(store, c, vec![received("2026-09-30")]).await);
    application(store, other_child, vec![received("2026-05-06")]).await;

    // 复议/诉讼.
    use ChallengeKind::{LitigationAfterReconsideration, LitigationDirect, Reconsideration};
    use ChallengeResult::{Corrected, Upheld};
    let cases = vec![
        case(
            store,
            b,
            1,
            Reconsideration,
            "2026-05-01",
            Some((Corrected, "2026-08-01")),
            false,
        )
        .await,
        case(
            store,
            b,
            2,
            LitigationDirect,
            "2026-06-01",
            Some((Upheld, "2026-07-01")),
            false,
        )
        .await,
        case(
            store,
            b,
            3,
            LitigationAfterReconsideration,
            "2026-07-01",
            None,
            true,
        )
        .await,
        case(
            store,
            b,
            4,
            Reconsideration,
            "2026-09-15",
            Some((Corrected, "2026-10-10")),
            false,
        )
        .await,
        case(
            store,
            c,
            5,
            Reconsideration,
            "2026-03-01",
            Some((Corrected, "2026-04-15")),
            false,
        )
        .await,
    ];

    // Annual reports of 2025 (last days: 2026-03-31 for the 区政府, 2026-01-31 for the others).
    publish_report(store, district, 2025, "2026-03-20").await;
    publish_report(store, b, 2025, "2026-02-10").await;
    store
        .annual_reports()
        .open(&Actor::system(), c, 2025)
        .await
        .unwrap();
    // 2026 reports, not due yet: a draft and one in review.
    store
        .annual_reports()
        .open(&Actor::system(), b, 2026)
        .await
        .unwrap();
    let r = store
        .annual_reports()
        .open(&Actor::system(), c, 2026)
        .await
        .unwrap();
    store
        .annual_reports()
        .submit(&Actor::system(), r.id, r.version)
        .await
        .unwrap();

    World {
        district,
        organs: vec![
            (district, "甲区人民政府".into()),
            (b, "甲区东街道办事处".into()),
            (c, "甲区西街道办事处".into()),
            (e, "甲区教育局".into()),
        ],
        other_district,
        other_child,
        items,
        apps,
        cases,
        reports_2025: BTreeMap::from([
            (district, "按时公开"),
            (b, "逾期公开"),
            (c, "逾期未公开"),
            (e, "逾期未公开"),
        ]),
    }
}

/// What the test expects of one measure: the ids of the records, by organ.
fn expected(world: &World, measure: &str, from: NaiveDate, to: NaiveDate) -> Vec<(i64, i64)> {
    let cal = Calendar::official();
    let within = |x: NaiveDate| from <= x && x <= to;
    let mut out = Vec::new();
    for i in &world.items {
        let published = within(i.published_on);
        let document = matches!(i.genre, Genre::NormativeDocument | Genre::Regulation);
        let interpreted = world.items.iter().any(|o| o.interprets == Some(i.id));
        let hit = match measure {
            "items_published" => published,
            "items_on_time" => published && i.published_on <= i.due_on,
            "items_late" => published && i.published_on > i.due_on,
            "documents_published" => published && document,
            "documents_uninterpreted" => published && document && !interpreted,
            _ => false,
        };
        if hit {
            out.push((i.organ, i.id));
        }
    }
    for a in &world.apps {
        let received_on = a.events[0].on();
        let closing = a
            .events
            .iter()
            .find(|e| matches!(e, ClockEvent::Replied { .. } | ClockEvent::Withdrawn { .. }))
            .map(ClockEvent::on);
        let reply = a
            .events
            .iter()
            .find(|e| matches!(e, ClockEvent::Replied { .. }))
            .map(ClockEvent::on);
        let open_at_end = received_on <= to && closing.is_none_or(|c| c > to);
        // The law's own clock: the timeline as it stood at the period's end, seen that day.
        let until_end: Vec<ClockEvent> =
            a.events.iter().filter(|e| e.on() <= to).cloned().collect();
        let overdue_at_end =
            open_at_end && gongkai_law::evaluate(&until_end, to, &cal).unwrap().overdue;
        let late = gongkai_law::evaluate(&a.events, d("2026-11-25"), &cal)
            .unwrap()
            .replied_late;
        let hit = match measure {
            "applications_received" => within(received_on),
            "applications_closed" => closing.is_some_and(within),
            "applications_replied" => reply.is_some_and(within),
            "replies_late" => reply.is_some_and(within) && late,
            "applications_open" => open_at_end,
            "applications_overdue" => overdue_at_end,
            _ => false,
        };
        if hit {
            out.push((a.organ, a.id));
        }
    }
    for c in &world.cases {
        let counted = !c.co_defendant && within(c.filed_on);
        let hit = match measure {
            "challenges" => counted,
            "challenges_corrected" => counted && c.corrected_on.is_some_and(|x| x <= to),
            _ => false,
        };
        if hit {
            out.push((c.organ, c.id));
        }
    }
    out
}

const COUNT_COLUMNS: [(&str, &str); 13] = [
    ("公开信息", "items_published"),
    ("逾期公开", "items_late"),
    ("规章和规范性文件", "documents_published"),
    ("其中未解读", "documents_uninterpreted"),
    ("收到申请", "applications_received"),
    ("办结", "applications_closed"),
    ("其中答复", "applications_replied"),
    ("逾期答复", "replies_late"),
    ("期末未办结", "applications_open"),
    ("逾期未答复", "applications_overdue"),
    ("复议诉讼", "challenges"),
    ("被纠正", "challenges_corrected"),
    ("按期公开率", "items_on_time"),
];

/// A table cell: its text (tags removed) and its first link.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    text: String,
    href: Option<String>,
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#38;", "&")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// The rows of the table with `id` (header row first), each a list of cells.
fn table_rows(page: &str, id: &str) -> Vec<Vec<Cell>> {
    let start = page
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("table {id}"));
    let end = start + page[start..].find("</table>").unwrap();
    let table = &page[start..end];
    table
        .split("<tr")
        .skip(1)
        .map(|tr| {
            let mut cells = Vec::new();
            let mut rest = tr;
            while let Some(pos) = rest.find(['<']) {
                let tail = &rest[pos..];
                let is_cell = tail.starts_with("<td") || tail.starts_with("<th");
                if !is_cell {
                    rest = &tail[1..];
                    continue;
                }
                let open_end = tail.find('>').unwrap() + 1;
                let close = tail.find("</t").unwrap();
                let inner = &tail[open_end..close];
                // Screen-reader-only text of the sort links is not the label.
                let inner_visible = match inner.find("<span class=\"sr-only\">") {
                    Some(s) => {
                        let e = s + inner[s..].find("</span>").unwrap() + "</span>".len();
                        format!("{}{}", &inner[..s], &inner[e..])
                    }
                    None => inner.to_owned(),
                };
                let href = inner
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .map(|h| h.replace("&#38;", "&").replace("&amp;", "&"));
                cells.push(Cell {
                    text: strip_tags(&inner_visible)
                        .trim_end_matches([' ', '▲', '▼'])
                        .to_owned(),
                    href,
                });
                rest = &tail[close + 3..];
            }
            cells
        })
        .filter(|c: &Vec<Cell>| !c.is_empty())
        .collect()
}

fn column_index(header: &[Cell], label: &str) -> usize {
    header
        .iter()
        .position(|c| c.text == label)
        .unwrap_or_else(|| panic!("column {label} in {header:?}"))
}

fn row_of<'a>(rows: &'a [Vec<Cell>], name: &str) -> &'a Vec<Cell> {
    rows.iter()
        .find(|r| r[0].text == name)
        .unwrap_or_else(|| panic!("row {name}"))
}

fn share(on_time: usize, published: usize) -> String {
    if published == 0 {
        "—".to_owned()
    } else {
        format!("{:.1}%", on_time as f64 * 100.0 / published as f64)
    }
}

/// The test's own score: 100 × Σ wᵢ·rᵢ ÷ Σ wᵢ with a neutral 1 where nothing is judged.
fn score(world: &World, organ: i64, from: NaiveDate, to: NaiveDate, weights: [u32; 5]) -> f64 {
    let n = |m: &str| {
        expected(world, m, from, to)
            .iter()
            .filter(|(o, _)| *o == organ)
            .count() as f64
    };
    let rate = |good: f64, all: f64| if all == 0.0 { 1.0 } else { good / all };
    let report = match world.reports_2025[&organ] {
        "按时公开" => 1.0,
        "逾期公开" | "逾期未公开" => 0.0,
        _ => 1.0,
    };
    let rates = [
        rate(n("items_on_time"), n("items_published")),
        rate(
            n("documents_published") - n("documents_uninterpreted"),
            n("documents_published"),
        ),
        rate(
            n("applications_replied") - n("replies_late"),
            n("applications_replied"),
        ),
        rate(n("challenges") - n("challenges_corrected"), n("challenges")),
        report,
    ];
    let sum: u32 = weights.iter().sum();
    100.0
        * rates
            .iter()
            .zip(weights)
            .map(|(r, w)| r * f64::from(w))
            .sum::<f64>()
        / f64::from(sum)
}

fn record_ids(page: &str) -> Vec<i64> {
    let table = match page.find("<table id=\"records\"") {
        Some(s) => &page[s..],
        None => return Vec::new(),
    };
    table
        .split("<th scope=\"row\"><a href=\"")
        .skip(1)
        .map(|s| {
            let href = s.split('"').next().unwrap();
            href.rsplit('/').next().unwrap().parse().unwrap()
        })
        .collect()
}

async fn check_period(app: &TestApp, b: &mut Browser, world: &World, from: &str, to: &str) {
    let (from_d, to_d) = (d(from), d(to));
    let url = format!(
        "/admin/organs/{}/supervision?from={from}&to={to}",
        world.district
    );
    let page = b.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let rows = table_rows(&page.body, "dashboard");
    let header = &rows[0];
    let body = &rows[1..];
    assert_eq!(
        body.len(),
        world.organs.len() + 1,
        "one row per organ + totals"
    );
    // Only the district's organs, in subtree order, then the totals.
    let names: Vec<&str> = body.iter().map(|r| r[0].text.as_str()).collect();
    let mut want: Vec<&str> = world.organs.iter().map(|(_, n)| n.as_str()).collect();
    want.push("合计");
    assert_eq!(names, want);
    assert!(!page.body.contains("乙区"), "another district never shows");

    let all_ids: Vec<i64> = world.organs.iter().map(|(id, _)| *id).collect();
    for (label, measure) in COUNT_COLUMNS {
        let col = column_index(header, label);
        let expect = expected(world, measure, from_d, to_d);
        for (organ_id, name) in world
            .organs
            .iter()
            .map(|(i, n)| (Some(*i), n.as_str()))
            .chain([(None, "合计")])
        {
            let ids: BTreeSet<i64> = expect
                .iter()
                .filter(|(o, _)| organ_id.is_none_or(|x| x == *o) && all_ids.contains(o))
                .map(|(_, id)| *id)
                .collect();
            let cell = &row_of(body, name)[col];
            if measure == "items_on_time" {
                let published = expected(world, "items_published", from_d, to_d)
                    .iter()
                    .filter(|(o, _)| organ_id.is_none_or(|x| x == *o))
                    .count();
                assert_eq!(cell.text, share(ids.len(), published), "{label} of {name}");
            } else {
                assert_eq!(
                    cell.text,
                    ids.len().to_string(),
                    "{label} of {name} ({from}–{to})"
                );
            }
            // The drill-down lists exactly the records counted.
            let href = cell
                .href
                .clone()
                .unwrap_or_else(|| panic!("{label} of {name} links"));
            let list = b.get(&href).await;
            assert_eq!(list.status, StatusCode::OK, "{href}");
            let listed: BTreeSet<i64> = record_ids(&list.body).into_iter().collect();
            assert_eq!(listed, ids, "records of {label} of {name}");
        }
    }

    // The annual-report column (2025 reports, every deadline passed).
    let col = column_index(header, "年度报告");
    for (id, name) in &world.organs {
        assert_eq!(
            row_of(body, name)[col].text,
            world.reports_2025[id],
            "{name}"
        );
    }
    assert_eq!(
        row_of(body, "合计")[col].text,
        "按时公开1、逾期公开1、逾期未公开2"
    );

    // Scores with the default weights, and the ranks they give.
    let weights = [30, 15, 30, 10, 15];
    let col = column_index(header, "考核得分");
    let rank_col = column_index(header, "排名");
    let scores: Vec<f64> = world
        .organs
        .iter()
        .map(|(id, _)| score(world, *id, from_d, to_d, weights))
        .collect();
    for ((_, name), s) in world.organs.iter().zip(&scores) {
        assert_eq!(
            row_of(body, name)[col].text,
            format!("{s:.1}"),
            "score of {name}"
        );
        let shown = |x: f64| (x * 10.0).round() as i64;
        let rank = 1 + scores.iter().filter(|o| shown(**o) > shown(*s)).count();
        assert_eq!(
            row_of(body, name)[rank_col].text,
            rank.to_string(),
            "rank of {name}"
        );
    }

    // The CSV and the Excel file have the page's header and rows.
    let csv_href = format!(
        "/admin/organs/{}/supervision/export.csv?from={from}&to={to}",
        world.district
    );
    let (status, headers, bytes) = b.get_bytes(&csv_href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = String::from_utf8(bytes).unwrap();
    let csv: Vec<Vec<String>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    let page_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.clone()).collect())
        .collect();
    assert_eq!(csv, page_rows, "CSV = page");
    let (status, _, bytes) = b
        .get_bytes(&csv_href.replace("export.csv", "export.xlsx"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let table = gongkai_docs::read_table(&bytes, "看板.xlsx").unwrap();
    let xlsx: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
    assert_eq!(xlsx, page_rows, "Excel = page");
    let _ = app;
}

#[tokio::test]
async fn the_dashboard_figures_equal_the_records_and_every_number_lists_them() {
    each_backend(|app: TestApp| async move {
        let world = seed(&app).await;
        let mut b = login(&app, "jia.supervisor").await;
        // A quarter-crossing period with records on both edges, then the default (this year to
        // today, 2026-11-25).
        check_period(&app, &mut b, &world, "2026-04-01", "2026-09-30").await;
        check_period(&app, &mut b, &world, "2026-01-01", "2026-11-25").await;
        let default = b
            .get(&format!("/admin/organs/{}/supervision", world.district))
            .await;
        assert!(default.body.contains("value=\"2026-01-01\""));
        assert!(default.body.contains("value=\"2026-11-25\""));
        assert!(
            default.body.contains("value=\"2025\""),
            "report year before the end year"
        );

        // The 2026 reports are not due: 草稿, 审核中, 未开始.
        let page = b
            .get(&format!(
                "/admin/organs/{}/supervision?year=2026",
                world.district
            ))
            .await;
        let rows = table_rows(&page.body, "dashboard");
        let col = column_index(&rows[0], "年度报告");
        assert_eq!(row_of(&rows, "甲区东街道办事处")[col].text, "草稿");
        assert_eq!(row_of(&rows, "甲区西街道办事处")[col].text, "审核中");
        assert_eq!(row_of(&rows, "甲区教育局")[col].text, "未开始");

        // Charts: inline SVG with a name, and the same numbers in a table.
        assert!(page.body.contains("<svg "));
        assert!(page.body.contains("role=\"img\""));
        let received = table_rows(&page.body, "dashboard");
        assert!(!received.is_empty());
        let chart = page.body.split("每月收到的申请（数据表）").nth(1).unwrap();
        let may: i64 = chart
            .split("<th scope=\"row\">2026年5月</th><td>")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let want = world
            .apps
            .iter()
            .filter(|a| a.events[0].on().format("%Y-%m").to_string() == "2026-05")
            .count();
        assert_eq!(may, want as i64, "applications received in May");
        // The month-end series (one pass over the organs' cases) equals, month by month, the
        // overdue count of a period ending that day, as the test's own clock computes it.
        let overdue_chart = page
            .body
            .split("每月月末逾期未答复的申请（数据表）")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap()
            .to_owned();
        let today = app.store().today();
        let district: Vec<i64> = world.organs.iter().map(|(id, _)| *id).collect();
        let (mut months_seen, mut overdue_seen) = (0, 0);
        for month in 1..=today.month() {
            let first = NaiveDate::from_ymd_opt(2026, month, 1).unwrap();
            let end = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap()
                .pred_opt()
                .unwrap()
                .min(today);
            let shown: i64 = overdue_chart
                .split(&format!("<th scope=\"row\">2026年{month}月</th><td>"))
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let want = expected(&world, "applications_overdue", d("2026-01-01"), end)
                .iter()
                .filter(|(organ, _)| district.contains(organ))
                .count();
            assert_eq!(shown, want as i64, "overdue at the end of 2026-{month:02}");
            months_seen += 1;
            overdue_seen += want;
        }
        assert!(months_seen >= 10 && overdue_seen > 0, "{overdue_seen}");
        assert!(!page.body.contains("<script"), "no JavaScript");
    })
    .await;
}

#[tokio::test]
async fn sorting_and_weights_change_the_order_the_scores_and_the_formula() {
    each_backend(|app: TestApp| async move {
        let world = seed(&app).await;
        let mut b = login(&app, "jia.supervisor").await;
        let base = format!("/admin/organs/{}/supervision", world.district);
        let (from, to) = ("2026-04-01", "2026-09-30");
        let order = |page: &str| -> Vec<String> {
            table_rows(page, "dashboard")[1..]
                .iter()
                .map(|r| r[0].text.clone())
                .filter(|n| n != "合计")
                .collect()
        };

        // Sorting by 收到申请, largest first (ties in subtree order), as the test counts them.
        let page = b
            .get(&format!(
                "{base}?from={from}&to={to}&sort=applications_received&dir=desc"
            ))
            .await;
        let by_received = order(&page.body);
        let mut want: Vec<(usize, usize, String)> = world
            .organs
            .iter()
            .enumerate()
            .map(|(pos, (id, name))| {
                let n = expected(&world, "applications_received", d(from), d(to))
                    .iter()
                    .filter(|(o, _)| o == id)
                    .count();
                (n, pos, name.clone())
            })
            .collect();
        want.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        assert_eq!(
            by_received,
            want.iter().map(|w| w.2.clone()).collect::<Vec<_>>()
        );
        assert!(page.body.contains("aria-sort=\"descending\""));
        let by_name_desc = order(
            &b.get(&format!("{base}?from={from}&to={to}&sort=organ&dir=desc"))
                .await
                .body,
        );
        let mut names: Vec<String> = world.organs.iter().map(|o| o.1.clone()).collect();
        names.sort();
        names.reverse();
        assert_eq!(by_name_desc, names);
        assert_ne!(by_received, by_name_desc, "sorting changes the order");

        // The formula with the default weights is printed.
        let page = b.get(&format!("{base}?from={from}&to={to}")).await;
        assert!(
            page.body
                .contains("得分 = 100 × (30×r1 + 15×r2 + 30×r3 + 10×r4 + 15×r5) ÷ 100"),
            "{}",
            page.body
        );

        // Only the annual report counts: the 区政府 (on time) leads, the others score 0.
        let audits_before = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'supervision.weights'")
            .await;
        let r = b
            .submit(
                &format!("{base}?from={from}&to={to}"),
                &format!("{base}/weights"),
                &[
                    ("from", from),
                    ("to", to),
                    ("year", "2025"),
                    ("w_timeliness", "0"),
                    ("w_interpretation", "0"),
                    ("w_reply_on_time", "0"),
                    ("w_not_corrected", "0"),
                    ("w_annual_report", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().contains("ok=weights_saved"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'supervision.weights'")
                .await,
            audits_before + 1,
            "saving the weights is audited"
        );
        let page = b.get(&format!("{base}?from={from}&to={to}")).await;
        assert!(
            page.body
                .contains("得分 = 100 × (0×r1 + 0×r2 + 0×r3 + 0×r4 + 1×r5) ÷ 1")
        );
        let rows = table_rows(&page.body, "dashboard");
        let score_col = column_index(&rows[0], "考核得分");
        let rank_col = column_index(&rows[0], "排名");
        for (id, name) in &world.organs {
            let s = score(&world, *id, d(from), d(to), [0, 0, 0, 0, 1]);
            assert_eq!(
                row_of(&rows, name)[score_col].text,
                format!("{s:.1}"),
                "{name}"
            );
        }
        assert_eq!(row_of(&rows, "甲区人民政府")[score_col].text, "100.0");
        assert_eq!(row_of(&rows, "甲区人民政府")[rank_col].text, "1");
        assert_eq!(row_of(&rows, "甲区东街道办事处")[rank_col].text, "2");
        let ranking = table_rows(&page.body, "ranking-table");
        assert_eq!(
            ranking[1][1].text, "甲区人民政府",
            "the ranking table leads with rank 1"
        );

        // Bad weights are refused with a message; nothing changes.
        let r = b
            .submit(
                &format!("{base}?from={from}&to={to}"),
                &format!("{base}/weights"),
                &[
                    ("w_timeliness", "0"),
                    ("w_interpretation", "0"),
                    ("w_reply_on_time", "0"),
                    ("w_not_corrected", "0"),
                    ("w_annual_report", "0"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("不能全部为 0"), "{}", r.body);
        let r = b
            .submit(
                &format!("{base}?from={from}&to={to}"),
                &format!("{base}/weights"),
                &[
                    ("w_timeliness", "abc"),
                    ("w_interpretation", "0"),
                    ("w_reply_on_time", "0"),
                    ("w_not_corrected", "0"),
                    ("w_annual_report", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("主动公开按期率"), "{}", r.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'supervision.weights'")
                .await,
            audits_before + 1
        );
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_sees_only_its_subtree_and_officers_none() {
    each_backend(|app: TestApp| async move {
        let world = seed(&app).await;
        let mut jia = login(&app, "jia.supervisor").await;
        let base = format!("/admin/organs/{}/supervision", world.district);
        assert_eq!(jia.get(&base).await.status, StatusCode::OK);
        // An organ of another district in `organ=`: not found.
        for organ in [world.other_child, world.other_district] {
            let r = jia
                .get(&format!(
                    "{base}/records?organ={organ}&measure=items_published"
                ))
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "organ {organ}");
        }
        // Without a measure: the measures to choose from; an unknown one is refused by name.
        let index = jia.get(&format!("{base}/records")).await;
        assert_eq!(index.status, StatusCode::OK);
        assert!(index.body.contains("measure=applications_overdue"));
        let r = jia.get(&format!("{base}/records?measure=nonsense")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("nonsense"), "{}", r.body);
        // The sibling district's dashboard: refused.
        let other = format!("/admin/organs/{}/supervision", world.other_district);
        for path in [
            other.clone(),
            format!("{other}/export.csv"),
            format!("{other}/records?measure=items_published"),
        ] {
            assert_eq!(jia.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let mut yi = login(&app, "yi.supervisor").await;
        for path in [
            base.clone(),
            format!("{base}/export.xlsx"),
            format!("{base}/records?measure=items_published"),
        ] {
            assert_eq!(yi.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let own = yi.get(&other).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            !own.body.contains("甲区"),
            "the other district sees none of 甲区"
        );
        // A 街道's officer: no dashboard, not even of its own organ.
        let mut officer = login(&app, "dong.officer").await;
        let b = world.organs[1].0;
        for path in [
            format!("/admin/organs/{b}/supervision"),
            base.clone(),
            format!("{base}/export.csv"),
        ] {
            assert_eq!(
                officer.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        // The supervisor's organ page links the dashboard.
        let organ_page = jia.get(&format!("/admin/organs/{}", world.district)).await;
        assert!(organ_page.body.contains(&base));
    })
    .await;
}
