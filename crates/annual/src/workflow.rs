//! The report as an organ works on it: built from the records with what the officer wrote
//! (narrative, figures from other systems, explanations), checked by the auditor's catalogue —
//! including the cross-year checks against last year's report — and moved through
//! draft → review → published. The gate is here, shared by the web and the command line:
//! errors block submission and publication, warnings need a written explanation (issue 7), the
//! figures from other systems must be entered and no passage may be left to write.

use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_report::build::OtherFigures;
use gongkai_report::checks::{CheckInput, OrganKind as CheckOrganKind, run_checks};
use gongkai_report::{Finding, ReportTables, Severity, Status};
use gongkai_store::{
    Actor, AnnualReport, OrganKind, ReportFigures, ReportVersion, Store, StoreError,
};

use crate::narrative::{self, unwritten};
use crate::snapshot::{ReportSnapshot, finding_key};
use crate::{AnnualError, BuiltReport, build_report};

/// Where last year's tables for the cross-year checks came from.
#[derive(Debug, Clone, PartialEq)]
pub enum PreviousSource {
    /// gongkai's own published report of last year (version number).
    Published(i64),
    /// Imported from a published file (its description).
    Imported(String),
}

/// A report ready to show: the stored draft (if opened), the snapshot it would publish now, and
/// what stands in the way of publishing.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub report: Option<AnnualReport>,
    pub snapshot: ReportSnapshot,
    pub previous: Option<(PreviousSource, ReportTables)>,
    /// Why the report cannot be submitted or published yet (empty: it can).
    pub blockers: Vec<String>,
}

impl Prepared {
    /// Warnings (failed, severity warning) with their explanation, if given.
    pub fn warnings(&self) -> Vec<(&Finding, String, Option<&String>)> {
        self.snapshot
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Warning && f.status == Status::Failed)
            .map(|f| {
                let key = finding_key(f);
                let explanation = self.snapshot.explanations.get(&key);
                (f, key, explanation)
            })
            .collect()
    }

    pub fn errors(&self) -> Vec<&Finding> {
        self.snapshot
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.status == Status::Failed)
            .collect()
    }
}

/// When the report is judged: the publication date (today while drafting: a report that would
/// be late must say why before review), and the local last day for 街道/乡镇 (month, day), which
/// 条例第四十九条 does not fix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timing {
    pub published_on: Option<NaiveDate>,
    pub grassroots_deadline: Option<(u32, u32)>,
}

/// The last day for publishing the report on `year` for an organ of `kind` (条例第四十九条:
/// 31 January; 31 March for 县级以上人民政府; 街道/乡镇 by the local rule when one is set).
pub fn deadline(
    kind: OrganKind,
    year: i32,
    grassroots_deadline: Option<(u32, u32)>,
) -> Option<NaiveDate> {
    let kind = check_kind(kind);
    match (kind, grassroots_deadline) {
        (CheckOrganKind::Grassroots, Some((month, day))) => {
            NaiveDate::from_ymd_opt(year.checked_add(1)?, month, day)
        }
        _ => kind.statutory_deadline(year),
    }
}

/// Where a year's report stands against its publication deadline (条例 Art 49; [`deadline`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Punctuality {
    /// Published on or before the last day (the day itself is in time, as D-PUBLISHED-LATE
    /// judges it), or published when no deadline is known.
    OnTime,
    /// Published after the last day.
    Late,
    /// Not published, and the last day has passed.
    Overdue,
    /// Not published, and the last day has not passed yet (or is not known).
    NotDue,
}

/// [`Punctuality`] of a report whose first version was published on `first_published_on` (a
/// later 更正 does not change when it was published), judged on `today`.
pub fn punctuality(
    deadline: Option<NaiveDate>,
    first_published_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Punctuality {
    match (first_published_on, deadline) {
        (Some(published), Some(last)) if published > last => Punctuality::Late,
        (Some(_), _) => Punctuality::OnTime,
        (None, Some(last)) if today > last => Punctuality::Overdue,
        (None, _) => Punctuality::NotDue,
    }
}

fn check_kind(kind: OrganKind) -> CheckOrganKind {
    match kind {
        OrganKind::Government => CheckOrganKind::Government,
        OrganKind::Subdistrict | OrganKind::Township => CheckOrganKind::Grassroots,
        OrganKind::Department | OrganKind::Other => CheckOrganKind::Department,
    }
}

/// The figures from other systems as table 二 prints them (not entered: 0).
pub fn other_figures(figures: &ReportFigures) -> OtherFigures {
    use gongkai_store::annual_reports::FigureKey;
    OtherFigures {
        licensing: figures.count(FigureKey::Licensing),
        penalty: figures.count(FigureKey::Penalty),
        coercion: figures.count(FigureKey::Coercion),
        fees_wan_yuan: figures.fees_wan_yuan(),
    }
}

/// Last year's tables: gongkai's own latest published version, else the imported ones.
async fn previous_tables(
    store: &Store,
    organ_id: i64,
    year: i32,
    report: Option<&AnnualReport>,
) -> Result<Option<(PreviousSource, ReportTables)>, AnnualError> {
    let last = store
        .annual_reports()
        .latest_published(&[organ_id], year - 1)
        .await?;
    if let Some((version, snapshot)) = last.get(&organ_id) {
        let snapshot = ReportSnapshot::from_json(snapshot)
            .map_err(|e| StoreError::Corrupt(format!("{}年度报告快照: {e}", year - 1)))?;
        return Ok(Some((
            PreviousSource::Published(version.number),
            snapshot.tables,
        )));
    }
    let Some(report) = report else {
        return Ok(None);
    };
    let Some(tables) = &report.previous_tables else {
        return Ok(None);
    };
    let tables: ReportTables = serde_json::from_value(tables.clone())
        .map_err(|e| StoreError::Corrupt(format!("导入的上年度报告表格: {e}")))?;
    Ok(Some((
        PreviousSource::Imported(report.previous_source.clone()),
        tables,
    )))
}

/// Builds the report of `organ_id` for `year` with everything stored for it, and checks it as
/// published at `timing`.
pub async fn prepare(
    store: &Store,
    calendar: &Calendar,
    organ_id: i64,
    year: i32,
    timing: Timing,
) -> Result<Prepared, AnnualError> {
    let published_on = timing.published_on;
    let organ = store
        .organs()
        .get(organ_id)
        .await?
        .ok_or(AnnualError::UnknownOrgan(organ_id))?;
    let report = store.annual_reports().get(organ_id, year).await?;
    let figures = report
        .as_ref()
        .map(|r| r.figures.clone())
        .unwrap_or_default();
    let built: BuiltReport =
        build_report(store, calendar, organ_id, year, &other_figures(&figures)).await?;
    let saved = report
        .as_ref()
        .map(|r| r.narrative.clone())
        .unwrap_or_default();
    let narrative = narrative::effective(&saved, &built);
    let previous = previous_tables(store, organ_id, year, report.as_ref()).await?;

    let title = format!("{}{}年政府信息公开工作年度报告", organ.name, year);
    let text = narrative::full_text(&title, &narrative);
    let mut current = CheckInput::new(&built.tables);
    current.text = Some(&text);
    current.organ_kind = Some(check_kind(organ.kind));
    current.published_on = published_on;
    current.deadline = deadline(organ.kind, year, timing.grassroots_deadline);
    let previous_input = previous.as_ref().map(|(_, t)| CheckInput::new(t));
    let findings = run_checks(&current, previous_input.as_ref());

    let explanations = report
        .as_ref()
        .map(|r| r.explanations.clone())
        .unwrap_or_default();
    let snapshot = ReportSnapshot {
        organ_id,
        organ: organ.name.clone(),
        year,
        version: None,
        published_on,
        tables: built.tables,
        narrative,
        cells: built.cells,
        findings,
        explanations,
        figures,
        facts: built.facts,
    };
    let mut prepared = Prepared {
        report,
        snapshot,
        previous,
        blockers: Vec::new(),
    };
    prepared.blockers = blockers(&prepared);
    Ok(prepared)
}

fn blockers(p: &Prepared) -> Vec<String> {
    let mut out = Vec::new();
    for f in p.errors() {
        out.push(format!("错误未改正：{}", f.message));
    }
    for (f, _, explanation) in p.warnings() {
        if explanation.is_none() {
            out.push(format!(
                "提示未说明：{}（请在“检查结果”中写明原因）",
                f.message
            ));
        }
    }
    for key in p.snapshot.figures.missing() {
        out.push(format!(
            "表二“{}”尚未填写：该数字来自其他业务系统，请填写（没有的填 0）并写明来源",
            key.label()
        ));
    }
    for section in unwritten(&p.snapshot.narrative) {
        out.push(format!(
            "正文“{section}”还有“{}”的内容：请写完并删去该标记",
            narrative::TO_WRITE
        ));
    }
    out
}

fn blocked(p: &Prepared) -> Result<(), AnnualError> {
    if p.blockers.is_empty() {
        Ok(())
    } else {
        Err(AnnualError::Blocked(p.blockers.clone()))
    }
}

/// The timing of a submission or publication today.
fn today(store: &Store, grassroots_deadline: Option<(u32, u32)>) -> (NaiveDate, Timing) {
    let today = store.today();
    (
        today,
        Timing {
            published_on: Some(today),
            grassroots_deadline,
        },
    )
}

/// Draft → review, when nothing blocks the report judged as published today.
/// `expected_version` is the draft the officer saw.
pub async fn submit(
    store: &Store,
    calendar: &Calendar,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    grassroots_deadline: Option<(u32, u32)>,
    expected_version: i64,
) -> Result<AnnualReport, AnnualError> {
    let (_, timing) = today(store, grassroots_deadline);
    let p = prepare(store, calendar, organ_id, year, timing).await?;
    let report = p.report.as_ref().ok_or(AnnualError::NotOpened(year))?;
    blocked(&p)?;
    // Keep the text that was checked: a draft never edited would otherwise be re-filled later
    // from records that may have changed.
    let mut report = report.clone();
    if report.narrative.is_empty() {
        report = store
            .annual_reports()
            .save_narrative(actor, report.id, &p.snapshot.narrative, expected_version)
            .await?;
    } else if report.version != expected_version {
        return Err(StoreError::StaleVersion {
            current: report.version,
        }
        .into());
    }
    Ok(store
        .annual_reports()
        .submit(actor, report.id, report.version)
        .await?)
}

/// In review → published today: the report is built and checked again (records may have
/// changed since it was submitted) and the snapshot frozen as the next version (its number and
/// date are the version row's, filled in when it is read: [`published`]).
pub async fn publish(
    store: &Store,
    calendar: &Calendar,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    grassroots_deadline: Option<(u32, u32)>,
    expected_version: i64,
) -> Result<(AnnualReport, ReportVersion), AnnualError> {
    let (today, timing) = today(store, grassroots_deadline);
    let p = prepare(store, calendar, organ_id, year, timing).await?;
    let report = p.report.as_ref().ok_or(AnnualError::NotOpened(year))?;
    blocked(&p)?;
    let snapshot = &p.snapshot;
    let json = serde_json::to_value(snapshot)
        .map_err(|e| StoreError::Corrupt(format!("年度报告快照: {e}")))?;
    Ok(store
        .annual_reports()
        .publish(actor, report.id, &json, today, expected_version)
        .await?)
}

/// The published version `number` (latest when `None`) of `organ_id`'s report for `year`.
pub async fn published(
    store: &Store,
    organ_id: i64,
    year: i32,
    number: Option<i64>,
) -> Result<Option<(ReportVersion, ReportSnapshot)>, AnnualError> {
    let Some(report) = store.annual_reports().get(organ_id, year).await? else {
        return Ok(None);
    };
    let number = match number {
        Some(n) => n,
        None => match store.annual_reports().versions(report.id).await?.last() {
            Some(v) => v.number,
            None => return Ok(None),
        },
    };
    let Some((version, json)) = store.annual_reports().snapshot(report.id, number).await? else {
        return Ok(None);
    };
    let mut snapshot = ReportSnapshot::from_json(&json)
        .map_err(|e| StoreError::Corrupt(format!("年度报告快照: {e}")))?;
    snapshot.version = Some(version.number);
    snapshot.published_on = Some(version.published_on);
    Ok(Some((version, snapshot)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    /// Art 49: the last day itself is in time; after it a published report is late and an
    /// unpublished one overdue; a later 更正 is not what is judged (the caller passes the first
    /// publication).
    #[test]
    fn punctuality_judges_the_first_publication_against_the_last_day() {
        let last = deadline(OrganKind::Department, 2025, None);
        assert_eq!(last, Some(d("2026-01-31")));
        let on =
            |published: Option<&str>, today: &str| punctuality(last, published.map(d), d(today));
        assert_eq!(on(Some("2026-01-31"), "2026-05-01"), Punctuality::OnTime);
        assert_eq!(on(Some("2026-02-01"), "2026-05-01"), Punctuality::Late);
        assert_eq!(on(None, "2026-01-31"), Punctuality::NotDue);
        assert_eq!(on(None, "2026-02-01"), Punctuality::Overdue);
        assert_eq!(
            punctuality(None, Some(d("2030-01-01")), d("2030-01-02")),
            Punctuality::OnTime
        );
        assert_eq!(
            punctuality(None, None, d("2030-01-02")),
            Punctuality::NotDue
        );
    }
}
