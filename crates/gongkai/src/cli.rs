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
    /// （默认 ./gongkai-data；serve 首次运行时创建，内含 SQLite 数据库 gongkai.db 和 uploads/）
    #[arg(long, global = true, env = "GONGKAI_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

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
    /// 启动网站：政府信息公开专栏门户与工作人员后台 / run the web server
    ///
    /// 启动时执行数据库迁移并打印访问地址；收到 Ctrl-C 或 SIGTERM 后处理完进行中的请求再退出。
    #[command(after_help = gongkai_web::KEYS_HELP)]
    Serve(ServeArgs),
    /// 只执行数据库迁移（建表、升级），然后退出 / run database migrations
    Migrate(DbArgs),
    /// 从数据库重建全文搜索索引（数据目录下的 search/）；服务运行时会自动更新索引，无需执行 / rebuild the search index
    Reindex(DbArgs),
    /// 账号管理：新建账号、重置密码、列出账号 / account administration
    #[command(subcommand)]
    Admin(AdminCommand),
    /// 审计日志：校验哈希链是否完整、未被篡改 / audit log of the platform
    #[command(subcommand, name = "audit-log")]
    AuditLog(AuditLogCommand),
    /// 导入已公开信息的台账（Excel/CSV）/ import a ledger of published items
    ///
    /// 整份文件全部通过校验才导入（一个事务，要么全部导入，要么一条也不导入）；有错误时逐行列出，退出码 1。
    #[command(subcommand)]
    Import(ImportCommand),
    /// 生成基准测试用的演示信息（演示区及其街道，批量导入）/ bulk demo items for benchmarks
    #[command(name = "demo-data")]
    DemoData(DemoDataArgs),
    /// 政府信息公开工作年度报告：由本机关的记录生成 / the annual report built from the records
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// 生成某机关某年度的年度报告（表二、表三、表四由记录统计，并按审核规则检查）
    ///
    /// 退出码：0 生成且未发现错误；1 生成但检查发现错误（错误逐条列在标准错误输出）。
    Build(ReportBuildArgs),
}

/// Output formats of `report build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// 规范数据模型（JSON），与 `gongkai audit --format json` 的 tables 相同
    Json,
    Docx,
    Pdf,
    Xlsx,
    Html,
}

#[derive(Debug, Args)]
pub struct ReportBuildArgs {
    /// 机关全称或统一社会信用代码
    #[arg(long)]
    pub organ: String,
    /// 报告年度，如 2023
    #[arg(long)]
    pub year: i32,
    /// 输出格式
    #[arg(long, value_enum, default_value = "json")]
    pub format: ReportFormatArg,
    /// 输出文件；不指定时写到标准输出
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// 导入主动公开信息台账：第一行为表头（名称、主题分类、体裁分类、成文日期、发布日期……），详见 /guide/import
    Items(ImportItemsArgs),
}

#[derive(Debug, Args)]
pub struct ImportItemsArgs {
    /// 导入到哪个机关：机关编号、统一社会信用代码或机关全称
    #[arg(long)]
    pub organ: String,
    /// 台账文件：.xlsx、.xls 或 .csv（UTF-8 或 GBK）
    pub file: PathBuf,
    /// 只校验，不导入
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// 生成多少条信息
    #[arg(long, default_value_t = 100_000)]
    pub items: usize,
    /// 演示区下建多少个街道（信息轮流分配给各街道）
    #[arg(long, default_value_t = 10)]
    pub organs: usize,
    /// 每批（每个事务）导入多少条
    #[arg(long, default_value_t = 2_000)]
    pub batch: usize,
    /// 信息的年份范围，如 2019-2025
    #[arg(long, default_value = "2019-2025")]
    pub years: String,
    /// 随机种子（相同种子生成相同数据）
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Where the database is: the same keys as `serve`.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// 数据库地址（postgres://… 使用 PostgreSQL；不设置时使用数据目录中的 SQLite）；也可用环境变量 GONGKAI_DATABASE_URL
    #[arg(long, alias = "db")]
    pub database_url: Option<String>,
    /// 配置文件（TOML），可用的键见 `gongkai serve --help`
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 监听地址（IP:端口），默认 127.0.0.1:8080；也可用环境变量 GONGKAI_BIND
    #[arg(long)]
    pub bind: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
    /// 日志格式：text 或 json；也可用环境变量 GONGKAI_LOG_FORMAT
    #[arg(long)]
    pub log_format: Option<String>,
    /// 首次启动时写入演示数据（新华区人民政府、西市场街道办事处、科室、各角色演示账号），并打印演示账号
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// 新建机关（新站点的第一个机关，或其下级机关）；机关信息与联系方式之后可在后台编辑
    CreateOrgan {
        /// 机关全称，例如“某区人民政府”
        #[arg(long)]
        name: String,
        /// 机关类型：government 人民政府、department 政府工作部门、subdistrict 街道办事处、township 乡镇人民政府、other 其他
        #[arg(long, value_parser = parse_kind)]
        kind: gongkai_store::OrganKind,
        /// 统一社会信用代码（18 位，会核对校验位）
        #[arg(long)]
        credit_code: Option<String>,
        /// 上级机关：统一社会信用代码或机关全称
        #[arg(long)]
        parent: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// 新建账号并授予一个角色。密码取自环境变量 GONGKAI_NEW_PASSWORD；未设置时在终端输入（不回显），或从标准输入读取一行
    CreateUser {
        /// 账号所属机关：统一社会信用代码或机关全称
        #[arg(long)]
        organ: String,
        /// 用户名（英文字母、数字和 . _ -）
        #[arg(long)]
        username: String,
        /// 角色：admin 系统管理员、officer 信息公开专员、editor 编辑、reviewer 审核人、handler 科室承办人、supervisor 监督员
        #[arg(long, value_parser = parse_role)]
        role: gongkai_store::Role,
        /// 姓名（默认同用户名）
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// 重置账号密码（该账号在所有设备上的登录随即失效）。新密码的来源同 create-user
    ResetPassword {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// 列出账号及其角色
    ListUsers {
        /// 只列出该机关的账号：统一社会信用代码或机关全称
        #[arg(long)]
        organ: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditLogCommand {
    /// 校验审计日志哈希链。退出码：0 完整；1 发现删除或篡改（并指出第一条有问题的记录）
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

fn parse_kind(value: &str) -> Result<gongkai_store::OrganKind, String> {
    gongkai_store::OrganKind::ALL
        .iter()
        .copied()
        .find(|k| k.code() == value.trim() || k.label() == value.trim())
        .ok_or_else(|| {
            format!(
                "“{value}”不是有效的机关类型，可选：government、department、subdistrict、township、other"
            )
        })
}

fn parse_role(value: &str) -> Result<gongkai_store::Role, String> {
    gongkai_store::Role::ALL
        .iter()
        .copied()
        .find(|r| r.code() == value.trim() || r.label() == value.trim())
        .ok_or_else(|| {
            format!(
                "“{value}”不是有效的角色，可选：admin、officer、editor、reviewer、handler、supervisor"
            )
        })
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
