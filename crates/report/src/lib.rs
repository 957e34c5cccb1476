//! The annual report (政府信息公开工作年度报告): its canonical model, the check catalogue, and the
//! reading of tables out of published documents (the auditor). Pure: no IO; documents come in as
//! [`gongkai_docs::Document`] values already read by the `docs` crate.

pub mod aggregate;
pub mod audit;
pub mod batch;
pub mod build;
pub mod checks;
pub mod extract;
pub mod finding;
pub mod model;

pub use finding::*;
pub use model::*;
