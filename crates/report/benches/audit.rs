//! Throughput of the auditor on the corpus: table finding + the whole check catalogue, per
//! document, after the file has been read (reading is measured separately: `read_*`).
//! Run: `cargo bench -p gongkai-report --bench audit`. Figures go to docs/performance.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_report::checks::{CheckInput, run_checks};
use gongkai_report::extract::extract;
use std::hint::black_box;
use std::path::PathBuf;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

fn audit(c: &mut Criterion) {
    let files = [
        ("txt", "xinhua-ximarket-2023.txt"),
        ("flat_txt", "pingtan-shiyanqu-2021-flat.txt"),
        ("html", "pingtan-shiyanqu-2022.html"),
        ("docx", "pingtan-shiyanqu-2021-word.docx"),
        ("pdf", "hongze-2023.pdf"),
    ];
    let mut group = c.benchmark_group("audit");
    group.throughput(Throughput::Elements(1));
    for (kind, name) in files {
        let path = corpus(name);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skipping {name}: not found at {}", path.display());
            continue;
        };
        // Reading: decoding, HTML/DOCX parsing, or the pdftotext subprocess for PDF.
        group.bench_function(format!("read_{kind}"), |b| {
            b.iter(|| gongkai_docs::read_document(black_box(&bytes), Some(name)))
        });
        let Ok(document) = gongkai_docs::read_document(&bytes, Some(name)) else {
            continue;
        };
        group.bench_function(format!("extract_{kind}"), |b| {
            b.iter(|| extract(black_box(&document)))
        });
        let extraction = extract(&document);
        group.bench_function(format!("check_{kind}"), |b| {
            b.iter(|| {
                let input = CheckInput::new(&extraction.tables).with_text(&extraction.text);
                run_checks(black_box(&input), None)
            })
        });
        // Finding the tables and running every check.
        group.bench_function(format!("extract_check_{kind}"), |b| {
            b.iter(|| {
                let extraction = extract(black_box(&document));
                let input = CheckInput::new(&extraction.tables).with_text(&extraction.text);
                run_checks(&input, None)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, audit);
criterion_main!(benches);
