//! The aggregate (汇总) of an organ and all organs below it for one year: a government's report
//! can be the sum of itself and its subordinate organs. Each organ counts with its latest
//! published version (frozen); an organ that has not published counts with its report as built
//! now and is listed as not yet published, so the supervisor sees who is late. The page shows
//! the summed tables in the official layout and each organ's main figures side by side.

use std::collections::BTreeMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use gongkai_annual::snapshot::ReportSnapshot;
use gongkai_report::build::OtherFigures;
use gongkai_report::{CellValue, ReportTables, Table2, Table3Row};

use super::grid::{Grid, table_grids, value_text};
use super::{LAW_LINE, deadline, parse_year, report_url};
use crate::error::{AppError, AppResult};
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

/// The figures shown per organ: (heading, how to read it from the tables).
type Pick = fn(&ReportTables) -> CellValue;

fn t3(row: Table3Row) -> impl Fn(&ReportTables) -> CellValue {
    move |t: &ReportTables| {
        t.table3
            .as_ref()
            .and_then(|t3| t3.get(&row))
            .map_or(CellValue::Blank, |c| c.total.clone())
    }
}

fn columns() -> Vec<(&'static str, Pick)> {
    vec![
        ("本年新收", |t| t3(Table3Row::NewReceived)(t)),
        ("上年结转", |t| t3(Table3Row::CarriedOver)(t)),
        ("办理完毕", |t| t3(Table3Row::TotalProcessed)(t)),
        ("结转下年度", |t| t3(Table3Row::CarriedForward)(t)),
        ("行政规范性文件（现行有效）", |t| {
            match &t.table2 {
                Some(Table2::F2021(t2)) => t2.normative_documents.in_force.clone(),
                _ => CellValue::Blank,
            }
        }),
        ("行政复议（总计）", |t| {
            t.table4
                .as_ref()
                .map_or(CellValue::Blank, |t4| t4.reconsideration.total.clone())
        }),
        ("行政诉讼（总计）", |t| {
            t.table4.as_ref().map_or(CellValue::Blank, |t4| {
                match (
                    t4.litigation_direct.total.number(),
                    t4.litigation_after_reconsideration.total.number(),
                ) {
                    (Some(a), Some(b)) => CellValue::Number(a + b),
                    _ => CellValue::Blank,
                }
            })
        }),
    ]
}

pub struct OrganRow {
    pub name: String,
    pub href: String,
    pub state: String,
    pub published: bool,
    pub figures: Vec<String>,
}

#[derive(Template)]
#[template(path = "report_aggregate.html")]
struct AggregatePage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    year: i32,
    deadline: String,
    headings: Vec<&'static str>,
    total: Vec<String>,
    rows: Vec<OrganRow>,
    unpublished: Vec<String>,
    published_count: usize,
    grids: Vec<Grid>,
    problems: Vec<String>,
}

/// `GET …/reports/{year}/aggregate`.
pub async fn aggregate(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, year)): Path<(i64, String)>,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    let root = crate::pages::organs::load(&state, organ_id).await?;
    let root_name = root.name.clone();
    let root_kind = root.kind;
    let organs = match gongkai_annual::many::subordinates(state.store(), organ_id).await {
        Ok(organs) => organs,
        Err(gongkai_annual::AnnualError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(e.to_string())),
    };
    let ids: Vec<i64> = organs.iter().map(|o| o.id).collect();
    let store = state.store();

    // Published organs count with their frozen version.
    let published = store.annual_reports().latest_published(&ids, year).await?;
    let mut tables: BTreeMap<i64, ReportTables> = BTreeMap::new();
    let mut states: BTreeMap<i64, String> = BTreeMap::new();
    for (id, (version, json)) in &published {
        let snapshot = ReportSnapshot::from_json(json)
            .map_err(|e| AppError::Internal(format!("年度报告快照无法读取：{e}")))?;
        tables.insert(*id, snapshot.tables);
        states.insert(
            *id,
            format!("已发布第 {} 版（{}）", version.number, version.published_on),
        );
    }
    // The others with their report as built now, in one batch.
    let pending: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !published.contains_key(id))
        .collect();
    let mut others: BTreeMap<i64, OtherFigures> = BTreeMap::new();
    for id in &pending {
        if let Some(r) = store.annual_reports().get(*id, year).await? {
            others.insert(*id, gongkai_annual::workflow::other_figures(&r.figures));
        }
    }
    let mut problems = Vec::new();
    match gongkai_annual::many::build_reports(store, state.calendar(), &pending, year, &others)
        .await
    {
        Ok(built) => {
            for (id, b) in pending.iter().zip(built) {
                tables.insert(*id, b.tables);
                states.insert(*id, "未发布（按当前记录计算）".to_owned());
            }
        }
        Err(e) => problems.push(format!("未发布机关的报告无法生成：{e}")),
    }

    let parts: Vec<&ReportTables> = ids.iter().filter_map(|id| tables.get(id)).collect();
    let sum = gongkai_report::aggregate::sum(&parts);
    for cell in &sum.unsummed {
        problems.push(format!(
            "单元格 {cell} 有机关填写的不是数字，汇总中该格留空：请核对各机关的报告"
        ));
    }
    let mut total_tables = sum.tables;
    total_tables.organ = Some(format!("{root_name}（汇总）"));
    total_tables.year = Some(year);

    let picks = columns();
    let figures_of = |t: &ReportTables| -> Vec<String> {
        picks.iter().map(|(_, pick)| value_text(&pick(t))).collect()
    };
    let rows = organs
        .iter()
        .map(|o| OrganRow {
            name: o.name.clone(),
            href: report_url(o.id, year),
            state: states
                .get(&o.id)
                .cloned()
                .unwrap_or_else(|| "无法生成".to_owned()),
            published: published.contains_key(&o.id),
            figures: tables.get(&o.id).map(&figures_of).unwrap_or_default(),
        })
        .collect();
    let unpublished = organs
        .iter()
        .filter(|o| !published.contains_key(&o.id))
        .map(|o| o.name.clone())
        .collect();
    let page = AggregatePage {
        layout: Layout::admin(format!("{root_name}{year}年度报告汇总"), &user),
        law: LAW_LINE,
        organ_id,
        year,
        deadline: deadline(&state, root_kind, year).map_or_else(String::new, |d| d.to_string()),
        headings: picks.iter().map(|(h, _)| *h).collect(),
        total: figures_of(&total_tables),
        rows,
        unpublished,
        published_count: published.len(),
        grids: table_grids(&total_tables, &|_| None),
        problems,
        organ_name: root_name,
    };
    Ok(html(&page)?.into_response())
}
