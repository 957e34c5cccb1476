//! The whole 2007–2026 calendar, day by day, against an independent source: the PyPI package
//! `chinesecalendar`. `scripts/test.sh` installs it into a throwaway virtualenv, writes its verdict
//! for every day to a file and points GONGKAI_CHINESECALENDAR_DUMP at it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use gongkai_calendar::Calendar;

#[test]
fn every_day_2007_to_2026_matches_chinesecalendar() {
    let Ok(path) = std::env::var("GONGKAI_CHINESECALENDAR_DUMP") else {
        // Under CI the dump must be there: a missing dump would silently skip the check.
        assert!(
            std::env::var_os("CI").is_none(),
            "GONGKAI_CHINESECALENDAR_DUMP is not set: run the suite through scripts/test.sh"
        );
        eprintln!("skipped: run through scripts/test.sh to compare with chinesecalendar");
        return;
    };
    let dump = std::fs::read_to_string(&path).expect("read the chinesecalendar dump");
    let calendar = Calendar::official();
    let mut days = 0;
    let mut mismatches = Vec::new();
    for line in dump.lines() {
        let (date, verdict) = line.split_once('\t').expect("date<TAB>0|1");
        let date: NaiveDate = date.parse().expect("ISO date");
        let theirs = verdict == "1";
        let ours = calendar.is_working_day(date).expect("covered year");
        if ours != theirs {
            mismatches.push(format!("{date}: gongkai {ours}, chinesecalendar {theirs}"));
        }
        days += 1;
    }
    // 2007-01-01..2026-12-31 inclusive.
    assert_eq!(days, 7305, "the dump must cover every day of 2007–2026");
    assert!(
        mismatches.is_empty(),
        "{} differences:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
