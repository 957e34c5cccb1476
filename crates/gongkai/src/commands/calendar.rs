//! `gongkai calendar …`

use crate::cli::CalendarCommand;
use crate::data_dir;
use anyhow::Result;
use chrono::Datelike;
use std::path::Path;

pub fn run(command: CalendarCommand, data_dir: &Path) -> Result<()> {
    if let CalendarCommand::Import { file } = &command {
        let years = data_dir::import_calendar_file(data_dir, file)?;
        let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        println!(
            "已导入 {} 年的节假日安排，保存在 {}",
            list.join("、"),
            data_dir.join("calendar").display()
        );
        return Ok(());
    }
    let calendar = data_dir::load_calendar(data_dir)?;
    match command {
        CalendarCommand::IsWorkingDay { date } => {
            let kind = calendar.day_kind(date)?;
            let answer = if kind.is_working() { "是" } else { "否" };
            println!("{answer}，{date}（{}）{}", weekday(date), kind.label());
        }
        CalendarCommand::Add { start, days } => {
            let due = calendar.add_working_days(start, days)?;
            println!("{due}（{}）", weekday(due));
            println!("自 {start} 起（当日不计入）第 {days} 个工作日");
        }
        CalendarCommand::Between { from, to } => {
            let n = calendar.working_days_between(from, to)?;
            println!("{n}");
            println!("{from} 之后至 {to}（含）之间的工作日数");
        }
        CalendarCommand::Years => {
            let years: Vec<i32> = calendar.years().collect();
            let ranges = compress(&years);
            println!("已有节假日数据的年份：{ranges}");
        }
        CalendarCommand::Import { .. } => {}
    }
    Ok(())
}

pub fn weekday(date: chrono::NaiveDate) -> &'static str {
    match date.weekday() {
        chrono::Weekday::Mon => "星期一",
        chrono::Weekday::Tue => "星期二",
        chrono::Weekday::Wed => "星期三",
        chrono::Weekday::Thu => "星期四",
        chrono::Weekday::Fri => "星期五",
        chrono::Weekday::Sat => "星期六",
        chrono::Weekday::Sun => "星期日",
    }
}

/// "2007–2026、2028" from a sorted list of years.
fn compress(years: &[i32]) -> String {
    let mut parts = Vec::new();
    let mut iter = years.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
    }
    parts.join("、")
}
