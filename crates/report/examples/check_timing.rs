//! Times `run_checks` on the corpus documents, each read and extracted once. Small enough to run
//! under `valgrind --tool=callgrind` to find where the checks spend their instructions.
//!
//! Run: `cargo run --release -p gongkai-report --example check_timing [ITERATIONS] [FILE...]`.

use gongkai_report::checks::{CheckInput, run_checks};
use gongkai_report::extract::extract;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let mut names: Vec<String> = args.collect();
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if names.is_empty() {
        let Ok(dir) = std::fs::read_dir(&corpus) else {
            eprintln!("no corpus at {}", corpus.display());
            return;
        };
        names = dir
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| {
                [".txt", ".html", ".docx", ".pdf"]
                    .iter()
                    .any(|x| n.ends_with(x))
            })
            .collect();
        names.sort();
    }
    for name in names {
        let doc = match gongkai_docs::read_path(&corpus.join(&name)) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        let extraction = extract(&doc);
        let chars = extraction.text.chars().count();
        let input = CheckInput::new(&extraction.tables).with_text(&extraction.text);
        let start = Instant::now();
        let mut n = 0usize;
        for _ in 0..iterations {
            n += run_checks(black_box(&input), None).len();
        }
        let per = start.elapsed() / iterations.max(1);
        println!(
            "{name:40} {:>8.1} µs  ({} findings, {chars} chars of text)",
            per.as_secs_f64() * 1e6,
            n / iterations.max(1) as usize
        );
    }
}
