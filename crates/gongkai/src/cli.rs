//! The command line: every subcommand and option, documented in Chinese first.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// gongkai（公开）：政府信息公开工作平台 — government information disclosure platform.
///
/// 计算工作日与答复期限、信息处理费，审核年度报告。
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, propagate_version = true)]
pub struct Cli {
    /// 数据目录（存放数据库、上传文件和导入的节假日数据）/ data directory
    #[arg(
        long,
        global = true,
        env = "GONGKAI_DATA_DIR",
        default_value = "gongkai-data"
    )]
    pub data_dir: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 工作日日历：查询、推算、导入新一年的放假安排 / working-day calendar
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// 计算依申请公开的答复期限（条例第三十条至第三十三条）/ reply deadline of an application
    Deadline(DeadlineArgs),
    /// 计算信息处理费（国办函〔2020〕109号）/ processing fee
    Fee(FeeArgs),
    /// 审核已发布的年度报告：读出表二、表三、表四并检查勾稽关系 / audit published annual reports
    ///
    /// 退出码：0 未发现错误；1 发现错误；2 有文件无法读取（其他文件照常审核）。
    Audit(AuditArgs),
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// 报告文件（TXT、HTML、DOCX、PDF）或目录；目录中同一机关相邻年度的报告自动配对做跨年度检查
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// 上一年度的报告，用于跨年度检查（结转、现行有效件数、内容雷同）
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// 输出格式：text（供人阅读）或 json（规范数据模型）
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// 另存汇总表为 CSV（UTF-8，可用 Excel 打开）
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// 机关类别，决定法定公布日期（部门、政府为1月31日、3月31日；街道乡镇默认1月31日）
    #[arg(long, value_enum)]
    pub organ_kind: Option<OrganKindArg>,
    /// 报告的发布日期（YYYY-MM-DD），用于检查是否按时公布
    #[arg(long, value_parser = parse_date)]
    pub published_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrganKindArg {
    /// 县级以上人民政府部门
    Department,
    /// 县级以上地方人民政府
    Government,
    /// 街道办事处、乡镇
    Grassroots,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// 某日是否为工作日，例如 `gongkai calendar is-working-day 2026-02-14`
    IsWorkingDay {
        /// 日期（YYYY-MM-DD）
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
    },
    /// 某日之后第 N 个工作日（当日不计入），例如 `gongkai calendar add 2025-01-20 20`
    Add {
        /// 起算日期（YYYY-MM-DD），当日不计入
        #[arg(value_parser = parse_date)]
        start: NaiveDate,
        /// 工作日数
        #[arg(value_parser = parse_count)]
        days: u32,
    },
    /// 两个日期之间的工作日数（不含起始日，含结束日）
    Between {
        #[arg(value_parser = parse_date)]
        from: NaiveDate,
        #[arg(value_parser = parse_date)]
        to: NaiveDate,
    },
    /// 导入新一年的放假安排（cn-holidays.json 格式），存入数据目录
    Import {
        /// 节假日数据文件（JSON）
        file: PathBuf,
    },
    /// 列出已有节假日数据的年份
    Years,
}

#[derive(Debug, Args)]
pub struct DeadlineArgs {
    /// 收到申请之日（YYYY-MM-DD，按条例第三十一条确定）
    #[arg(long, value_parser = parse_date)]
    pub received: NaiveDate,
    /// 申请渠道：当面提交、邮寄签收、平常信函、互联网、传真
    #[arg(long, value_enum, default_value_t = ChannelArg::Online)]
    pub channel: ChannelArg,
    /// 补正告知日期（条例第三十条：应在收到申请之日起7个工作日内）
    #[arg(long, value_parser = parse_date)]
    pub correction_notice: Option<NaiveDate>,
    /// 补正期限（工作日，机关在补正告知中确定的合理期限）
    #[arg(long, default_value_t = 15, value_parser = parse_count)]
    pub correction_period: u32,
    /// 收到补正后申请之日（答复期限自此重新起算）
    #[arg(long, value_parser = parse_date, requires = "correction_notice")]
    pub corrected: Option<NaiveDate>,
    /// 延期的工作日数（条例第三十三条第二款：合计不超过20个工作日）
    #[arg(long, value_parser = parse_count)]
    pub extend: Option<u32>,
    /// 延期决定日期（默认为延期前答复期限的当日）
    #[arg(long, value_parser = parse_date, requires = "extend")]
    pub extend_on: Option<NaiveDate>,
    /// 同意延期的负责人
    #[arg(long, default_value = "工作机构负责人", requires = "extend")]
    pub approver: String,
    /// 征求意见的对象：第三方（第三十二条）或其他机关（第三十四条）
    #[arg(long, value_enum, default_value_t = PartyArg::ThirdParty)]
    pub pause_party: PartyArg,
    /// 征求意见期间 FROM:TO（条例第三十二条、第三十四条：不计入答复期限），可多次给出
    #[arg(long, value_parser = parse_pause)]
    pub pause: Vec<(NaiveDate, NaiveDate)>,
    /// 申请人收到收费通知之日（109号：缴费期间暂停计算）
    #[arg(long, value_parser = parse_date)]
    pub fee_notice: Option<NaiveDate>,
    /// 缴费之日
    #[arg(long, value_parser = parse_date, requires = "fee_notice")]
    pub fee_paid: Option<NaiveDate>,
    /// 收费金额（元）
    #[arg(long, requires = "fee_notice", value_parser = parse_count)]
    pub fee_amount: Option<u32>,
    /// 答复之日
    #[arg(long, value_parser = parse_date)]
    pub replied: Option<NaiveDate>,
    /// 答复结果（办理结果代码，如 granted、partially_granted、unable_not_held；见 `gongkai deadline --help`）
    #[arg(long, default_value = "granted", requires = "replied")]
    pub outcome: String,
    /// 申请人撤回申请之日
    #[arg(long, value_parser = parse_date, conflicts_with = "replied")]
    pub withdrawn: Option<NaiveDate>,
    /// 计算所依据的“今天”（默认为系统日期）
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("standard").required(true).args(["per_piece", "pages"])))]
pub struct FeeArgs {
    /// 按件计收：同一申请人一个自然月内累计申请件数
    #[arg(long, value_parser = parse_count)]
    pub per_piece: Option<u32>,
    /// 按量计收：同一件申请提供的页数
    #[arg(long, value_parser = parse_count)]
    pub pages: Option<u32>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    /// 当面提交
    InPerson,
    /// 以邮政快递等需签收的方式提交
    PostSigned,
    /// 平常信函（无需签收）
    PostOrdinary,
    /// 互联网渠道
    Online,
    /// 传真
    Fax,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartyArg {
    /// 第三方（条例第三十二条）
    ThirdParty,
    /// 其他机关（条例第三十四条）
    OtherOrgan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

fn parse_date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| format!("“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2025-01-20"))
}

fn parse_pause(value: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let (from, to) = value
        .split_once(':')
        .ok_or_else(|| format!("“{value}”应写成 开始日期:结束日期，例如 2025-02-03:2025-02-14"))?;
    let (from, to) = (parse_date(from)?, parse_date(to)?);
    if to < from {
        return Err(format!("“{value}”的结束日期早于开始日期"));
    }
    Ok((from, to))
}

fn parse_count(value: &str) -> Result<u32, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("“{value}”不是有效的非负整数"))
}
