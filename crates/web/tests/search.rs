//! Full-text search over real HTTP: the server's index follows the database (items imported or
//! withdrawn after start appear/disappear within seconds), ranking, filters, escaping, errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::{Browser, TestApp, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{Genre, PublicationChannel, Validity};
use gongkai_store::{
    Actor, CreditCode, EditorialRights, ImportedItem, ItemContent, NewOrgan, OrganContact,
    OrganKind,
};
use reqwest::StatusCode;

const TOPIC: &str = "综合政务\\政务公开";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct Doc {
    title: &'static str,
    body: &'static str,
    genre: Genre,
    published_on: &'static str,
    doc_no: Option<&'static str>,
}

fn imported(doc: &Doc) -> ImportedItem {
    let published_on = d(doc.published_on);
    ImportedItem {
        content: ItemContent {
            department_id: None,
            title: doc.title.to_owned(),
            summary: String::new(),
            body_html: format!("<p>{}</p>", doc.body),
            body_text: doc.body.to_owned(),
            genre: doc.genre,
            topic: TOPIC.to_owned(),
            domain: None,
            art20_item: None,
            doc_no: doc.doc_no.map(str::to_owned),
            keywords: String::new(),
            formed_on: published_on - chrono::Duration::days(3),
            validity: doc.genre.is_document().then_some(Validity::Valid),
            interprets_item_id: None,
            channels: vec![PublicationChannel::Column],
        },
        published_on,
        index_no: None,
    }
}

const DOCS: [Doc; 5] = [
    Doc {
        title: "关于印发《新华区2024年老旧小区改造工作方案》的通知",
        body: "为推进城镇老旧小区改造，改善居民居住条件，现将2024年老旧小区改造工作方案印发给你们，请结合实际认真贯彻落实。改造内容包括水电气暖管网更新、加装电梯和无障碍设施。",
        genre: Genre::NormativeDocument,
        published_on: "2024-03-15",
        doc_no: Some("新政办发〔2024〕7号"),
    },
    Doc {
        title: "西市场街道召开老旧小区改造居民议事会",
        body: "街道组织居民代表、物业企业和施工单位召开议事会，就老旧小区改造中的停车位规划、外墙保温等问题听取意见。",
        genre: Genre::WorkUpdate,
        published_on: "2023-06-02",
        doc_no: None,
    },
    Doc {
        title: "关于开展小区环境卫生整治的通知",
        body: "各社区要组织物业对小区内的楼道堆放杂物、绿化带垃圾进行集中清理，营造整洁有序的居住环境。",
        genre: Genre::Notice,
        published_on: "2024-05-20",
        doc_no: None,
    },
    Doc {
        title: "新华区2023年财政预算执行情况",
        body: "全区一般公共预算收入完成年度预算的百分之一百零二，民生支出占比保持在八成以上。小区配套设施维护资金按计划拨付。",
        genre: Genre::Finance,
        published_on: "2023-08-10",
        doc_no: None,
    },
    Doc {
        title: "物业服务收费公示",
        body: "<script>alert(1)</script> 本小区物业服务收费标准按照价格主管部门核定执行。",
        genre: Genre::Notice,
        published_on: "2024-09-01",
        doc_no: None,
    },
];

async fn organ(app: &TestApp) -> i64 {
    let body = "11110105MB0000001";
    let check = CreditCode::check_char_for(body).unwrap();
    let code = CreditCode::parse(&format!("{body}{check}")).unwrap();
    app.store()
        .organs()
        .create(
            &Actor::system(),
            &NewOrgan {
                parent_id: None,
                name: "新华区住房和城乡建设局".to_owned(),
                credit_code: Some(code),
                kind: OrganKind::Department,
                contact: OrganContact::default(),
            },
        )
        .await
        .unwrap()
        .id
}

async fn import(app: &TestApp, organ_id: i64, docs: &[Doc]) -> Vec<i64> {
    let items: Vec<ImportedItem> = docs.iter().map(imported).collect();
    app.store()
        .items()
        .import(
            &Actor::system(),
            organ_id,
            &items,
            "搜索测试",
            &Calendar::official(),
        )
        .await
        .unwrap()
}

fn href(id: i64) -> String {
    format!("href=\"/items/{id}\"")
}

/// GETs `path` until `check` holds (the indexer polls every 2 s), at most ~10 s.
async fn eventually(b: &mut Browser, path: &str, check: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        if check(&r.body) {
            return r.body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(12),
            "{path} did not change in time:\n{}",
            r.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn q(text: &str) -> String {
    format!("/search?q={}", urlencode(text))
}

/// The same, within one organ (the demo data has its own items about 小区).
fn qo(text: &str, organ_id: i64) -> String {
    format!("{}&organ={organ_id}", q(text))
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn search_ranks_filters_escapes_and_follows_the_database() {
    each_backend(|app: TestApp| async move {
        let mut b = app.browser();
        // Blank: the form and no result count.
        let blank = b.get("/search").await;
        assert_eq!(blank.status, StatusCode::OK);
        assert!(blank.body.contains("name=\"q\"") && blank.body.contains("体裁分类"));
        assert!(blank.body.contains("行政规范性文件") && blank.body.contains("废止"));
        assert!(!blank.body.contains("共找到"));
        assert!(!blank.body.contains("<script"));
        let home = b.get("/").await;
        assert!(
            home.body.contains("href=\"/search\""),
            "search link in header"
        );

        let organ_id = organ(&app).await;
        let ids = import(&app, organ_id, &DOCS).await;
        let (plan, meeting, hygiene, budget, fees) = (ids[0], ids[1], ids[2], ids[3], ids[4]);

        // Imported after start: the indexer picks them up from the database.
        let body = eventually(&mut b, &qo("老旧小区改造", organ_id), |body| {
            body.contains(&href(plan)) && body.contains(&href(meeting))
        })
        .await;
        let pos = |id: i64| body.find(&href(id));
        let last_exact = pos(plan).max(pos(meeting)).unwrap();
        for only_xiaoqu in [hygiene, budget, fees] {
            if let Some(p) = pos(only_xiaoqu) {
                assert!(
                    p > last_exact,
                    "items about 老旧小区改造 come first:\n{body}"
                );
            }
        }
        assert!(body.contains("共找到"), "{body}");
        assert!(body.contains("<mark>老旧小区改造</mark>"), "{body}");
        assert!(body.contains("新华区住房和城乡建设局") && body.contains("2024-03-15"));
        assert!(body.contains("新政办发〔2024〕7号"), "文号 shown");

        // Escaping: the stored text's markup is shown as text.
        let body = eventually(&mut b, &qo("物业服务收费", organ_id), |body| {
            body.contains(&href(fees))
        })
        .await;
        assert!(!body.contains("<script>alert(1)"), "{body}");
        assert!(body.contains("&lt;/script&gt;"), "{body}");

        // Phrase query: only the exact phrase.
        let r = b.get(&qo("\"老旧小区改造\"", organ_id)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(&href(plan)) && r.body.contains(&href(meeting)));
        assert!(!r.body.contains(&href(hygiene)) && !r.body.contains(&href(budget)));

        // Filters.
        let r = b
            .get(&format!("{}&genre=notice", qo("小区", organ_id)))
            .await;
        assert!(r.body.contains(&href(hygiene)) && r.body.contains(&href(fees)));
        assert!(!r.body.contains(&href(plan)) && !r.body.contains(&href(budget)));
        let r = b.get(&format!("{}&year=2023", qo("小区", organ_id))).await;
        assert!(r.body.contains(&href(meeting)) && r.body.contains(&href(budget)));
        assert!(!r.body.contains(&href(plan)) && !r.body.contains(&href(hygiene)));
        let r = b
            .get(&format!("/search?organ={organ_id}&validity=valid"))
            .await;
        assert!(r.body.contains(&href(plan)) && !r.body.contains(&href(meeting)));
        assert!(r.body.contains("selected"));

        // Nothing found: a helpful page.
        let r = b.get(&q("量子计算机")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains("共找到 0 条") && r.body.contains("没有找到与“量子计算机”相关的信息")
        );

        // Withdrawn: out of the index. Published later: in.
        app.store()
            .items()
            .withdraw(
                &Actor::system(),
                hygiene,
                EditorialRights {
                    can_write: true,
                    can_review: true,
                },
                "内容有误",
                d("2024-06-01"),
            )
            .await
            .unwrap();
        eventually(&mut b, &qo("环境卫生整治", organ_id), |body| {
            !body.contains(&href(hygiene))
        })
        .await;
        let late = import(
            &app,
            organ_id,
            &[Doc {
                title: "关于老旧小区改造加装电梯补贴的公告",
                body: "对列入老旧小区改造计划的住宅加装电梯，按每台十五万元给予补贴。",
                genre: Genre::Notice,
                published_on: "2024-10-08",
                doc_no: None,
            }],
        )
        .await;
        eventually(&mut b, &qo("加装电梯补贴", organ_id), |body| {
            body.contains(&href(late[0]))
        })
        .await;

        // Bad requests: Chinese messages, status 400.
        let long = "改".repeat(gongkai_search::MAX_QUERY_CHARS + 1);
        let r = b.get(&q(&long)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("搜索词过长"), "{}", r.body);
        for bad in [
            "genre=novel",
            "year=1900",
            "page=0",
            "organ=999999",
            "validity=x",
        ] {
            let r = b.get(&format!("/search?q=a&{bad}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(r.body.contains("lang=\"zh-CN\""));
        }
    })
    .await;
}
