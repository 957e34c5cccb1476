//! Many organs at once (issue 7): the reports of a district's organs built with a bounded number of
//! queries, and the district aggregate (汇总) — the government's tables as the sum of its own and
//! its subordinate organs', which the supervisor sees side by side with each organ's tables.
//!
//! [`build_reports`] gives for each organ exactly what [`crate::build_report`] gives (the same
//! pure assembly runs on the same records); only the reading is batched: one query per chunk of
//! organs for each kind of record, instead of six queries per organ.

use std::collections::{BTreeMap, BTreeSet};

use gongkai_calendar::Calendar;
use gongkai_report::aggregate::{self, Aggregate};
use gongkai_report::build::OtherFigures;
use gongkai_store::{Organ, Store};

use crate::{AnnualError, BuiltReport, OrganRecords, assemble};

/// The reports of `organ_ids` for `year`, one per distinct organ in the order given (a repeated
/// id is built once). `other` holds each organ's figures from other systems (table 二's 行政许可、
/// 处罚、强制 and fees); an organ without an entry gets [`OtherFigures::default`], as
/// [`crate::build_report`] would with it.
///
/// Fails with [`AnnualError::UnknownOrgan`] for the first id that is not an organ, and with the
/// first organ's error that [`crate::build_report`] would give.
pub async fn build_reports(
    store: &Store,
    calendar: &Calendar,
    organ_ids: &[i64],
    year: i32,
    other: &BTreeMap<i64, OtherFigures>,
) -> Result<Vec<BuiltReport>, AnnualError> {
    let mut seen = BTreeSet::new();
    let ids: Vec<i64> = organ_ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    let organs: BTreeMap<i64, Organ> = store
        .organs()
        .get_many(&ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    if let Some(missing) = ids.iter().find(|id| !organs.contains_key(id)) {
        return Err(AnnualError::UnknownOrgan(*missing));
    }
    let mut documents = store.items().report_documents_for(&ids).await?;
    let mut cases = store
        .applications()
        .report_cases_for(&ids, year, calendar)
        .await?;
    let mut tallies = store.challenges().tally_for(&ids, year).await?;
    let published = store.items().published_counts_for(&ids, year).await?;
    let mut channels = store.items().channel_counts_for(&ids, year).await?;
    let sites = store.items().site_split_for(&ids, year).await?;
    let mut fees = store.applications().fees_collected_for(&ids, year).await?;

    let no_figures = OtherFigures::default();
    let mut reports = Vec::with_capacity(ids.len());
    for (id, organ) in ids.iter().filter_map(|id| Some((id, organs.get(id)?))) {
        let records = OrganRecords {
            documents: documents.remove(id).unwrap_or_default(),
            cases: cases.remove(id).unwrap_or_default(),
            tally: tallies.remove(id).unwrap_or_default(),
            published_items: published.get(id).copied().unwrap_or(0),
            channels: channels.remove(id).unwrap_or_default(),
            site_split: sites.get(id).copied().unwrap_or_default(),
            fees: fees.remove(id).unwrap_or_default(),
        };
        let figures = other.get(id).unwrap_or(&no_figures);
        reports.push(assemble(organ, year, figures, records)?);
    }
    Ok(reports)
}

/// `organ_id` and every organ below it at any depth, by id (the organs a district aggregate
/// sums). Fails with [`AnnualError::UnknownOrgan`] if `organ_id` is not an organ.
pub async fn subordinates(store: &Store, organ_id: i64) -> Result<Vec<Organ>, AnnualError> {
    let organs = store.organs().subtree(organ_id).await?;
    if organs.is_empty() {
        return Err(AnnualError::UnknownOrgan(organ_id));
    }
    Ok(organs)
}

/// A district's year: each organ's report and their sum.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictReports {
    /// The reports of the organ and of every organ below it, by id.
    pub organs: Vec<BuiltReport>,
    /// The sum of their tables, under the name of the organ at the top.
    pub total: Aggregate,
}

/// The aggregate of `organ_id` for `year`: the reports of the organ and its
/// [`subordinates`], and their sum ([`gongkai_report::aggregate::sum`]).
pub async fn build_district(
    store: &Store,
    calendar: &Calendar,
    organ_id: i64,
    year: i32,
    other: &BTreeMap<i64, OtherFigures>,
) -> Result<DistrictReports, AnnualError> {
    let below = subordinates(store, organ_id).await?;
    let ids: Vec<i64> = below.iter().map(|o| o.id).collect();
    let organs = build_reports(store, calendar, &ids, year, other).await?;
    let parts: Vec<_> = organs.iter().map(|r| &r.tables).collect();
    let mut total = aggregate::sum(&parts);
    total.tables.organ = below
        .iter()
        .find(|o| o.id == organ_id)
        .map(|o| o.name.clone());
    Ok(DistrictReports { organs, total })
}
