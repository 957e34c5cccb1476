//! Issue 7 benchmark: building annual reports on a generated district of 1,000 organs and
//! 1,000,000 applications (this crate's library), on SQLite and PostgreSQL.
//!
//! Measures one organ's build (`build_report`, median and p95 over organs) and the district
//! aggregate (`build_reports` for all organs + `aggregate::sum`), with the time of each batched
//! store read, so that a missed target says where the time goes. Targets: < 200 ms per organ,
//! < 5 s for the aggregate.
//!
//! ```text
//! cargo bench -p gongkai-annual-bench --bench annual_report                       # SQLite
//! GONGKAI_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo bench -p gongkai-annual-bench --bench annual_report                     # SQLite and PG
//! ```
//!
//! The generated database is kept (SQLite: a file under the target directory; PostgreSQL: a
//! database named after the shape) and reused by the next run. `GONGKAI_BENCH_APPLICATIONS`
//! generates a smaller district for a quick run; `GONGKAI_BENCH_BACKENDS=sqlite|postgres` picks
//! one backend.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gongkai_annual::build_report;
use gongkai_annual::many::build_reports;
use gongkai_annual_bench as district;
use gongkai_annual_bench::Shape;
use gongkai_calendar::Calendar;
use gongkai_report::aggregate;
use gongkai_store::{ManualClock, Store, StoreOptions};
use sqlx::{AssertSqlSafe, Connection};

/// Bump when the generator changes, so a cached database of the old one is not reused.
const GENERATOR_VERSION: u32 = 2;

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    sqlx::any::install_default_drivers();
    let mut shape = Shape::ISSUE_7;
    if let Ok(n) = std::env::var("GONGKAI_BENCH_APPLICATIONS") {
        shape.applications = n.parse().expect("GONGKAI_BENCH_APPLICATIONS: a number");
    }
    let which = std::env::var("GONGKAI_BENCH_BACKENDS").unwrap_or_default();
    let pg = std::env::var("GONGKAI_BENCH_DATABASE_URL").ok();
    println!(
        "district: {} organs, {} applications, {} items and {} challenges per organ; year {}",
        shape.organs,
        shape.applications,
        shape.items_per_organ,
        shape.challenges_per_organ,
        district::YEAR
    );
    if which.is_empty() || which == "sqlite" {
        let store = sqlite_store(shape).await;
        measure("SQLite", &store).await;
    }
    if which.is_empty() || which == "postgres" {
        match pg {
            Some(url) => {
                let store = postgres_store(&url, shape).await;
                measure("PostgreSQL", &store).await;
            }
            None => println!("PostgreSQL: skipped (set GONGKAI_BENCH_DATABASE_URL)"),
        }
    }
}

fn name(shape: Shape) -> String {
    format!(
        "district_v{GENERATOR_VERSION}_{}_{}",
        shape.organs, shape.applications
    )
}

fn options() -> StoreOptions {
    StoreOptions {
        max_connections: Some(4),
        clock: Arc::new(ManualClock::new(district::today())),
    }
}

async fn generate(store: &Store, shape: Shape) {
    let started = Instant::now();
    store.migrate().await.unwrap();
    district::generate(store, &Calendar::official(), shape).await;
    println!("generated in {:.1} s", started.elapsed().as_secs_f64());
}

/// The cached SQLite file of `shape`, generated first if missing (a finished file is renamed
/// into place, so an interrupted generation is not reused).
async fn sqlite_store(shape: Shape) -> Store {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-annual");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.db", name(shape)));
    if !path.exists() {
        let partial = dir.join(format!("{}.partial.db", name(shape)));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
        }
        println!("SQLite: generating {} …", path.display());
        let url = format!("sqlite://{}?mode=rwc", partial.display());
        let store = Store::connect_with(&url, options()).await.unwrap();
        generate(&store, shape).await;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(store.raw_pool())
            .await
            .unwrap();
        store.close().await;
        std::fs::rename(&partial, &path).unwrap();
    }
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let store = Store::connect_with(&url, options()).await.unwrap();
    store.migrate().await.unwrap();
    store
}

/// The cached PostgreSQL database of `shape` on the server of `admin_url`.
async fn postgres_store(admin_url: &str, shape: Shape) -> Store {
    let db = name(shape);
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
    let url = format!(
        "{server}/{db}{}",
        query.map(|q| format!("?{q}")).unwrap_or_default()
    );
    let partial_marker = format!("{db}_partial");
    let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&db)
        .fetch_optional(&mut admin)
        .await
        .unwrap();
    if exists.is_none() {
        println!("PostgreSQL: generating database {db} …");
        for name in [&partial_marker, &db] {
            sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await
            .unwrap();
        }
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {partial_marker}")))
            .execute(&mut admin)
            .await
            .unwrap();
        let partial_url = url.replace(&format!("/{db}"), &format!("/{partial_marker}"));
        let store = Store::connect_with(&partial_url, options()).await.unwrap();
        generate(&store, shape).await;
        store.close().await;
        sqlx::raw_sql(AssertSqlSafe(format!(
            "ALTER DATABASE {partial_marker} RENAME TO {db}"
        )))
        .execute(&mut admin)
        .await
        .unwrap();
    }
    admin.close().await.unwrap();
    let store = Store::connect_with(&url, options()).await.unwrap();
    store.migrate().await.unwrap();
    sqlx::raw_sql("ANALYZE")
        .execute(store.raw_pool())
        .await
        .unwrap();
    store
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = (p * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn measure(backend: &str, store: &Store) {
    let calendar = Calendar::official();
    let organs: Vec<i64> = sqlx::query_scalar("SELECT id FROM organs ORDER BY id")
        .fetch_all(store.raw_pool())
        .await
        .unwrap();
    let year = district::YEAR;
    let none = BTreeMap::new();

    // One organ's year: every 5th organ (the government, 局 and 街道 alike), after a warm-up.
    let sample: Vec<i64> = organs.iter().copied().step_by(5).collect();
    for id in sample.iter().take(10) {
        build_report(store, &calendar, *id, year, &Default::default())
            .await
            .unwrap();
    }
    let mut times = Vec::with_capacity(sample.len());
    let mut slowest = (Duration::ZERO, 0, 0);
    for id in &sample {
        let started = Instant::now();
        let built = build_report(store, &calendar, *id, year, &Default::default())
            .await
            .unwrap();
        let took = started.elapsed();
        times.push(took);
        if took > slowest.0 {
            let cases = built
                .cells
                .iter()
                .filter(|(c, _)| c.0.starts_with("table3.") && c.0.ends_with(".total"))
                .filter(|(c, _)| c.0.contains("new_received") || c.0.contains("carried_over"))
                .map(|(_, ids)| ids.len())
                .sum();
            slowest = (took, *id, cases);
        }
    }
    times.sort();
    println!(
        "{backend}: one organ (build_report, {} organs): median {:.1} ms, p95 {:.1} ms, max {:.1} ms \
         (organ {}, {} cases in the year)",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(slowest.0),
        slowest.1,
        slowest.2
    );

    // The district: every organ's report and the sum, three runs.
    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let built = build_reports(store, &calendar, &organs, year, &none)
            .await
            .unwrap();
        let built_at = started.elapsed();
        let parts: Vec<_> = built.iter().map(|r| &r.tables).collect();
        let total = aggregate::sum(&parts);
        let took = started.elapsed();
        assert!(total.unsummed.is_empty());
        runs.push((took, built_at));
    }
    runs.sort();
    let (total, reports) = runs[runs.len() / 2];
    println!(
        "{backend}: district of {} organs (build_reports + sum): median {:.2} s \
         (build_reports {:.2} s, sum {:.1} ms); runs: {}",
        organs.len(),
        total.as_secs_f64(),
        reports.as_secs_f64(),
        ms(total - reports),
        runs.iter()
            .map(|(t, _)| format!("{:.2} s", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Where the district's time goes: each batched read alone.
    let started = Instant::now();
    let cases = store
        .applications()
        .report_cases_for(&organs, year, &calendar)
        .await
        .unwrap();
    let cases_took = started.elapsed();
    let n: usize = cases.values().map(Vec::len).sum();
    let started = Instant::now();
    store.items().report_documents_for(&organs).await.unwrap();
    store
        .items()
        .published_counts_for(&organs, year)
        .await
        .unwrap();
    store
        .items()
        .channel_counts_for(&organs, year)
        .await
        .unwrap();
    store.items().site_split_for(&organs, year).await.unwrap();
    let items_took = started.elapsed();
    let started = Instant::now();
    store.challenges().tally_for(&organs, year).await.unwrap();
    let tally_took = started.elapsed();
    let started = Instant::now();
    store
        .applications()
        .fees_collected_for(&organs, year)
        .await
        .unwrap();
    let fees_took = started.elapsed();
    // The pure part: each organ's report assembled from its records (reading them again, then
    // subtracting that reading).
    let started = Instant::now();
    build_reports(store, &calendar, &organs, year, &none)
        .await
        .unwrap();
    let all_took = started.elapsed();
    println!(
        "{backend}:   reads: report_cases_for {:.2} s ({n} cases), items {:.1} ms, tally {:.1} ms, \
         fees {:.1} ms; the rest of build_reports (assembly, checks) ≈ {:.2} s",
        cases_took.as_secs_f64(),
        ms(items_took),
        ms(tally_took),
        ms(fees_took),
        all_took
            .saturating_sub(cases_took + items_took + tally_took + fees_took)
            .as_secs_f64()
    );
    dashboard(backend, store, &organs).await;
}

/// Issue 8: the supervision dashboard's store reads over the whole district (1,000 organs) for
/// the report year as the period — every measure's grouped counts, the report states, the
/// overdue rectifications and the four monthly series the page draws — median of three.
async fn dashboard(backend: &str, store: &Store, organs: &[i64]) {
    use gongkai_store::supervision::{Measure, Period};
    let period = Period {
        from: chrono::NaiveDate::from_ymd_opt(district::YEAR, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(district::YEAR, 12, 31).unwrap(),
    };
    let today = store.today();
    let supervision = store.supervision();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        supervision.all_counts(organs, &period).await.unwrap();
        supervision
            .report_progress(organs, district::YEAR)
            .await
            .unwrap();
        store
            .inspections()
            .overdue_for(organs, today)
            .await
            .unwrap();
        let table = started.elapsed();
        for measure in [
            Measure::ItemsPublished,
            Measure::ApplicationsReceived,
            Measure::ApplicationsClosed,
            Measure::ApplicationsOverdue,
        ] {
            supervision.monthly(measure, organs, &period).await.unwrap();
        }
        runs.push((started.elapsed(), table));
    }
    runs.sort();
    let (total, table) = runs[runs.len() / 2];
    println!(
        "{backend}: supervision dashboard reads, {} organs, year {}: median {:.2} s \
         (table {:.2} s, monthly charts {:.2} s); runs: {}",
        organs.len(),
        district::YEAR,
        total.as_secs_f64(),
        table.as_secs_f64(),
        (total - table).as_secs_f64(),
        runs.iter()
            .map(|(t, _)| format!("{:.2} s", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
