//! TEMPORARY (lead's placeholder until the aggbench branch lands).
use crate::{CellRef, ReportTables};

pub struct Sum {
    pub tables: ReportTables,
    pub unsummable: Vec<CellRef>,
}

pub fn sum(parts: &[&ReportTables]) -> Sum {
    Sum {
        tables: parts.first().map(|t| (*t).clone()).unwrap_or(ReportTables {
            organ: None,
            year: None,
            format: crate::ReportFormat::F2021,
            table2: None,
            table3: None,
            table4: None,
        }),
        unsummable: Vec::new(),
    }
}
