//! The command-line calculators as a user runs them: the real binary, its output and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn gongkai(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("run gongkai")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn adjusted_saturday_is_a_working_day() {
    let dir = temp_dir("iswd");
    let out = gongkai(&dir, &["calendar", "is-working-day", "2026-02-14"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("是"), "{}", stdout(&out));
    assert!(stdout(&out).contains("调休上班"));
    let out = gongkai(&dir, &["calendar", "is-working-day", "2026-02-16"]);
    assert!(stdout(&out).starts_with("否"));
}

#[test]
fn calendar_add_counts_from_the_next_day() {
    let dir = temp_dir("add");
    let out = gongkai(&dir, &["calendar", "add", "2025-01-20", "20"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("2025-02-21"), "{}", stdout(&out));
}

#[test]
fn an_unloaded_year_is_refused_until_imported() {
    let dir = temp_dir("import");
    let out = gongkai(&dir, &["calendar", "is-working-day", "2027-01-04"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("没有 2027 年的节假日安排数据"),
        "{}",
        stderr(&out)
    );

    // A bad file is rejected and nothing is stored.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"2027": {"workdays": ["2027-01-04"]}}"#).unwrap();
    let out = gongkai(&dir, &["calendar", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("不是周六或周日"), "{}", stderr(&out));
    assert!(
        !dir.join("calendar").exists()
            || std::fs::read_dir(dir.join("calendar")).unwrap().count() == 0
    );

    let good = dir.join("2027.json");
    std::fs::write(
        &good,
        r#"{"2027": {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03"], "workdays": []}}"#,
    )
    .unwrap();
    let out = gongkai(&dir, &["calendar", "import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = gongkai(&dir, &["calendar", "is-working-day", "2027-01-04"]);
    assert!(stdout(&out).starts_with("是"), "{}", stdout(&out));
    let out = gongkai(&dir, &["calendar", "years"]);
    assert!(stdout(&out).contains("2007–2027"), "{}", stdout(&out));
}

#[test]
fn deadline_prints_the_due_date_and_the_explanation() {
    let dir = temp_dir("deadline");
    let out = gongkai(
        &dir,
        &[
            "deadline",
            "--received",
            "2025-01-20",
            "--today",
            "2025-02-05",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("答复期限：2025-02-21"), "{text}");
    assert!(text.contains("2025-01-20 收到申请"), "{text}");
    assert!(text.contains("第20个工作日为2025-02-21"), "{text}");
}

#[test]
fn deadline_with_extension_and_json_output() {
    let dir = temp_dir("deadline-json");
    let out = gongkai(
        &dir,
        &[
            "deadline",
            "--received",
            "2025-01-20",
            "--extend",
            "20",
            "--today",
            "2025-03-01",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["due_date"], "2025-03-21");
    assert_eq!(json["extension_working_days"], 20);
}

#[test]
fn deadline_after_correction_and_pause() {
    let dir = temp_dir("deadline-corr");
    let out = gongkai(
        &dir,
        &[
            "deadline",
            "--received",
            "2025-01-20",
            "--correction-notice",
            "2025-01-22",
            "--corrected",
            "2025-01-27",
            "--pause",
            "2025-02-10:2025-02-14",
            "--today",
            "2025-02-20",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 20 WD from 2025-01-27 is 2025-03-03; five paused working days move it to 2025-03-10.
    assert_eq!(json["due_date"], "2025-03-10");
}

#[test]
fn second_extension_past_twenty_days_is_rejected() {
    let dir = temp_dir("deadline-ext");
    let out = gongkai(
        &dir,
        &[
            "deadline",
            "--received",
            "2025-01-20",
            "--extend",
            "25",
            "--today",
            "2025-03-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("错误："), "{err}");
    assert!(err.contains("20"), "{err}");
}

#[test]
fn fees_follow_the_109_tiers() {
    let dir = temp_dir("fee");
    let out = gongkai(&dir, &["fee", "--per-piece", "45"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("5500元"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("第41–45件：5件 × 300元 = 1500元"),
        "{}",
        stdout(&out)
    );
    let out = gongkai(&dir, &["fee", "--pages", "250"]);
    assert!(stdout(&out).starts_with("4700元"), "{}", stdout(&out));
}

#[test]
fn bad_arguments_give_one_chinese_line_and_exit_2() {
    let dir = temp_dir("bad");
    for args in [
        vec!["fee", "--pages", "abc"],
        vec!["fee"],
        vec!["fee", "--pages", "3", "--per-piece", "4"],
        vec!["deadline", "--received", "2025-13-01"],
        vec!["calendar", "add", "2025-01-20"],
        vec!["no-such-command"],
    ] {
        let out = gongkai(&dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert!(!err.contains("error:"), "{args:?}: {err}");
    }
}
