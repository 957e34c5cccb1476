//! The dashboard page (table, totals, ranking, charts) and saving the scoring weights.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::supervision::{Measure, Series};

use super::columns::{COLUMNS, Dir, Links, Rendered, render_row, render_totals};
use super::period::{DashQuery, choose, quick_links};
use super::scoring::{CRITERIA, NEUTRAL, Weights, score_text};
use super::{Dashboard, LAW, base, load, period_query};
use crate::error::{AppError, AppResult};
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::svg_chart::{Bar, bar_chart};

pub(crate) struct Header {
    label: &'static str,
    href: String,
    /// `ascending` / `descending` on the sorted column, empty on the others.
    aria_sort: &'static str,
    /// The visible arrow of the sorted column.
    mark: &'static str,
    /// What a click does, for screen readers.
    action: &'static str,
}

struct QuickHref {
    label: String,
    href: String,
    current: bool,
}

struct RankLine {
    rank: usize,
    name: String,
    rates: Vec<String>,
    score: String,
}

struct CriterionLine {
    n: usize,
    key: &'static str,
    label: &'static str,
    rule: &'static str,
    weight: u32,
}

struct Point {
    label: String,
    value: i64,
}

struct Chart {
    title: String,
    svg: String,
    points: Vec<Point>,
}

#[derive(Template)]
#[template(path = "supervision.html")]
struct Page {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    from: String,
    to: String,
    report_year: i32,
    cut_to_today: bool,
    quick: Vec<QuickHref>,
    headers: Vec<Header>,
    rows: Vec<Vec<Rendered>>,
    totals: Vec<Rendered>,
    csv_href: String,
    xlsx_href: String,
    formula: String,
    neutral: f64,
    criteria: Vec<CriterionLine>,
    ranking: Vec<RankLine>,
    charts: Vec<Chart>,
}

fn headers(d: &Dashboard, organ_id: i64) -> Vec<Header> {
    COLUMNS
        .iter()
        .map(|c| {
            let current = d.sort.is_some_and(|s| s.key == c.key);
            // A click on the sorted column turns it round; on another column sorts it
            // ascending (the organ name) or descending (numbers: the largest first).
            let next = match (current, d.dir) {
                (true, Dir::Asc) => Dir::Desc,
                (true, Dir::Desc) => Dir::Asc,
                (false, _) if c.key == "organ" || c.key == "rank" => Dir::Asc,
                (false, _) => Dir::Desc,
            };
            Header {
                label: c.label,
                href: format!(
                    "{}?{}&sort={}&dir={}",
                    base(organ_id),
                    period_query(&d.chosen),
                    c.key,
                    next.key()
                ),
                aria_sort: match (current, d.dir) {
                    (false, _) => "",
                    (true, Dir::Asc) => "ascending",
                    (true, Dir::Desc) => "descending",
                },
                mark: match (current, d.dir) {
                    (false, _) => "",
                    (true, Dir::Asc) => " ▲",
                    (true, Dir::Desc) => " ▼",
                },
                action: match next {
                    Dir::Asc => "按此列升序排列",
                    Dir::Desc => "按此列降序排列",
                },
            }
        })
        .collect()
}

fn month_label(month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!("{y}年{}月", m.trim_start_matches('0')),
        None => month.to_owned(),
    }
}

fn chart(title: &str, unit: &str, series: &Series) -> Chart {
    let bars: Vec<Bar> = series
        .points
        .iter()
        .map(|p| Bar {
            label: month_label(&p.month),
            value: p.value,
        })
        .collect();
    Chart {
        title: title.to_owned(),
        svg: bar_chart(title, unit, &bars),
        points: bars
            .into_iter()
            .map(|b| Point {
                label: b.label,
                value: b.value,
            })
            .collect(),
    }
}

/// `GET /admin/organs/{organ_id}/supervision`.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<DashQuery>,
) -> AppResult<Html<String>> {
    let d = load(&state, organ_id, &q).await?;
    let base = base(organ_id);
    let links = Links {
        base: &base,
        period: &d.chosen.period,
    };
    let pq = period_query(&d.chosen);
    let sort_q = d
        .sort
        .map(|s| format!("&sort={}&dir={}", s.key, d.dir.key()))
        .unwrap_or_default();
    let mut ranked: Vec<&super::columns::OrganRow> = d.rows.iter().collect();
    ranked.sort_by_key(|r| (r.rank, r.position));
    let ranking = ranked
        .into_iter()
        .map(|r| RankLine {
            rank: r.rank,
            name: r.name.clone(),
            rates: r.rates.iter().map(|x| x.text()).collect(),
            score: score_text(r.score),
        })
        .collect();

    let ids: Vec<i64> = d.rows.iter().map(|r| r.organ_id).collect();
    let supervision = state.store().supervision();
    let period = &d.chosen.period;
    let mut charts = Vec::new();
    for (measure, title) in [
        (Measure::ItemsPublished, "每月公开的信息"),
        (Measure::ApplicationsReceived, "每月收到的申请"),
        (Measure::ApplicationsClosed, "每月办结的申请"),
        (Measure::ApplicationsOverdue, "每月月末逾期未答复的申请"),
    ] {
        let series = supervision.monthly(measure, &ids, period).await?;
        let unit = if measure == Measure::ItemsPublished {
            "条"
        } else {
            "件"
        };
        charts.push(chart(title, unit, &series));
    }

    let today = state.today();
    let page = Page {
        layout: Layout::admin(format!("监督保障看板：{}", d.organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW,
        organ_id,
        organ_name: d.organ.name.clone(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        report_year: d.chosen.report_year,
        cut_to_today: d.chosen.cut_to_today,
        quick: quick_links(today)
            .into_iter()
            .map(|l| QuickHref {
                current: l.from == period.from && l.to == period.to,
                href: format!("{base}?from={}&to={}", l.from, l.to),
                label: l.label,
            })
            .collect(),
        headers: headers(&d, organ_id),
        rows: d.rows.iter().map(|r| render_row(r, &links)).collect(),
        totals: render_totals(&d.totals, &links),
        csv_href: format!("{base}/export.csv?{pq}{sort_q}"),
        xlsx_href: format!("{base}/export.xlsx?{pq}{sort_q}"),
        formula: d.weights.formula(),
        neutral: NEUTRAL,
        criteria: CRITERIA
            .iter()
            .zip(d.weights.0)
            .enumerate()
            .map(|(i, (c, w))| CriterionLine {
                n: i + 1,
                key: c.key,
                label: c.label,
                rule: c.rule,
                weight: w,
            })
            .collect(),
        ranking,
        charts,
    };
    html(&page)
}

/// `POST /admin/organs/{organ_id}/supervision/weights`: saves the 考核 weights (audited) and
/// returns to the dashboard of the same period.
pub async fn save_weights(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Form(form): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let weights = Weights::parse_form(&form).map_err(AppError::BadRequest)?;
    // The period to come back to, checked like the page's own query.
    let q = DashQuery {
        from: form.get("from").cloned(),
        to: form.get("to").cloned(),
        year: form.get("year").cloned(),
        ..DashQuery::default()
    };
    let chosen = choose(&q, state.today())?;
    match state
        .store()
        .supervision()
        .save_weights(&user.actor(), organ_id, &weights.to_map())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?{}&ok=weights_saved#ranking",
            base(organ_id),
            period_query(&chosen)
        ))
        .into_response()),
        Err(e) if !e.is_internal() => Err(AppError::BadRequest(e.to_string())),
        Err(e) => Err(e.into()),
    }
}
