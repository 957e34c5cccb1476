//! Documents in: TXT, HTML, DOCX and PDF read into one simple representation, [`Document`], that the
//! annual-report auditor reads tables from. This crate knows nothing of the law or of reports.

mod document;

pub use document::*;
