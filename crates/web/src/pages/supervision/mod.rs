//! 监督保障看板 (issue 8, "Dashboard"): for a period, one row per organ of the supervising organ's
//! subtree — items published and the Art 26 on-time share, 规章/规范性文件 without 政策解读,
//! applications received / closed / open / overdue / replied late, 复议/诉讼 cases and how many
//! were 纠正, the annual report's state — with a totals row, monthly charts, and the 考核 ranking
//! with the supervisor's weights. Every number links to the records it counts.
//!
//! Routes under `/admin/organs/{organ_id}/supervision`, all
//! [`Permission::Supervise`](crate::authz::Permission::Supervise) (the 监督员 and the 系统管理员
//! over their subtree). The counts come from `store.supervision()` — one grouped query per
//! measure and chunk of organs — and the drill-down lists from the same condition
//! (`gongkai_store::supervision`), so the number and the list cannot differ.

mod columns;
mod export;
mod period;
mod records;
mod report_state;
mod scoring;
mod show;

pub use export::{csv, xlsx};
pub use records::records;
pub use show::{save_weights, show};

use std::collections::BTreeMap;

use gongkai_store::Organ;
use gongkai_store::supervision::{Measure, Period};

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use columns::{Dir, OrganRow, Totals};
use period::{Chosen, DashQuery};
use scoring::Weights;

/// The legal line of the dashboard pages.
pub(crate) const LAW: &str = "《条例》第四十七条：政府信息公开工作主管部门应当加强对政府信息公开工作的日常指导和监督检查，对未按照要求开展工作的予以督促整改或者通报批评；第二十六条（20个工作日内公开）、第三十三条（答复期限）、第四十九条（年度报告）是本页各项指标的依据。";

pub(crate) fn base(organ_id: i64) -> String {
    format!("/admin/organs/{organ_id}/supervision")
}

/// Everything the page and the exports show.
pub(crate) struct Dashboard {
    pub organ: Organ,
    pub chosen: Chosen,
    pub rows: Vec<OrganRow>,
    pub totals: Totals,
    pub weights: Weights,
    pub sort: Option<&'static columns::Column>,
    pub dir: Dir,
}

/// The `from`/`to`/`year` part of every link of the page.
pub(crate) fn period_query(chosen: &Chosen) -> String {
    format!(
        "from={}&to={}&year={}",
        chosen.period.from, chosen.period.to, chosen.report_year
    )
}

async fn supervising_organ(state: &AppState, organ_id: i64) -> AppResult<Organ> {
    state
        .store()
        .organs()
        .get(organ_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The weights the supervising organ saved, or the defaults.
pub(crate) async fn weights_of(state: &AppState, organ_id: i64) -> AppResult<Weights> {
    Ok(state
        .store()
        .supervision()
        .weights(organ_id)
        .await?
        .map(|w| Weights::from_stored(&w.weights))
        .unwrap_or_default())
}

/// One row per organ of the subtree of `organ_id` (the organ first, then the organs below in the
/// store's subtree order), each measure read for all of them at once.
async fn load_rows(
    state: &AppState,
    subtree: &[Organ],
    period: &Period,
    report_year: i32,
    weights: Weights,
) -> AppResult<Vec<OrganRow>> {
    let ids: Vec<i64> = subtree.iter().map(|o| o.id).collect();
    let supervision = state.store().supervision();
    let counts = supervision.all_counts(&ids, period).await?;
    let reports = supervision.report_progress(&ids, report_year).await?;
    let today = state.today();
    let rectifications_overdue = state.store().inspections().overdue_for(&ids, today).await?;
    let mut rows = Vec::with_capacity(subtree.len());
    for (position, organ) in subtree.iter().enumerate() {
        let progress = reports.get(&organ.id);
        let deadline = crate::pages::reports::deadline(state, organ.kind, report_year);
        let report = report_state::classify(progress, deadline, today);
        let count = scoring::counter(&counts, organ.id);
        let rates = scoring::rates(&count, report);
        let mut row_counts = BTreeMap::new();
        for m in Measure::ALL {
            row_counts.insert(m, count(m));
        }
        rows.push(OrganRow {
            organ_id: organ.id,
            name: organ.name.clone(),
            position,
            counts: row_counts,
            report,
            report_href: if progress.is_some() {
                crate::pages::reports::report_url(organ.id, report_year)
            } else {
                format!("/admin/organs/{}/reports", organ.id)
            },
            rectifications_overdue: rectifications_overdue
                .get(&organ.id)
                .and_then(|n| i64::try_from(*n).ok())
                .unwrap_or(0),
            score: scoring::score(&rates, weights),
            rates,
            rank: 0,
        });
    }
    let ranks = scoring::ranks(&rows.iter().map(|r| r.score).collect::<Vec<_>>());
    for (row, rank) in rows.iter_mut().zip(ranks) {
        row.rank = rank;
    }
    Ok(rows)
}

/// Loads the dashboard of `organ_id` as `q` asks.
pub(crate) async fn load(state: &AppState, organ_id: i64, q: &DashQuery) -> AppResult<Dashboard> {
    let organ = supervising_organ(state, organ_id).await?;
    let chosen = period::choose(q, state.today())?;
    let subtree = state.store().organs().subtree(organ_id).await?;
    let weights = weights_of(state, organ_id).await?;
    let mut rows = load_rows(state, &subtree, &chosen.period, chosen.report_year, weights).await?;
    let totals = Totals::of(&rows);
    let sort = q.sort.as_deref().and_then(columns::column);
    let dir = Dir::parse(q.dir.as_deref());
    columns::sort(&mut rows, sort, dir);
    Ok(Dashboard {
        organ,
        chosen,
        rows,
        totals,
        weights,
        sort,
        dir,
    })
}
