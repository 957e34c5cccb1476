#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::Datelike;
use gongkai_calendar::Calendar;
use gongkai_demo::{DemoItem, GENRES, bulk, interpreted_title};

#[test]
fn yields_count_items_within_years_on_working_days() {
    let cal = Calendar::official();
    let items: Vec<_> = bulk(5_000, 7, 2021..=2024, &cal).collect();
    assert_eq!(items.len(), 5_000);
    for i in &items {
        assert!((2021..=2024).contains(&i.formed_on.year()));
        assert!((2021..=2024).contains(&i.published_on.year()));
        assert!(cal.is_working_day(i.formed_on).unwrap());
        assert!(cal.is_working_day(i.published_on).unwrap());
        assert!(i.published_on >= i.formed_on);
        assert!(!i.channels.is_empty());
        assert!(
            (3..=6).contains(&i.body_paragraphs.len()),
            "{} {}",
            i.genre,
            i.title
        );
        for p in &i.body_paragraphs {
            let n = p.chars().count();
            assert!((80..=250).contains(&n), "{} {n} {p}", i.genre);
            assert!(!p.contains('{'), "{p}");
        }
        assert!(!i.title.contains('{'), "{}", i.title);
    }
}

#[test]
fn all_genres_appear() {
    let cal = Calendar::official();
    let genres: HashSet<_> = bulk(5_000, 1, 2023..=2023, &cal).map(|i| i.genre).collect();
    for g in GENRES {
        assert!(genres.contains(g), "{g}");
    }
}

#[test]
fn titles_mostly_differ() {
    let cal = Calendar::official();
    let titles: HashSet<_> = bulk(10_000, 42, 2022..=2024, &cal)
        .map(|i| i.title)
        .collect();
    assert!(titles.len() >= 9_500, "{} unique", titles.len());
}

#[test]
fn doc_numbers_are_unique_per_year() {
    let cal = Calendar::official();
    let mut seen = HashSet::new();
    for i in bulk(20_000, 3, 2020..=2024, &cal) {
        if let Some(no) = i.doc_no {
            assert!(no.contains(&format!("〔{}〕", i.formed_on.year())), "{no}");
            assert!(seen.insert(no.clone()), "duplicate {no}");
        }
    }
    assert!(seen.len() > 100);
}

#[test]
fn interpretations_follow_their_documents() {
    let cal = Calendar::official();
    let items: Vec<_> = bulk(20_000, 9, 2023..=2024, &cal).collect();
    let mut normative: HashMap<&str, Vec<&DemoItem>> = HashMap::new();
    for i in items.iter().filter(|i| i.genre == "normative_document") {
        normative.entry(i.title.as_str()).or_default().push(i);
    }
    let mut n = 0;
    for i in items.iter().filter(|i| i.genre == "interpretation") {
        let docs = &normative[interpreted_title(&i.title).unwrap()];
        assert!(docs.iter().any(|d| i.published_on >= d.published_on));
        n += 1;
    }
    assert!(n > 50);
}

#[test]
fn deterministic_per_seed() {
    let cal = Calendar::official();
    let a: Vec<_> = bulk(500, 5, 2023..=2023, &cal).collect();
    let b: Vec<_> = bulk(500, 5, 2023..=2023, &cal).collect();
    let c: Vec<_> = bulk(500, 6, 2023..=2023, &cal).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn edge_cases_do_not_panic() {
    let cal = Calendar::official();
    assert_eq!(bulk(0, 1, 2023..=2023, &cal).count(), 0);
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = 2024..=2023;
    assert_eq!(bulk(10, 1, reversed, &cal).count(), 0);
    // A year the calendar does not know: Monday–Friday stands in.
    let far: Vec<_> = bulk(100, 1, 2099..=2099, &cal).collect();
    assert_eq!(far.len(), 100);
    assert!(far.iter().all(|i| i.published_on.year() == 2099));
    // More items than days.
    assert_eq!(bulk(2_000, 1, 2023..=2023, &cal).count(), 2_000);
}

#[test]
fn fast_enough() {
    let cal = Calendar::official();
    let start = Instant::now();
    let n = bulk(20_000, 11, 2015..=2024, &cal).count();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(n, 20_000);
    // ≥100k/s in release; debug builds (opt-level 0 for this crate) get a generous margin.
    let per_sec = n as f64 / secs;
    eprintln!("bulk: {per_sec:.0} items/s");
    assert!(per_sec > 10_000.0, "{per_sec:.0} items/s");
}
