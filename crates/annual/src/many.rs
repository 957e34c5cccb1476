//! TEMPORARY (lead's placeholder until the aggbench branch lands): one build per organ.
use std::collections::BTreeMap;

use gongkai_calendar::Calendar;
use gongkai_report::build::OtherFigures;
use gongkai_store::Store;

use crate::{AnnualError, BuiltReport, build_report};

pub async fn build_reports(
    store: &Store,
    calendar: &Calendar,
    organ_ids: &[i64],
    year: i32,
    other: &BTreeMap<i64, OtherFigures>,
) -> Result<Vec<BuiltReport>, AnnualError> {
    let mut out = Vec::new();
    for id in organ_ids {
        let o = other.get(id).cloned().unwrap_or_default();
        out.push(build_report(store, calendar, *id, year, &o).await?);
    }
    Ok(out)
}
