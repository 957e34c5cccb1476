//! `gongkai demo-data --items N [--organs K]`: bulk demo items for benchmarks. Creates (if
//! missing) a demo 区 with K 街道, each with a valid invented 统一社会信用代码 and the usual 科室,
//! then imports [`gongkai_demo::bulk`] items in batches (one transaction and one audit entry per
//! batch, through `store.items().import`), spread over the 街道 in turn.

use anyhow::{Context, Result, bail};
use gongkai_store::{Actor, NewOrgan, Organ, OrganContact, OrganKind, Store};
use gongkai_web::demo::{code, ensure_departments, imported_item};
use std::path::Path;
use std::time::Instant;

use super::database;
use crate::cli::DemoDataArgs;

/// Credit code bodies (17 characters): 11 (机关) + 990100 (an invented division) + MB + serial.
fn code_body(serial: usize) -> String {
    format!("11990100MB{serial:07}")
}

async fn ensure_organ(
    store: &Store,
    serial: usize,
    name: String,
    kind: OrganKind,
    parent_id: Option<i64>,
) -> Result<Organ> {
    let credit_code = code(&code_body(serial))?;
    if let Some(organ) = store.organs().find_by_credit_code(&credit_code).await? {
        return Ok(organ);
    }
    Ok(store
        .organs()
        .create(
            &Actor::system(),
            &NewOrgan {
                parent_id,
                name,
                credit_code: Some(credit_code),
                kind,
                contact: OrganContact::default(),
            },
        )
        .await?)
}

fn parse_years(text: &str) -> Result<std::ops::RangeInclusive<i32>> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (Ok(a), Ok(b)) = (a.trim().parse::<i32>(), b.trim().parse::<i32>()) else {
        bail!("--years 的值“{text}”无效：应为“2019-2025”或“2023”这样的年份范围");
    };
    if a > b || a < 2008 {
        bail!("--years 的值“{text}”无效：起始年份应不早于 2008 年，且不晚于结束年份");
    }
    Ok(a..=b)
}

pub fn run(args: &DemoDataArgs, data_dir: Option<&Path>) -> Result<()> {
    if args.organs == 0 {
        bail!("--organs 至少为 1");
    }
    let years = parse_years(&args.years)?;
    let config = database::config(&args.db, data_dir)?;
    let calendar = crate::data_dir::load_calendar(&config.data_dir)?;
    database::runtime()?.block_on(async {
        let store = database::open(&config, true).await?;
        let result = generate(&store, args, years, &calendar).await;
        store.close().await;
        result
    })
}

async fn generate(
    store: &Store,
    args: &DemoDataArgs,
    years: std::ops::RangeInclusive<i32>,
    calendar: &gongkai_calendar::Calendar,
) -> Result<()> {
    let system = Actor::system();
    let district = ensure_organ(
        store,
        0,
        "演示区人民政府（基准测试）".to_owned(),
        OrganKind::Government,
        None,
    )
    .await?;
    let mut organs = Vec::new();
    for i in 1..=args.organs {
        let organ = ensure_organ(
            store,
            i,
            format!("演示区第{i}街道办事处（基准测试）"),
            OrganKind::Subdistrict,
            Some(district.id),
        )
        .await?;
        let departments =
            ensure_departments(store, &system, organ.id, &gongkai_demo::DEPARTMENT_NAMES).await?;
        organs.push((organ, departments));
    }
    println!(
        "演示区：{}（编号 {}），街道 {} 个；开始导入 {} 条信息，每批 {} 条……",
        district.name,
        district.id,
        organs.len(),
        args.items,
        args.batch
    );
    let started = Instant::now();
    let batch_size = args.batch.max(1);
    let mut generated = gongkai_demo::bulk(args.items, args.seed, years, calendar);
    let mut done = 0usize;
    let mut batch_no = 0usize;
    loop {
        let chunk: Vec<gongkai_demo::DemoItem> = generated.by_ref().take(batch_size).collect();
        if chunk.is_empty() {
            break;
        }
        let (organ, departments) = organs
            .get(batch_no % organs.len())
            .context("没有可导入的街道")?;
        let items = chunk
            .iter()
            .map(|d| imported_item(d, departments))
            .collect::<gongkai_store::Result<Vec<_>>>()?;
        let ids = store
            .items()
            .import(
                &system,
                organ.id,
                &items,
                &format!("基准测试数据（第 {} 批）", batch_no + 1),
                calendar,
            )
            .await?;
        done += ids.len();
        batch_no += 1;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "已导入 {done}/{} 条（{:.1} 秒，每秒 {:.0} 条）",
            args.items,
            secs,
            rate(done, secs)
        );
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "完成：共导入 {done} 条，{batch_no} 批，用时 {secs:.1} 秒，平均每秒 {:.0} 条",
        rate(done, secs)
    );
    Ok(())
}

fn rate(done: usize, secs: f64) -> f64 {
    if secs > 0.0 {
        // Counts far below 2^52: exact as f64.
        #[allow(clippy::cast_precision_loss)]
        let n = done as f64;
        n / secs
    } else {
        0.0
    }
}
