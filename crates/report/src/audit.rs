//! The auditor's verdict on one report: what the table reader found plus the whole check
//! catalogue, with last year's report when there is one.
//!
//! A batch audit (hundreds of reports) keeps each report only as an [`Audited`]: its tables, the
//! findings that need no other report, and the little that next year's report needs from it
//! (sections 一 and 五 for `X-COPY`). The document and its full text are dropped as soon as the
//! report has been read, so memory stays small per report.

use crate::checks::{CheckInput, OrganKind, cross_year, run_checks, sort_findings, structure};
use crate::extract::{Extraction, S_AMBIGUOUS};
use crate::finding::Finding;
use crate::model::{CellRef, ReportTables};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Facts about the report that are not in the document itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditOptions {
    pub organ_kind: Option<OrganKind>,
    pub published_on: Option<NaiveDate>,
    /// A local rule for the last day of publication.
    pub deadline: Option<NaiveDate>,
}

/// One report after the checks that need no other report. Serialisable, so that a batch can keep
/// it on disk until it is paired with the report of the year before or after.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Audited {
    pub tables: ReportTables,
    /// The reader's findings and every single-report check, errors first.
    pub findings: Vec<Finding>,
    /// Sections 一 and 五 only: what the cross-year comparison reads.
    cross_year_text: String,
}

/// Runs the reader's findings and every check that needs only this report.
pub fn audit_alone(extraction: Extraction, options: &AuditOptions) -> Audited {
    let unreadable: Vec<CellRef> = extraction
        .findings
        .iter()
        .filter(|f| f.check == S_AMBIGUOUS)
        .flat_map(|f| f.cells.iter().cloned())
        .collect();
    let mut input = CheckInput::new(&extraction.tables)
        .with_text(&extraction.text)
        .with_unreadable_cells(&unreadable);
    if let Some(kind) = options.organ_kind {
        input = input.with_organ_kind(kind);
    }
    if let Some(date) = options.published_on {
        input = input.with_published_on(date);
    }
    if let Some(date) = options.deadline {
        input = input.with_deadline(date);
    }
    let mut findings = extraction.findings.clone();
    findings.extend(run_checks(&input, None));
    sort_findings(&mut findings);
    let cross_year_text = cross_year_sections(&extraction.text);
    Audited {
        tables: extraction.tables,
        findings,
        cross_year_text,
    }
}

/// The cross-year findings (`X-*`) of `current` against `previous`, last year's report.
pub fn cross_year_findings(current: &Audited, previous: &Audited) -> Vec<Finding> {
    let current_input = CheckInput::new(&current.tables).with_text(&current.cross_year_text);
    let previous_input = CheckInput::new(&previous.tables).with_text(&previous.cross_year_text);
    cross_year::check(&current_input, &previous_input)
}

/// All findings for a report, errors first: the single-report ones plus, when last year's report
/// is given, the cross-year ones.
pub fn all_findings(current: &Audited, previous: Option<&Audited>) -> Vec<Finding> {
    let mut findings = current.findings.clone();
    if let Some(previous) = previous {
        findings.extend(cross_year_findings(current, previous));
        sort_findings(&mut findings);
    }
    findings
}

/// Sections 一 and 五 with their headings, so that the section finder reads them back.
fn cross_year_sections(text: &str) -> String {
    let bodies = structure::section_bodies(text);
    let mut kept = String::new();
    for k in [0usize, 4] {
        if let (Some(Some(body)), Some((numeral, title))) =
            (bodies.get(k), structure::SECTION_TITLES.get(k))
        {
            kept.push_str(&format!("{numeral}、{title}\n{body}\n"));
        }
    }
    kept
}

/// The organ (spaces removed) and year of a report: the key that pairs consecutive years.
pub fn organ_year(tables: &ReportTables) -> Option<(String, i32)> {
    let organ: String = tables
        .organ
        .as_ref()?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some((organ, tables.year?))
}

/// For each report, the index of last year's report of the same organ among `reports`, if any
/// (the first one, when a folder holds the same report twice, e.g. as HTML and as PDF).
pub fn pair_previous_years(reports: &[Option<(String, i32)>]) -> Vec<Option<usize>> {
    let mut first_of: HashMap<(&str, i32), usize> = HashMap::new();
    for (i, key) in reports.iter().enumerate() {
        if let Some((organ, year)) = key {
            first_of.entry((organ.as_str(), *year)).or_insert(i);
        }
    }
    reports
        .iter()
        .map(|key| {
            let (organ, year) = key.as_ref()?;
            first_of
                .get(&(organ.as_str(), year.checked_sub(1)?))
                .copied()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_consecutive_years_of_the_same_organ_only() {
        let k = |o: &str, y| Some((o.to_string(), y));
        let reports = vec![
            k("甲", 2022),
            k("乙", 2021),
            k("甲", 2021),
            None,
            k("甲", 2024),
        ];
        assert_eq!(
            pair_previous_years(&reports),
            vec![Some(2), None, None, None, None]
        );
    }

    #[test]
    fn the_kept_sections_are_found_again_by_the_section_finder() {
        let text = "一、总体情况\n今年我们做了很多工作，主动公开信息三百余条，依申请公开办理及时。\n二、主动公开政府信息情况\n表\n五、存在的主要问题及改进情况\n问题是人员变动频繁，培训不足，改进措施是加强培训。\n六、其他需要报告的事项\n无。";
        let kept = cross_year_sections(text);
        let bodies = structure::section_bodies(&kept);
        assert!(
            bodies[0]
                .as_deref()
                .unwrap_or("")
                .contains("主动公开信息三百余条")
        );
        assert!(bodies[4].as_deref().unwrap_or("").contains("培训不足"));
        assert!(!kept.contains("其他需要报告"));
    }
}
