#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Public behaviour of the search index: relevance, phrases, filters, snippets, writes, locking.

use gongkai_search::{SearchDoc, SearchError, SearchIndex, SearchQuery};

const XISHICHANG: i64 = 11;
const XISHICHANG_COMMUNITY: i64 = 12; // a 社区 under 西市场街道
const DISTRICT: i64 = 1;

#[allow(clippy::too_many_arguments)]
fn item(
    item_id: i64,
    organ_id: i64,
    title: &str,
    body: &str,
    genre: &str,
    validity: &str,
    year: i32,
    published_at: &str,
) -> SearchDoc {
    SearchDoc {
        item_id,
        organ_id,
        organ_name: match organ_id {
            XISHICHANG => "新华区西市场街道办事处".into(),
            XISHICHANG_COMMUNITY => "西市场街道胜利社区居委会".into(),
            _ => "新华区人民政府".into(),
        },
        title: title.into(),
        body: body.into(),
        attachments_text: String::new(),
        genre: genre.into(),
        validity: validity.into(),
        year,
        published_at: published_at.into(),
        index_no: None,
        doc_no: None,
    }
}

fn corpus() -> Vec<SearchDoc> {
    let mut docs = vec![
        item(
            1,
            XISHICHANG,
            "西市场街道2023年老旧小区改造工程进展",
            "今年以来，西市场街道扎实推进老旧小区改造工程，完成3个小区的管网更新、外墙保温和道路硬化，\
             惠及居民1200余户。下一步将继续做好老旧小区改造后续管理。",
            "work_update",
            "valid",
            2023,
            "2023-09-12T10:00:00+08:00",
        ),
        item(
            2,
            XISHICHANG,
            "关于开展人居环境整治的通知",
            "各社区：为改善辖区人居环境，街道决定开展人居环境整治专项行动，重点清理楼道堆放杂物、\
             整治私搭乱建。请各社区于本月底前上报整治情况。",
            "notice",
            "valid",
            2023,
            "2023-04-03T09:00:00+08:00",
        ),
        item(
            3,
            DISTRICT,
            "小区物业管理办法解读",
            "《新华区住宅小区物业管理办法》明确了小区业主委员会的职责、物业服务企业的义务以及小区公共收益的管理。\
             小区业主可以依法监督物业服务。小区内的公共设施由物业负责维护。",
            "interpretation",
            "valid",
            2022,
            "2022-11-20T15:30:00+08:00",
        ),
        item(
            4,
            XISHICHANG_COMMUNITY,
            "五星支部创建工作动态",
            "胜利社区党支部对标五星支部创建标准，开展组织生活、为民服务等活动，推动支部建设提质增效。",
            "work_update",
            "valid",
            2023,
            "2023-06-18T08:00:00+08:00",
        ),
        item(
            5,
            XISHICHANG,
            "街道召开城市更新工作推进会",
            "会议听取了老旧楼院情况汇报，部署了小区管网改造和背街小巷整治工作。会议指出，要把老旧设施更新放在重要位置。",
            "work_update",
            "valid",
            2023,
            "2023-08-01T16:00:00+08:00",
        ),
        item(
            6,
            DISTRICT,
            "新华区安全隐患排查治理办法",
            "为加强安全生产工作，规范安全隐患排查治理，制定本办法。本办法自2021年1月1日起施行。",
            "normative_document",
            "expired",
            2021,
            "2021-01-05T09:00:00+08:00",
        ),
        item(
            7,
            DISTRICT,
            "新华区安全隐患排查治理办法（修订）",
            "为进一步规范安全隐患排查治理，修订本办法。原办法同时废止。<script>alert('x')</script>",
            "normative_document",
            "valid",
            2023,
            "2023-02-10T09:00:00+08:00",
        ),
    ];
    docs[5].doc_no = Some("新政规〔2021〕1号".into());
    docs[5].index_no = Some("11130100MB0000000X/2021-00001".into());
    docs[6].doc_no = Some("新政规〔2023〕2号".into());
    docs
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    assert_eq!(index.rebuild(corpus().into_iter()).unwrap(), 7);
    index
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        limit: 20,
        ..SearchQuery::default()
    }
}

fn ids(index: &SearchIndex, query: &SearchQuery) -> Vec<i64> {
    index
        .search(query)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.item_id)
        .collect()
}

#[test]
fn whole_term_ranks_first_above_partial_mentions() {
    let index = index();
    let found = ids(&index, &q("老旧小区改造"));
    // The whole term first, then the item with 老旧, 小区 and 改造 apart; the item only
    // talking about 小区 is not a result while items with every part exist.
    assert_eq!(found, [1, 5], "{found:?}");
}

#[test]
fn when_no_item_has_every_part_items_with_some_parts_are_found_best_first() {
    let index = index();
    // No item mentions 验收: rather than nothing, the items with some of the parts, the one
    // with the whole 老旧小区改造 first.
    let found = ids(&index, &q("老旧小区改造验收"));
    assert_eq!(found.first(), Some(&1), "{found:?}");
    assert!(found.contains(&3) && found.contains(&5), "{found:?}");
    assert!(!found.contains(&4) && !found.contains(&6), "{found:?}");
}

#[test]
fn several_words_rank_documents_with_all_of_them_first() {
    let index = index();
    let found = ids(&index, &q("老旧 改造"));
    assert!(found.len() >= 2, "{found:?}");
    let mut top: Vec<i64> = found[..2].to_vec();
    top.sort_unstable();
    assert_eq!(top, vec![1, 5], "{found:?}");
}

#[test]
fn quoted_phrase_returns_only_exact_matches() {
    let index = index();
    assert_eq!(ids(&index, &q("\"老旧小区改造\"")), vec![1]);
    assert_eq!(ids(&index, &q("“老旧小区改造”")), vec![1]);
    // 老旧 and 改造 both occur in item 5, but not as the phrase.
    assert!(ids(&index, &q("“老旧改造”")).is_empty());
    // Phrase across a jieba word boundary still works (bigrams).
    assert_eq!(ids(&index, &q("“整治私搭”")), vec![2]);
}

#[test]
fn recall_for_substrings_jieba_cuts_differently() {
    let index = index();
    // 居环 is not a jieba word; the bigram field finds it.
    assert_eq!(ids(&index, &q("居环")), vec![2]);
    // A single character is found through the bigram prefix.
    assert!(ids(&index, &q("楼")).contains(&2));
    // 文号 and 索引号 are searchable.
    assert_eq!(ids(&index, &q("新政规〔2021〕1号")).first(), Some(&6));
    assert_eq!(ids(&index, &q("11130100MB0000000X/2021-00001")), vec![6]);
}

#[test]
fn filters_restrict_results() {
    let index = index();
    let subtree = SearchQuery {
        organ_ids: Some(vec![XISHICHANG, XISHICHANG_COMMUNITY]),
        ..q("")
    };
    let mut found = ids(&index, &subtree);
    found.sort_unstable();
    assert_eq!(found, vec![1, 2, 4, 5]);
    let nothing = SearchQuery {
        organ_ids: Some(vec![]),
        ..q("小区")
    };
    assert!(ids(&index, &nothing).is_empty());

    let genre = SearchQuery {
        genre: Some("normative_document".into()),
        ..q("安全隐患排查")
    };
    let mut found = ids(&index, &genre);
    found.sort_unstable();
    assert_eq!(found, vec![6, 7]);
    let valid = SearchQuery {
        validity: Some("valid".into()),
        ..genre.clone()
    };
    assert_eq!(ids(&index, &valid), vec![7]);
    let year = SearchQuery {
        year: Some(2021),
        ..genre
    };
    assert_eq!(ids(&index, &year), vec![6]);
    let year_only = SearchQuery {
        year: Some(2022),
        ..q("")
    };
    assert_eq!(ids(&index, &year_only), vec![3]);
}

#[test]
fn empty_query_lists_newest_first() {
    let index = index();
    let results = index.search(&q("  ")).unwrap();
    assert_eq!(results.total, 7);
    let found: Vec<i64> = results.hits.iter().map(|h| h.item_id).collect();
    assert_eq!(found, vec![1, 5, 4, 2, 7, 3, 6]);
    assert!(
        results
            .hits
            .iter()
            .all(|h| !h.snippet_html.contains("<mark>"))
    );
}

#[test]
fn snippets_mark_matches_and_escape_html() {
    let index = index();
    let results = index.search(&q("老旧小区改造")).unwrap();
    let top = &results.hits[0];
    assert_eq!(top.item_id, 1);
    assert!(
        top.title_html.contains("<mark>老旧小区改造</mark>"),
        "{}",
        top.title_html
    );
    assert!(
        top.snippet_html.contains("<mark>老旧小区改造</mark>"),
        "{}",
        top.snippet_html
    );
    assert_eq!(top.organ_name, "新华区西市场街道办事处");
    assert_eq!(top.published_at, "2023-09-12T10:00:00+08:00");

    let results = index.search(&q("修订")).unwrap();
    let hit = results.hits.iter().find(|h| h.item_id == 7).unwrap();
    assert!(
        !hit.snippet_html.contains("<script>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("&lt;script&gt;"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.title_html.contains("<mark>修订</mark>"),
        "{}",
        hit.title_html
    );
}

#[test]
fn markup_in_the_query_is_escaped_too() {
    let index = SearchIndex::in_memory().unwrap();
    let mut doc = corpus().remove(0);
    doc.body = "提示：<b>老旧小区</b>".into();
    index.upsert(&doc).unwrap();
    index.commit().unwrap();
    let results = index.search(&q("<b>老旧小区</b>")).unwrap();
    let hit = &results.hits[0];
    assert!(!hit.snippet_html.contains("<b>"), "{}", hit.snippet_html);
    assert!(
        hit.snippet_html
            .contains("<mark>&lt;b&gt;老旧小区&lt;/b&gt;</mark>"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn odd_input_never_errors() {
    let index = index();
    let junk: String = "\"(AND OR) -+ ||: [a TO b] ^2 ~ * ? \\ / “”「".repeat(60);
    for text in [
        "\"",
        "\"老旧小区",
        "AND",
        "OR 小区 AND",
        "- + !",
        "title:小区",
        "小区~2",
        "*",
        "？？？",
        "\u{0}\u{7}小区",
        junk.as_str(),
        &"政".repeat(2000),
    ] {
        let result = index.search(&q(text));
        assert!(result.is_ok(), "{text:?}: {result:?}");
    }
    assert!(ids(&index, &q("\"老旧小区")).contains(&1));
    assert_eq!(
        ids(&index, &q("title:小区")).len(),
        ids(&index, &q("title 小区")).len()
    );
    assert_eq!(index.search(&q("！！！")).unwrap().total, 0);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = index();
    let mut doc = corpus().remove(1);
    doc.title = "关于开展人居环境整治的通知（更正）".into();
    index.upsert(&doc).unwrap();
    index.upsert(&doc).unwrap();
    index.commit().unwrap();
    assert_eq!(index.len(), 7);
    let results = index.search(&q("人居环境整治")).unwrap();
    let versions: Vec<_> = results.hits.iter().filter(|h| h.item_id == 2).collect();
    assert_eq!(versions.len(), 1);
    assert!(versions[0].title_html.contains("更正"));
    assert_eq!(index.search(&q("“人居环境整治”")).unwrap().total, 1);

    index.delete(2).unwrap();
    index.commit().unwrap();
    assert_eq!(index.search(&q("“人居环境整治”")).unwrap().total, 0);
    assert!(!ids(&index, &q("人居环境整治")).contains(&2));
    assert_eq!(index.len(), 6);
    // Deleting an unknown id is harmless.
    index.delete(999).unwrap();
    index.commit().unwrap();
}

#[test]
fn rebuild_replaces_everything() {
    let index = index();
    let only = corpus().into_iter().filter(|d| d.item_id == 4);
    assert_eq!(index.rebuild(only).unwrap(), 1);
    assert_eq!(ids(&index, &q("")), vec![4]);
}

#[test]
fn paging() {
    let index = index();
    let page = |offset, limit| SearchQuery {
        offset,
        limit,
        ..q("")
    };
    let first = index.search(&page(0, 3)).unwrap();
    let second = index.search(&page(3, 3)).unwrap();
    let third = index.search(&page(6, 3)).unwrap();
    assert_eq!(first.total, 7);
    assert_eq!(second.total, 7);
    let all: Vec<i64> = [first, second, third]
        .iter()
        .flat_map(|r| r.hits.iter().map(|h| h.item_id))
        .collect();
    assert_eq!(all, vec![1, 5, 4, 2, 7, 3, 6]);
    // Relevance paging too.
    let a = ids(
        &index,
        &SearchQuery {
            limit: 1,
            ..q("小区")
        },
    );
    let b = ids(
        &index,
        &SearchQuery {
            offset: 1,
            limit: 1,
            ..q("小区")
        },
    );
    assert_eq!(a.len(), 1);
    assert_eq!(b.len(), 1);
    assert_ne!(a, b);
    // Limits are capped, absurd offsets are harmless.
    assert!(index.search(&page(0, 1_000_000)).is_ok());
    let deep = index.search(&page(usize::MAX, 10)).unwrap();
    assert_eq!(deep.total, 7);
    assert!(deep.hits.is_empty());
}

#[test]
fn single_writer_per_directory() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open_or_create(dir.path()).unwrap();
    first.rebuild(corpus().into_iter()).unwrap();
    match SearchIndex::open_or_create(dir.path()) {
        Err(SearchError::Locked(path)) => assert_eq!(path, dir.path()),
        other => panic!("expected Locked, got {other:?}"),
    }
    let message = SearchError::Locked(dir.path().to_path_buf()).to_string();
    assert!(message.contains("另一个进程"), "{message}");
    drop(first);
    // Reopening after the writer is gone finds the committed items.
    let again = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(again.len(), 7);
    assert_eq!(ids(&again, &q("五星支部")), vec![4]);
}

#[test]
fn index_is_shareable_between_request_handlers() {
    fn shareable<T: Send + Sync>() {}
    shareable::<SearchIndex>();
}

#[test]
fn writes_are_invisible_until_commit() {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(&corpus().remove(3)).unwrap();
    assert!(index.is_empty());
    assert_eq!(index.search(&q("五星支部")).unwrap().total, 0);
    index.commit().unwrap();
    assert_eq!(ids(&index, &q("五星支部")), vec![4]);
}

#[test]
fn an_index_from_another_schema_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut schema = tantivy::schema::Schema::builder();
    schema.add_text_field("other", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(dir.path(), schema.build()).unwrap();
    match SearchIndex::open_or_create(dir.path()) {
        Err(e @ SearchError::SchemaMismatch { .. }) => {
            assert!(e.to_string().contains("reindex"), "{e}");
        }
        other => panic!("expected SchemaMismatch, got {other:?}"),
    }
}
