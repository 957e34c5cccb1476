//! A batch audit: many published reports audited together, each paired with last year's report of
//! the same organ among them for the cross-year checks. Shared by the CLI (`gongkai audit` on a
//! folder) and the back office's batch audit, so both give the same findings for the same files.

use crate::audit::{
    AuditOptions, Audited, all_findings, audit_alone, organ_year, pair_previous_years,
};
use crate::extract::extract;
use crate::finding::{Finding, Severity, Status};

/// One report of a batch after pairing.
#[derive(Debug, Clone)]
pub struct BatchEntry {
    /// The index (in the batch) of the report used as last year's report, if any.
    pub previous: Option<usize>,
    /// Every finding, errors first: single-report checks plus the cross-year ones when paired.
    pub findings: Vec<Finding>,
}

/// Reads one report from its bytes (the name helps the reader guess the format) and runs every
/// check that needs no other report; `Err` says in Chinese why the file could not be read.
pub fn read_report(
    bytes: &[u8],
    file_name: &str,
    options: &AuditOptions,
) -> Result<Audited, String> {
    let document =
        gongkai_docs::read_document(bytes, Some(file_name)).map_err(|e| e.to_string())?;
    Ok(audit_alone(extract(&document), options))
}

/// Pairs the reports of a batch (unreadable ones stay unpaired) and gives each all its findings.
pub fn audit_batch(reports: &[Result<Audited, String>]) -> Vec<BatchEntry> {
    let keys: Vec<_> = reports
        .iter()
        .map(|r| r.as_ref().ok().and_then(|a| organ_year(&a.tables)))
        .collect();
    let pairs = pair_previous_years(&keys);
    reports
        .iter()
        .enumerate()
        .map(|(i, report)| {
            let previous = pairs.get(i).copied().flatten();
            let last_year = previous
                .and_then(|j| reports.get(j))
                .and_then(|r| r.as_ref().ok());
            let findings = match report {
                Ok(current) => all_findings(current, last_year),
                Err(_) => Vec::new(),
            };
            BatchEntry { previous, findings }
        })
        .collect()
}

/// Errors and warnings that failed (checks that could not run are not counted).
pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && f.status == Status::Failed)
        .count();
    (errors, warnings)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn corpus(name: &str) -> Result<Audited, String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus")
            .join(name);
        let bytes = std::fs::read(&path).unwrap();
        read_report(&bytes, name, &AuditOptions::default())
    }

    #[test]
    fn consecutive_years_pair_across_an_unreadable_file_which_gets_no_findings() {
        let reports = vec![
            corpus("pingtan-shiyanqu-2022.html"),
            read_report(
                b"PK\x03\x04 broken",
                "broken.docx",
                &AuditOptions::default(),
            ),
            corpus("pingtan-shiyanqu-2021.html"),
        ];
        assert!(reports[1].is_err());
        let entries = audit_batch(&reports);
        let previous: Vec<_> = entries.iter().map(|e| e.previous).collect();
        assert_eq!(previous, [Some(2), None, None]);
        assert!(entries[1].findings.is_empty());
        let (Ok(y2022), Ok(y2021)) = (&reports[0], &reports[2]) else {
            panic!("corpus reports are readable");
        };
        assert_eq!(entries[0].findings, all_findings(y2022, Some(y2021)));
        assert_eq!(entries[2].findings, all_findings(y2021, None));
    }
}
