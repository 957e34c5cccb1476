//! Any bytes, read as a document and searched for the report tables, must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // PDFs go to an external program; fuzz the in-process readers (TXT, HTML, DOCX) and the
    // table finder, which is where malformed input lands.
    if data.starts_with(b"%PDF") {
        return;
    }
    if let Ok(document) = gongkai_docs::read_document(data, None) {
        let extraction = gongkai_report::extract::extract(&document);
        let input = gongkai_report::checks::CheckInput::new(&extraction.tables)
            .with_text(&extraction.text);
        let _ = gongkai_report::checks::run_checks(&input, None);
    }
});
