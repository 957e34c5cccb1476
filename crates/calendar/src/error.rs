use chrono::NaiveDate;

/// What can go wrong when asking the calendar. Messages are in Chinese: they reach officers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "没有 {year} 年的节假日安排数据，无法计算工作日。请在国务院办公厅公布 {year} 年放假安排后，\
         按 cn-holidays.json 的格式准备文件，用 `gongkai calendar import 文件` 导入。"
    )]
    YearNotLoaded { year: i32 },
    #[error("日期 {date} 超出可计算的范围。")]
    DateOutOfRange { date: NaiveDate },
    #[error("节假日数据文件不是有效的 JSON：{0}。请检查文件格式（参照 data/cn-holidays.json）。")]
    InvalidJson(String),
    #[error("节假日数据文件中年份“{0}”无效：应为四位数字年份，如“2027”。")]
    InvalidYear(String),
    #[error("节假日数据文件 {year} 年中的日期“{value}”无效：应为 YYYY-MM-DD 格式的日期。")]
    InvalidDate { year: i32, value: String },
    #[error(
        "节假日数据文件 {year} 年中的日期 {date} 不属于 {year} 年：跨年的假期请按日历年分别列出。"
    )]
    DateOutsideYear { year: i32, date: NaiveDate },
    #[error("节假日数据文件中 {date} 既列为放假又列为调休上班，请核对国务院办公厅通知。")]
    BothHolidayAndWorkday { date: NaiveDate },
    #[error("节假日数据文件中 {date} 列为调休上班，但它不是周六或周日：调休上班日只能是周末。")]
    WorkdayNotOnWeekend { date: NaiveDate },
    #[error("节假日数据文件中没有任何年份的数据。")]
    NoYears,
}
