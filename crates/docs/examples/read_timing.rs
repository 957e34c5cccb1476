//! Mean `read_document` time per corpus HTML/DOCX file, for comparing reader changes:
//! `cargo run --release -p gongkai-docs --example read_timing [iterations] [name-filter]`.
//! Reports wall time and, on Linux, the CPU time the thread actually ran (from
//! `/proc/thread-self/schedstat`), which is steadier on a busy machine.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let filter = args.next().unwrap_or_default();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no corpus at {}", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "docx"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    paths.sort();
    for path in paths {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let cpu_start = cpu_ns();
        let start = Instant::now();
        for _ in 0..iterations {
            let doc = gongkai_docs::read_document(std::hint::black_box(&bytes), Some(name));
            std::hint::black_box(doc).ok();
        }
        let mean = start.elapsed() / iterations.max(1);
        let cpu = match (cpu_start, cpu_ns()) {
            (Some(a), Some(b)) => format!(
                "{:>8.1} µs cpu",
                (b.saturating_sub(a)) as f64 / 1e3 / f64::from(iterations.max(1))
            ),
            _ => String::new(),
        };
        println!("{name:40} {:>8.1} µs wall {cpu}", mean.as_secs_f64() * 1e6);
    }
}

/// Nanoseconds this thread has run on a CPU.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
