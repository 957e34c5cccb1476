#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashSet};

use chrono::Datelike;
use gongkai_calendar::Calendar;
use gongkai_demo::{
    CHANNELS, DEPARTMENT_NAMES, DOMAINS, DemoItem, GENRES, TOPICS, XIMARKET_2023_INTERPRETED,
    XIMARKET_2023_UNINTERPRETED, interpreted_title, ximarket_2023,
};

fn items() -> Vec<DemoItem> {
    ximarket_2023(&Calendar::official())
}

fn is_late(cal: &Calendar, item: &DemoItem) -> bool {
    item.published_on > cal.add_working_days(item.formed_on, 20).unwrap()
}

#[test]
fn counts_match_the_annual_report() {
    let items = items();
    assert_eq!(items.len(), 348);
    let column: Vec<_> = items
        .iter()
        .filter(|i| i.channels.contains(&"column"))
        .collect();
    assert_eq!(column.len(), 20);
    assert!(column.iter().all(|i| i.genre != "work_update"));
    let updates: Vec<_> = items.iter().filter(|i| i.genre == "work_update").collect();
    assert_eq!(updates.len(), 328);
    for u in &updates {
        assert!(!u.channels.is_empty());
        assert!(
            u.channels
                .iter()
                .all(|c| *c == "media_app" || *c == "newspaper"),
            "{:?}",
            u.channels
        );
    }
    assert!(
        updates
            .iter()
            .any(|u| u.channels.contains(&"media_app") && u.channels.contains(&"newspaper"))
    );
    let column_genres: HashSet<_> = column.iter().map(|i| i.genre).collect();
    for g in [
        "institution",
        "personnel",
        "finance",
        "other_document",
        "interpretation",
        "notice",
    ] {
        assert!(column_genres.contains(g), "{g}");
    }
}

#[test]
fn titles_are_unique() {
    let items = items();
    let titles: HashSet<_> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles.len(), items.len());
}

#[test]
fn dates_are_working_days_of_2023_in_order() {
    let cal = Calendar::official();
    for i in items() {
        assert_eq!(i.formed_on.year(), 2023, "{}", i.title);
        assert_eq!(i.published_on.year(), 2023, "{}", i.title);
        assert!(
            cal.is_working_day(i.formed_on).unwrap(),
            "{} {}",
            i.title,
            i.formed_on
        );
        assert!(
            cal.is_working_day(i.published_on).unwrap(),
            "{} {}",
            i.title,
            i.published_on
        );
        assert!(i.published_on >= i.formed_on);
    }
}

#[test]
fn late_publications_are_few_and_clustered() {
    let cal = Calendar::official();
    let items = items();
    let late: Vec<_> = items.iter().filter(|i| is_late(&cal, i)).collect();
    assert!((8..=15).contains(&late.len()), "{} late", late.len());
    let months: HashSet<_> = late.iter().map(|i| i.formed_on.month()).collect();
    assert!(months.len() <= 3, "{months:?}");
    // Everything else within 10 working days.
    for i in items.iter().filter(|i| !is_late(&cal, i)) {
        assert!(
            cal.working_days_between(i.formed_on, i.published_on)
                .unwrap()
                <= 10
        );
    }
}

#[test]
fn fewer_updates_around_spring_festival_and_national_day() {
    let mut per_month = BTreeMap::new();
    for i in items().iter().filter(|i| i.genre == "work_update") {
        *per_month.entry(i.formed_on.month()).or_insert(0) += 1;
    }
    let avg = 328 / 12;
    assert!(per_month[&1] < avg, "{per_month:?}");
    assert!(per_month[&10] < avg, "{per_month:?}");
    assert!(per_month.values().all(|n| *n > 5), "{per_month:?}");
}

#[test]
fn the_interpretation_names_an_existing_document() {
    let items = items();
    // The 街道's 实施办法 are 其他文件: its 2023 report counts no 行政规范性文件 in table 二.
    assert!(!items.iter().any(|i| i.genre == "normative_document"));
    let normative: Vec<_> = items
        .iter()
        .filter(|i| i.genre == "other_document" && i.doc_no.is_some())
        .collect();
    assert!(normative.len() >= 2);
    assert!(normative.iter().all(|i| i.doc_no.is_some()));
    let interpreted: Vec<&str> = items
        .iter()
        .filter(|i| i.genre == "interpretation")
        .map(|i| interpreted_title(&i.title).expect("《…》政策解读"))
        .collect();
    assert!(!interpreted.is_empty());
    for t in &interpreted {
        let doc = normative
            .iter()
            .find(|n| n.title == *t)
            .expect("document exists");
        let interp = items
            .iter()
            .find(|i| interpreted_title(&i.title) == Some(t))
            .unwrap();
        assert!(interp.published_on >= doc.published_on);
    }
    assert!(interpreted.contains(&XIMARKET_2023_INTERPRETED));
    assert!(
        normative
            .iter()
            .any(|n| n.title == XIMARKET_2023_UNINTERPRETED)
    );
    assert!(!interpreted.contains(&XIMARKET_2023_UNINTERPRETED));
}

#[test]
fn doc_numbers_are_unique_and_well_formed() {
    let items = items();
    let mut seen = HashSet::new();
    for i in &items {
        if let Some(no) = &i.doc_no {
            assert!(
                no.starts_with("西市场办〔2023〕") && no.ends_with('号'),
                "{no}"
            );
            assert!(seen.insert(no.clone()), "duplicate {no}");
            assert!(matches!(
                i.genre,
                "normative_document" | "notice" | "other_document"
            ));
        }
    }
    assert!(seen.len() >= 4);
    assert!(
        items
            .iter()
            .filter(|i| i.genre == "work_update")
            .all(|i| i.doc_no.is_none())
    );
}

#[test]
fn keys_and_text_are_well_formed() {
    for i in items() {
        assert!(GENRES.contains(&i.genre));
        assert!(TOPICS.contains(&i.topic), "{}", i.topic);
        assert!(i.domain.is_none_or(|d| DOMAINS.contains(&d)));
        assert!(i.art20_item.is_none_or(|a| (1..=15).contains(&a)));
        assert!(!i.channels.is_empty() && i.channels.iter().all(|c| CHANNELS.contains(c)));
        assert!(DEPARTMENT_NAMES.contains(&i.department));
        assert!((1..=3).contains(&i.keywords.len()));
        assert!(
            (3..=6).contains(&i.body_paragraphs.len()),
            "{}: {}",
            i.title,
            i.body_paragraphs.len()
        );
        for p in &i.body_paragraphs {
            let n = p.chars().count();
            assert!((80..=250).contains(&n), "{}: {n} {p}", i.title);
        }
        for s in std::iter::once(&i.title)
            .chain([&i.summary])
            .chain(&i.body_paragraphs)
        {
            assert!(!s.contains('{') && !s.contains('}'), "{s}");
        }
        assert!(i.summary.ends_with('。'), "{}", i.summary);
    }
}

#[test]
fn old_estate_renovation_is_searchable_and_distinct_from_other_estate_items() {
    let items = items();
    let renovation: Vec<_> = items
        .iter()
        .filter(|i| i.title.contains("老旧小区改造"))
        .collect();
    assert!(renovation.len() >= 8, "{}", renovation.len());
    for i in &renovation {
        assert!(
            i.body_paragraphs.iter().any(|p| p.contains("老旧小区改造")),
            "{}",
            i.title
        );
    }
    let other_estate = items
        .iter()
        .filter(|i| {
            !i.title.contains("老旧小区改造")
                && !i.body_paragraphs.iter().any(|p| p.contains("老旧小区改造"))
                && (i.title.contains("小区")
                    || i.body_paragraphs.iter().any(|p| p.contains("小区")))
        })
        .count();
    assert!(other_estate >= 10, "{other_estate}");
    // The phrase never appears outside the renovation items.
    for i in items.iter().filter(|i| !i.title.contains("老旧小区改造")) {
        assert!(
            !i.body_paragraphs.iter().any(|p| p.contains("老旧小区改造")),
            "{}",
            i.title
        );
    }
}

#[test]
fn themes_are_varied() {
    let items = items();
    let topics: HashSet<_> = items.iter().map(|i| i.topic).collect();
    assert!(topics.len() >= 12, "{}", topics.len());
    let depts: HashSet<_> = items.iter().map(|i| i.department).collect();
    assert_eq!(depts.len(), 7);
    let updates: Vec<_> = items.iter().filter(|i| i.genre == "work_update").collect();
    let openers: HashSet<_> = updates
        .iter()
        .map(|i| i.body_paragraphs[0].as_str())
        .collect();
    assert!(openers.len() + 5 >= updates.len(), "{}", openers.len());
}

#[test]
fn deterministic() {
    assert_eq!(items(), items());
}

#[test]
fn an_empty_calendar_falls_back_to_weekdays() {
    let empty = Calendar::empty();
    let items = ximarket_2023(&empty);
    // Falls back to Monday–Friday.
    assert_eq!(items.len(), 348);
    assert!(items.iter().all(|i| i.published_on >= i.formed_on));
    assert!(items.iter().all(|i| i.formed_on.year() == 2023));
}

/// The 第二十条 item follows the subject: 社会救助 and 就业 under (十一) 社会保障、促进就业,
/// 防汛 under (十二) 突发公共事件, 安全/环境 checks under (十三) — not one item off.
#[test]
fn art20_items_match_the_words_of_the_regulation() {
    let items = gongkai_demo::ximarket_2023(&gongkai_calendar::Calendar::official());
    let mut checked = 0;
    for item in &items {
        let expected = match item.domain {
            Some("社会救助" | "就业" | "养老服务" | "退役军人服务") => 11,
            Some("救灾") => 12,
            Some("安全生产" | "生态环境" | "医疗卫生") => 13,
            _ => continue,
        };
        if !matches!(item.genre, "work_update" | "interpretation" | "notice") {
            continue; // documents are (一), statistics (四), budgets (七)…
        }
        if let Some(n) = item.art20_item {
            assert_eq!(n, expected, "{}（{:?}）", item.title, item.domain);
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} items checked");
}
