#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Search latency and rebuild throughput on generated 政务 items.
//!
//! Run: `cargo bench -p gongkai-search --bench search` (N from `GONGKAI_SEARCH_BENCH_ITEMS`,
//! default 10,000; the 100,000-item reindex target is checked with
//! `GONGKAI_SEARCH_BENCH_ITEMS=100000`). Besides criterion's estimates it prints rebuild items/s
//! and per-query p50/p95 from a plain loop. Figures go to docs/performance.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use gongkai_search::{IndexOptions, SearchDoc, SearchIndex, SearchQuery};

/// Deterministic xorshift: the same corpus on every run and machine, no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = (self.next() % items.len() as u64) as usize;
        items.get(i).copied().unwrap_or("")
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const ORGANS: &[&str] = &[
    "新华区西市场街道办事处",
    "新华区东焦街道办事处",
    "新华区人民政府办公室",
    "新华区住房和城乡建设局",
    "新华区应急管理局",
    "新华区民政局",
    "新华区生态环境分局",
    "新华区教育局",
];
const TOPICS: &[&str] = &[
    "老旧小区改造",
    "人居环境整治",
    "五星支部创建",
    "安全隐患排查",
    "垃圾分类",
    "养老服务",
    "就业创业",
    "疫情防控",
    "营商环境",
    "物业管理",
    "河长制",
    "文明城市创建",
    "政府信息公开",
    "依申请公开",
    "行政规范性文件清理",
    "防汛抗旱",
    "燃气安全",
    "乡村振兴",
];
const TITLE_TEMPLATES: &[&str] = &[
    "关于开展{}工作的通知",
    "{}工作动态",
    "关于印发{}实施方案的通知",
    "{}政策解读",
    "街道召开{}推进会",
    "{}专项行动进展情况",
    "关于{}有关事项的公告",
];
const SUBJECTS: &[&str] = &[
    "街道党工委",
    "各社区居委会",
    "网格员",
    "物业服务企业",
    "区住建局",
    "志愿服务队",
    "辖区居民",
    "包联干部",
];
const ACTIONS: &[&str] = &[
    "深入开展",
    "扎实推进",
    "全面部署",
    "持续做好",
    "认真落实",
    "统筹协调",
    "督促检查",
];
const DETAILS: &[&str] = &[
    "完成管网更新和外墙保温",
    "清理楼道堆放杂物",
    "排查燃气管道和消防通道",
    "走访困难群众和独居老人",
    "规范公共收益管理",
    "畅通群众获取政府信息渠道",
    "建立问题台账并限期整改",
    "开展政策宣传和业务培训",
    "落实河道日常巡查制度",
    "提升为民服务水平",
];
const TAILS: &[&str] = &[
    "惠及居民1200余户",
    "群众满意度明显提升",
    "下一步将继续巩固成果",
    "确保各项工作落到实处",
    "形成长效管理机制",
];
const GENRES: &[&str] = &[
    "work_update",
    "notice",
    "normative_document",
    "interpretation",
    "annual_report",
];
const VALIDITY: &[&str] = &["valid", "valid", "valid", "expired", "repealed"];

fn sentence(rng: &mut Rng, topic: &str) -> String {
    format!(
        "{}{}{}工作，{}，{}。",
        rng.pick(SUBJECTS),
        rng.pick(ACTIONS),
        if rng.below(3) == 0 {
            rng.pick(TOPICS)
        } else {
            topic
        },
        rng.pick(DETAILS),
        rng.pick(TAILS)
    )
}

fn generate(n: usize) -> Vec<SearchDoc> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let topic = rng.pick(TOPICS);
            let title = rng.pick(TITLE_TEMPLATES).replace("{}", topic);
            // 15–45 sentences: about 500–1,600 characters, like a 工作动态 or a short 通知.
            let sentences = 15 + rng.below(31);
            let body: String = (0..sentences).map(|_| sentence(&mut rng, topic)).collect();
            let attachments_text = if rng.below(5) == 0 {
                (0..20).map(|_| sentence(&mut rng, topic)).collect()
            } else {
                String::new()
            };
            let organ = rng.below(ORGANS.len() as u64);
            let year = 2019 + rng.below(6) as i32;
            let month = 1 + rng.below(12);
            let day = 1 + rng.below(28);
            SearchDoc {
                item_id: i as i64 + 1,
                organ_id: organ as i64 + 1,
                organ_name: ORGANS
                    .get(organ as usize)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                title,
                body,
                attachments_text,
                genre: rng.pick(GENRES).to_string(),
                validity: rng.pick(VALIDITY).to_string(),
                year,
                published_at: format!("{year}-{month:02}-{day:02}T09:00:00+08:00"),
                index_no: Some(format!("11130100MB0000000X/{year}-{:05}", i + 1)),
                doc_no: None,
            }
        })
        .collect()
}

fn items() -> usize {
    std::env::var("GONGKAI_SEARCH_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn queries() -> Vec<(&'static str, SearchQuery)> {
    let q = |text: &str| SearchQuery {
        text: text.to_string(),
        limit: 20,
        ..SearchQuery::default()
    };
    vec![
        ("word", q("老旧小区改造")),
        ("two_words", q("燃气 安全隐患")),
        ("phrase", q("“清理楼道堆放杂物”")),
        ("single_char", q("楼")),
        (
            "filtered",
            SearchQuery {
                organ_ids: Some(vec![1, 2]),
                year: Some(2023),
                genre: Some("work_update".into()),
                ..q("人居环境整治")
            },
        ),
        ("newest", q("")),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let n = items();
    let docs = generate(n);
    let chars: usize = docs
        .iter()
        .map(|d| {
            d.title.chars().count() + d.body.chars().count() + d.attachments_text.chars().count()
        })
        .sum();
    let dir = tempfile::tempdir().expect("temp dir");
    let index =
        SearchIndex::open_or_create_with(dir.path(), IndexOptions::default()).expect("index");

    let start = Instant::now();
    let count = index.rebuild(docs.iter().cloned()).expect("rebuild");
    let elapsed = start.elapsed();
    println!(
        "rebuild: {count} items ({:.1} M chars) in {:.2} s = {:.0} items/s, {:?}",
        chars as f64 / 1e6,
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        IndexOptions::default()
    );

    for (name, query) in queries() {
        let mut times: Vec<Duration> = (0..200)
            .map(|_| {
                let t = Instant::now();
                black_box(index.search(&query).expect("search"));
                t.elapsed()
            })
            .collect();
        times.sort_unstable();
        let total = index.search(&query).map(|r| r.total).unwrap_or(0);
        println!(
            "query {name}: p50 {:.2} ms, p95 {:.2} ms ({total} matches)",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3
        );
    }

    let mut group = c.benchmark_group("search");
    for (name, query) in queries() {
        group.bench_function(name, |b| b.iter(|| index.search(black_box(&query))));
    }
    group.finish();

    // Rebuild of a small slice, for regression tracking (the full one is timed above).
    let slice: Vec<SearchDoc> = docs.iter().take(1_000).cloned().collect();
    let mut group = c.benchmark_group("rebuild");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Elements(slice.len() as u64));
    group.bench_function("1000_items", |b| {
        b.iter(|| index.rebuild(slice.iter().cloned()).expect("rebuild"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
