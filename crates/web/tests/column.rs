#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The public 政府信息公开 column over HTTP: 法定主动公开内容, the filtered lists, the item page,
//! attachment downloads, the Atom feed and the sitemap — on SQLite and (when configured)
//! PostgreSQL.

mod common;

use std::sync::Arc;

use chrono::NaiveDate;
use common::{TestApp, each_backend, t0};
use gongkai_calendar::Calendar;
use gongkai_law::{Art20Item, Genre, PublicationChannel, Validity};
use gongkai_store::{
    Actor, CreditCode, EditorialRights, ImportedItem, ItemContent, ManualClock, NewAttachment,
    NewOrgan, OrganContact, OrganKind, Store, StoreOptions,
};
use gongkai_web::{App, Config};
use reqwest::StatusCode;

const TOPIC: &str = "综合政务\\政务公开";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn code(body: &str) -> CreditCode {
    let check = CreditCode::check_char_for(body).unwrap();
    CreditCode::parse(&format!("{body}{check}")).unwrap()
}

fn content(title: &str, genre: Genre, art20: Option<u8>, doc_no: Option<&str>) -> ItemContent {
    ItemContent {
        department_id: None,
        title: title.to_owned(),
        summary: String::new(),
        body_html: format!("<p>{title}的正文。</p>"),
        body_text: format!("{title}的正文。"),
        genre,
        topic: TOPIC.to_owned(),
        domain: None,
        art20_item: art20.and_then(Art20Item::new),
        doc_no: doc_no.map(str::to_owned),
        keywords: "政务公开 测试".to_owned(),
        formed_on: date(2026, 3, 2),
        validity: genre.is_document().then_some(Validity::Valid),
        interprets_item_id: None,
        channels: vec![
            PublicationChannel::Column,
            PublicationChannel::WechatAccount,
        ],
    }
}

fn imported(content: ItemContent, published_on: NaiveDate) -> ImportedItem {
    ImportedItem {
        content,
        published_on,
        index_no: None,
    }
}

/// The ids of what [`seed`] wrote.
struct Seeded {
    organ: i64,
    /// 5 行政规范性文件 (art20 (一), with 文号), the last one 失效.
    docs: Vec<i64>,
    /// 15 工作动态 (art20 (二)), 3 of them published in 2025.
    updates: Vec<i64>,
    /// A 政策解读 of `docs[0]`.
    interpretation: i64,
    /// A draft (never public).
    draft: i64,
}

/// An organ with 21 published items and a draft.
async fn seed(store: &Store) -> Seeded {
    let actor = Actor::system();
    let cal = Calendar::official();
    let organ = store
        .organs()
        .create(
            &actor,
            &NewOrgan {
                parent_id: None,
                name: "测试区政务服务管理局".to_owned(),
                credit_code: Some(code("11330100MB0000042")),
                kind: OrganKind::Department,
                contact: OrganContact::default(),
            },
        )
        .await
        .unwrap()
        .id;
    let mut batch = Vec::new();
    for i in 1..=5u32 {
        let mut c = content(
            &format!("关于规范测试事项的通知（之{i}）"),
            Genre::NormativeDocument,
            Some(1),
            Some(&format!("测政规〔2026〕{i}号")),
        );
        if i == 5 {
            c.validity = Some(Validity::Expired);
        }
        batch.push(imported(c, date(2026, 3, 10 + i)));
    }
    for i in 1..=15u32 {
        let mut c = content(
            &format!("测试工作动态第{i:02}条"),
            Genre::WorkUpdate,
            Some(2),
            None,
        );
        let published = if i <= 3 {
            c.formed_on = date(2025, 6, 2);
            date(2025, 6, 2 + i)
        } else {
            date(2026, 4, i)
        };
        batch.push(imported(c, published));
    }
    let ids = store
        .items()
        .import(&actor, organ, &batch, "测试台账", &cal)
        .await
        .unwrap();
    let (docs, updates) = (ids[..5].to_vec(), ids[5..].to_vec());
    let mut interp = content(
        "《关于规范测试事项的通知》政策解读",
        Genre::Interpretation,
        Some(1),
        None,
    );
    interp.interprets_item_id = Some(docs[0]);
    let interpretation = store
        .items()
        .import(
            &actor,
            organ,
            &[imported(interp, date(2026, 3, 20))],
            "测试台账",
            &cal,
        )
        .await
        .unwrap()[0];
    let draft = store
        .items()
        .create(
            &actor,
            organ,
            &content("尚未发布的草稿", Genre::Notice, Some(2), None),
            &cal,
        )
        .await
        .unwrap()
        .id;
    Seeded {
        organ,
        docs,
        updates,
        interpretation,
        draft,
    }
}

/// How many item links a page has.
fn item_links(body: &str) -> usize {
    body.matches("<a href=\"/items/").count()
}

#[tokio::test]
async fn lists_filters_and_pagination() {
    each_backend(|app: TestApp| async move {
        let s = seed(app.store()).await;
        let mut b = app.browser();
        let o = s.organ;

        let col = b.get(&format!("/organs/{o}/proactive")).await;
        assert_eq!(col.status, StatusCode::OK);
        for text in [
            "行政法规、规章和规范性文件",
            "（十五）",
            TOPIC,
            "最新信息",
            "scope=\"row\"",
            "application/atom+xml",
            "查看全部 21 条",
        ] {
            assert!(col.body.contains(text), "column page lacks {text}");
        }
        assert!(!col.body.contains("尚未发布的草稿"));

        let p1 = b.get(&format!("/organs/{o}/items")).await;
        assert_eq!(p1.status, StatusCode::OK);
        assert!(p1.body.contains("第 1 / 2 页，共 21 条"), "{}", p1.body);
        assert_eq!(item_links(&p1.body), 20);
        assert!(p1.body.contains(&format!("href=\"/organs/{o}/items?page=2\"")));
        assert!(!p1.body.contains("尚未发布的草稿"));
        let p2 = b.get(&format!("/organs/{o}/items?page=2")).await;
        assert_eq!(p2.status, StatusCode::OK);
        assert!(p2.body.contains("第 2 / 2 页，共 21 条"));
        assert_eq!(item_links(&p2.body), 1);
        // Newest first: the oldest (2025-06-03) is the one line of page 2.
        assert!(p2.body.contains("测试工作动态第01条"));

        let art20 = b.get(&format!("/organs/{o}/items?art20=1")).await;
        assert!(art20.body.contains("共 6 条"), "{}", art20.body);
        assert!(art20.body.contains("测政规〔2026〕3号"));
        assert!(art20.body.contains("【失效】"));
        assert!(!art20.body.contains("测试工作动态"));

        let genre = b
            .get(&format!("/organs/{o}/items?genre=normative_document"))
            .await;
        assert!(genre.body.contains("共 5 条"));
        let both = b
            .get(&format!("/organs/{o}/items?art20=2&year=2025"))
            .await;
        assert!(both.body.contains("共 3 条"), "{}", both.body);
        assert!(both.body.contains("取消此条件"));
        let topic = b
            .get(&format!(
                "/organs/{o}/items?topic=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1%5C%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80&genre=%E6%94%BF%E7%AD%96%E8%A7%A3%E8%AF%BB"
            ))
            .await;
        assert!(topic.body.contains("共 1 条"), "{}", topic.body);

        for bad in [
            "page=abc",
            "page=0",
            "genre=nonsense",
            "art20=99",
            "year=abcd",
            "page=3",
        ] {
            let r = b.get(&format!("/organs/{o}/items?{bad}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(r.body.contains("查询条件有误"), "{bad}");
            assert!(r.body.contains("lang=\"zh-CN\""));
        }
        let r = b.get(&format!("/organs/{o}/items?page=abc")).await;
        assert!(r.body.contains("页码“abc”无效"));
        assert_eq!(
            b.get("/organs/999999/items").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            b.get("/organs/999999/proactive").await.status,
            StatusCode::NOT_FOUND
        );
        let home = b.get(&format!("/organs/{o}")).await;
        assert!(home.body.contains(&format!("/organs/{o}/feed.xml")));
        assert!(home.body.contains(&format!("href=\"/organs/{o}/items\"")));
        let guide = b.get("/guide/column").await;
        assert_eq!(guide.status, StatusCode::OK);
        assert!(guide.body.contains("索引号") && guide.body.contains("按条例第二十条分类"));
    })
    .await;
}

#[tokio::test]
async fn item_pages_show_the_catalogue_metadata() {
    each_backend(|app: TestApp| async move {
        let s = seed(app.store()).await;
        let mut b = app.browser();
        let doc = app.store().items().get(s.docs[2]).await.unwrap().unwrap();
        let index_no = doc.index_no.clone().unwrap();

        let r = b.get(&format!("/items/{}", s.docs[2])).await;
        assert_eq!(r.status, StatusCode::OK);
        for text in [
            "索引号",
            index_no.as_str(),
            "主题分类",
            TOPIC,
            "发布机构",
            "测试区政务服务管理局",
            "成文日期",
            "2026-03-02",
            "发布日期",
            "2026-03-13",
            "测政规〔2026〕3号",
            "有效性",
            "体裁分类",
            "行政规范性文件",
            "主题词",
            "公开渠道",
            "政府信息公开专栏、政务微信公众号",
            "<th scope=\"row\">文号</th>",
            "<p>关于规范测试事项的通知（之3）的正文。</p>",
            &format!("href=\"/organs/{}/proactive\"", s.organ),
        ] {
            assert!(r.body.contains(text), "item page lacks {text}");
        }

        let first = b.get(&format!("/items/{}", s.docs[0])).await;
        assert!(first.body.contains("政策解读"));
        assert!(
            first
                .body
                .contains(&format!("href=\"/items/{}\"", s.interpretation))
        );
        let interp = b.get(&format!("/items/{}", s.interpretation)).await;
        assert!(interp.body.contains("解读的文件"));
        assert!(
            interp
                .body
                .contains(&format!("href=\"/items/{}\"", s.docs[0]))
        );
        let expired = b.get(&format!("/items/{}", s.docs[4])).await;
        assert!(expired.body.contains("失效"));
        let update = b.get(&format!("/items/{}", s.updates[0])).await;
        assert!(
            update
                .body
                .contains("<th scope=\"row\">文号</th><td>无</td>")
        );

        let draft = b.get(&format!("/items/{}", s.draft)).await;
        assert_eq!(draft.status, StatusCode::NOT_FOUND);
        assert!(draft.body.contains("页面不存在"));
        assert_eq!(b.get("/items/99999999").await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            b.get(&format!("/items/{}/attachments/1", s.draft))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

/// Well-formed XML (quick-xml checks that end tags match).
fn assert_well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
}

#[tokio::test]
async fn feed_and_sitemap() {
    each_backend(|app: TestApp| async move {
        let s = seed(app.store()).await;
        let mut b = app.browser();
        let feed = b.get(&format!("/organs/{}/feed.xml", s.organ)).await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(
            feed.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/atom+xml")
        );
        assert_well_formed(&feed.body);
        assert!(
            feed.body
                .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"")
        );
        assert_eq!(feed.body.matches("<entry>").count(), 20);
        assert!(feed.body.contains("<title>测试工作动态第15条</title>"));
        assert!(feed.body.contains("测政规〔2026〕1号"));
        let host = app.url.trim_start_matches("http://");
        assert!(
            feed.body
                .contains(&format!("http://{host}/items/{}", s.updates[14])),
            "absolute links from the Host header"
        );
        assert!(!feed.body.contains("尚未发布的草稿"));
        assert_eq!(
            b.get("/organs/999999/feed.xml").await.status,
            StatusCode::NOT_FOUND
        );

        let map = b.get("/sitemap.xml").await;
        assert_eq!(map.status, StatusCode::OK);
        assert_well_formed(&map.body);
        assert!(map.body.contains("<urlset"));
        for id in s.docs.iter().chain(&s.updates).chain([&s.interpretation]) {
            assert!(
                map.body.contains(&format!("/items/{id}</loc>")),
                "sitemap lacks item {id}"
            );
        }
        assert!(!map.body.contains(&format!("/items/{}</loc>", s.draft)));
        assert!(
            map.body
                .contains(&format!("/organs/{}/proactive</loc>", s.organ))
        );
        let part = b.get("/sitemap-2.xml").await;
        assert_eq!(part.status, StatusCode::OK);
        assert_well_formed(&part.body);
        assert!(part.body.contains(&format!("/items/{}</loc>", s.docs[0])));
        assert_eq!(b.get("/sitemap-x.xml").await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// Downloads need the file on disk: a server of its own over a temporary data directory, with a
/// configured public address.
#[tokio::test]
async fn attachments_download_with_their_names() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("gongkai.db").display()
    );
    let store = Store::connect_with(
        &url,
        StoreOptions {
            max_connections: Some(5),
            clock: Arc::new(ManualClock::new(t0())),
        },
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let config = Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_owned(),
        public_url: Some("https://gk.example.gov.cn/".to_owned()),
        ..Config::default()
    };
    let server = App::build_with_store(config, store).await.unwrap();
    let store = server.store().clone();
    let s = seed(&store).await;

    let bytes = b"%PDF-1.4 test attachment".to_vec();
    let stored = gongkai_web::uploads::store_upload(
        &dir.path().join("uploads"),
        &bytes,
        gongkai_web::uploads::FileKind::Pdf,
    )
    .unwrap();
    let rights = EditorialRights {
        can_write: true,
        can_review: true,
    };
    let attachment = |item: i64| {
        let store = store.clone();
        let sha256 = stored.sha256.clone();
        async move {
            store
                .items()
                .add_attachment(
                    &Actor::system(),
                    item,
                    rights,
                    &NewAttachment {
                        file_name: "测试附件 2026.pdf".to_owned(),
                        media_type: "application/pdf".to_owned(),
                        sha256,
                        size_bytes: 24,
                        text: String::new(),
                    },
                )
                .await
                .unwrap()
        }
    };
    let on_doc = attachment(s.docs[1]).await;
    let on_draft = attachment(s.draft).await;

    let client = reqwest::Client::new();
    let base = server.url();
    let page = client
        .get(format!("{base}/items/{}", s.docs[1]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let href = format!("/items/{}/attachments/{on_doc}", s.docs[1]);
    assert!(page.contains(&href) && page.contains("测试附件 2026.pdf") && page.contains("字节"));

    let r = client.get(format!("{base}{href}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let cd = h["content-disposition"].to_str().unwrap();
    assert!(cd.starts_with("attachment; filename=\""), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''%E6%B5%8B%E8%AF%95%E9%99%84%E4%BB%B6%202026.pdf"),
        "{cd}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());

    for wrong in [
        format!("/items/{}/attachments/{on_draft}", s.draft),
        format!("/items/{}/attachments/{on_draft}", s.docs[1]),
        format!("/items/{}/attachments/{on_doc}", s.docs[0]),
    ] {
        let r = client.get(format!("{base}{wrong}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{wrong}");
    }

    let feed = client
        .get(format!("{base}/organs/{}/feed.xml", s.organ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        feed.contains(&format!(
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://gk.example.gov.cn/organs/{}/feed.xml\"/>",
            s.organ
        )),
        "{feed}"
    );
    server.shutdown().await.unwrap();
}
