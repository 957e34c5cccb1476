//! `gongkai report build` as a user runs it: on a data directory holding the demo 街道's records,
//! the 2023 report comes out as the canonical model with exactly the tables of the published
//! report (../shared/corpus/xinhua-ximarket-2023), exit code 0, and its Word and HTML files read
//! back through `gongkai audit` to the same tables; an unknown organ and an unsupported format are
//! refused in Chinese (unknown organ, year out of range).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use gongkai_calendar::Calendar;
use gongkai_store::Store;

fn gongkai(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("GONGKAI_DATABASE_URL")
        .output()
        .expect("run gongkai")
}

/// `gongkai report build` of the demo 街道's 2023 report in `format` into `<dir>/2023.<format>`.
fn build(dir: &Path, format: &str) -> (Output, std::path::PathBuf) {
    let path = dir.join(format!("2023.{format}"));
    let o = gongkai(
        dir,
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            "2023",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ],
    );
    (o, path)
}

/// The tables `gongkai audit --format json` reads out of `path`.
fn audited_tables(dir: &Path, path: &Path) -> serde_json::Value {
    let o = gongkai(dir, &["audit", "--format", "json", path.to_str().unwrap()]);
    let audited: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // One report: its object (several: an array of them).
    let report = if audited.is_array() {
        audited[0].clone()
    } else {
        audited
    };
    report["tables"].clone()
}

#[test]
fn the_demo_subdistricts_2023_report_builds_with_the_published_tables() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("gongkai.db").display()
        );
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        gongkai_web::demo::seed(&store).await.unwrap();
        gongkai_web::demo::seed_items(&store, &Calendar::official(), store.today())
            .await
            .unwrap();
        store.close().await;
    });
    let out_file = dir.path().join("2023.json");
    let o = gongkai(
        dir.path(),
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            "2023",
            "--format",
            "json",
            "-o",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let built: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/xinhua-ximarket-2023.truth.json"
        ))
        .unwrap(),
    )
    .unwrap();
    for table in ["table2", "table3", "table4"] {
        assert_eq!(built[table], truth[table], "{table}");
    }
    assert_eq!(built["year"], 2023);
    assert_eq!(built["organ"], gongkai_web::demo::SUBDISTRICT);

    let o = gongkai(
        dir.path(),
        &[
            "report",
            "build",
            "--organ",
            "不存在的机关",
            "--year",
            "2023",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("找不到机关"));
    let o = gongkai(
        dir.path(),
        &[
            "report",
            "build",
            "--organ",
            gongkai_web::demo::SUBDISTRICT,
            "--year",
            "1999",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("不在 2008—2100 之间"));
    // Excel: the three tables as sheets.
    let (o, xlsx) = build(dir.path(), "xlsx");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    // Word: `gongkai audit` reads it back to the same tables.
    let (o, docx) = build(dir.path(), "docx");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tables = audited_tables(dir.path(), &docx);
    for table in ["table2", "table3", "table4"] {
        assert_eq!(
            tables[table], truth[table],
            "{table} read back from the docx"
        );
    }

    // HTML: the same as Word.
    let (o, html) = build(dir.path(), "html");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = serde_json::json!({ "tables": audited_tables(dir.path(), &html) });
    for table in ["table2", "table3", "table4"] {
        assert_eq!(
            report["tables"][table], truth[table],
            "{table} read back from the html"
        );
    }

    // PDF, when this machine has a Chinese font (CI installs one and requires it).
    let (o, pdf) = build(dir.path(), "pdf");
    let stderr = String::from_utf8_lossy(&o.stderr);
    if !o.status.success() && stderr.contains("fonts-noto-cjk") {
        assert!(
            std::env::var_os("GONGKAI_REQUIRE_CJK_FONTS").is_none(),
            "{stderr}"
        );
        eprintln!(
            "skipping the PDF check: no CJK font on this machine (apt-get install fonts-noto-cjk)"
        );
        return;
    }
    assert!(o.status.success(), "{stderr}");
    let report = serde_json::json!({ "tables": audited_tables(dir.path(), &pdf) });
    // The PDF is made (A4, CJK fonts) and its table 二 reads back exactly. Table 三 read back
    // through pdftotext is not yet exact (long row labels wrap): the DOCX is the round-tripped
    // format for now (issue 7 continues).
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert_eq!(
        report["tables"]["table2"], truth["table2"],
        "table 二 read back from the pdf"
    );
}
