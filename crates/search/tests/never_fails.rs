#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Whatever a reader types, a search returns results or nothing: never an error or a panic,
//! and snippets never carry markup other than <mark>.

use gongkai_search::{SearchDoc, SearchIndex, SearchQuery};
use proptest::prelude::*;
use std::sync::OnceLock;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::in_memory().unwrap();
        let docs = [
            (
                "老旧小区改造工程进展",
                "推进老旧小区改造，<b>管网</b>更新 & 外墙保温。",
            ),
            (
                "关于开展人居环境整治的通知",
                "清理楼道堆放杂物，整治私搭乱建。ＡＢＣ１２３",
            ),
            (
                "五星支部创建",
                "\"引号\" “全角” 'single' <script>x</script>",
            ),
        ];
        let docs = docs.iter().enumerate().map(|(i, (title, body))| SearchDoc {
            item_id: i as i64,
            organ_id: 1,
            organ_name: "西市场街道办事处".into(),
            title: (*title).into(),
            body: (*body).into(),
            genre: "work_update".into(),
            validity: "valid".into(),
            year: 2023,
            published_at: "not a date".into(),
            ..SearchDoc::default()
        });
        index.rebuild(docs).unwrap();
        index
    })
}

fn check(text: &str) {
    let results = index()
        .search(&SearchQuery {
            text: text.to_string(),
            ..SearchQuery::default()
        })
        .unwrap();
    for hit in results.hits {
        for html in [&hit.title_html, &hit.snippet_html] {
            let stripped = html.replace("<mark>", "").replace("</mark>", "");
            assert!(!stripped.contains('<') && !stripped.contains('>'), "{html}");
        }
    }
}

proptest! {
    #[test]
    fn any_text(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn query_syntax_soup(parts in prop::collection::vec(prop::sample::select(vec![
        "\"", "“", "”", "「", "AND", "OR", "NOT", "-", "+", "(", ")", ":", "*", "~", "^", "\\",
        " ", "　", "老旧", "小区", "改造", "楼", "<b>", "&", "ＡＢＣ", "1", "年",
    ]), 0..40)) {
        check(&parts.concat());
    }
}
