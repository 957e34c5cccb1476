//! The auditor's verdict on one report: what the table reader found plus the whole check
//! catalogue, with last year's report when there is one.

use crate::checks::{CheckInput, OrganKind, run_checks, sort_findings};
use crate::extract::{Extraction, S_AMBIGUOUS};
use crate::finding::Finding;
use crate::model::CellRef;
use chrono::NaiveDate;

/// Facts about the report that are not in the document itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditOptions {
    pub organ_kind: Option<OrganKind>,
    pub published_on: Option<NaiveDate>,
    /// A local rule for the last day of publication.
    pub deadline: Option<NaiveDate>,
}

/// All findings for `current`, errors first. `previous` is last year's report of the same organ.
pub fn audit(
    current: &Extraction,
    previous: Option<&Extraction>,
    options: &AuditOptions,
) -> Vec<Finding> {
    let unreadable = unreadable_cells(current);
    let input = check_input(current, &unreadable, options);
    let previous_unreadable = previous.map(unreadable_cells).unwrap_or_default();
    let previous_input =
        previous.map(|p| check_input(p, &previous_unreadable, &AuditOptions::default()));
    let mut findings = current.findings.clone();
    findings.extend(run_checks(&input, previous_input.as_ref()));
    sort_findings(&mut findings);
    findings
}

fn unreadable_cells(extraction: &Extraction) -> Vec<CellRef> {
    extraction
        .findings
        .iter()
        .filter(|f| f.check == S_AMBIGUOUS)
        .flat_map(|f| f.cells.iter().cloned())
        .collect()
}

fn check_input<'a>(
    extraction: &'a Extraction,
    unreadable: &'a [CellRef],
    options: &AuditOptions,
) -> CheckInput<'a> {
    let mut input = CheckInput::new(&extraction.tables)
        .with_text(&extraction.text)
        .with_unreadable_cells(unreadable);
    if let Some(kind) = options.organ_kind {
        input = input.with_organ_kind(kind);
    }
    if let Some(date) = options.published_on {
        input = input.with_published_on(date);
    }
    if let Some(date) = options.deadline {
        input = input.with_deadline(date);
    }
    input
}

/// The organ (spaces removed) and year of a report: the key that pairs consecutive years.
pub fn organ_year(extraction: &Extraction) -> Option<(String, i32)> {
    let organ: String = extraction
        .tables
        .organ
        .as_ref()?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some((organ, extraction.tables.year?))
}

/// For each report, the index of last year's report of the same organ among `reports`, if any.
pub fn pair_previous_years(reports: &[Option<(String, i32)>]) -> Vec<Option<usize>> {
    reports
        .iter()
        .map(|key| {
            let (organ, year) = key.as_ref()?;
            reports.iter().position(|other| {
                other
                    .as_ref()
                    .is_some_and(|(o, y)| o == organ && y.checked_add(1) == Some(*year))
            })
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
}
