//! Configuration: built-in defaults, then an optional TOML file, then `GONGKAI_*` environment
//! variables, then command-line flags (applied by the binary). Every key is listed in
//! [`KEYS_HELP`], which `gongkai serve --help` prints.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ConfigError;

/// The documentation of every key, printed by `gongkai serve --help`.
pub const KEYS_HELP: &str = "配置项（TOML 文件中的键 / 环境变量；命令行参数优先于环境变量，环境变量优先于文件）：
  bind            GONGKAI_BIND            监听地址，默认 127.0.0.1:8080
  data_dir        GONGKAI_DATA_DIR        数据目录（SQLite 数据库 gongkai.db 与 uploads/），默认 ./gongkai-data
  database_url    GONGKAI_DATABASE_URL    数据库地址；不设置时使用数据目录中的 SQLite，postgres://… 使用 PostgreSQL
  log_format      GONGKAI_LOG_FORMAT      日志格式：text（默认）或 json
  public_url      GONGKAI_PUBLIC_URL      对外访问地址（如 https://gongkai.example.gov.cn），以 https 开头时 Cookie 加 Secure
  secure_cookies  GONGKAI_SECURE_COOKIES  true 时 Cookie 一律加 Secure（经 HTTPS 反向代理提供服务时设置）
  secret_key      GONGKAI_SECRET_KEY      登录表单防伪签名密钥（至少 64 位十六进制）；不设置时自动生成并保存在数据库中，多台服务器共用
  demo            GONGKAI_DEMO            true 时首次启动写入演示机关、科室和各角色演示账号
  mail_transport  GONGKAI_MAIL_TRANSPORT  邮件发送方式：off（默认，不发邮件）、smtp（经邮件服务器发送）、file（写入 mail_dir 目录，供测试和演示）
  smtp_url        GONGKAI_SMTP_URL        邮件服务器地址（含账号），如 smtps://用户名:密码@mail.example.gov.cn:465 或 smtp://mail.example.gov.cn:587?tls=required；不写入日志
  mail_from       GONGKAI_MAIL_FROM       发件人，如 \"某区政务公开办 <gongkai@example.gov.cn>\"；发送邮件时必填
  mail_dir        GONGKAI_MAIL_DIR        file 方式写入邮件（.eml 文件）的目录，默认 数据目录/mail
  reminder_working_days GONGKAI_REMINDER_WORKING_DAYS 答复期限（及科室内部办理期限）前几个工作日发送到期提醒邮件，0～20，默认 3
  report_deadline_grassroots GONGKAI_REPORT_DEADLINE_GRASSROOTS 街道办事处、乡镇公布上一年度年度报告的最后一天（月-日，如 02-20），按本地规定设置；默认 01-31
  report_reminder_days GONGKAI_REPORT_REMINDER_DAYS 年度报告公布期限前几天（自然日）起提醒尚未发布的机关，0～90，默认 15";

/// How mail leaves the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// No mail at all: reminders and applicant notices are not even queued.
    #[default]
    Off,
    /// `.eml` files in `mail_dir` (tests, demos, or a site that forwards them itself).
    File,
    /// An SMTP server (`smtp_url`).
    Smtp,
}

/// A configuration value that must never appear in logs or debug output (the SMTP URL
/// carries the mailbox password).
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Default of `reminder_working_days`.
pub const DEFAULT_REMINDER_WORKING_DAYS: u32 = 3;
/// Largest `reminder_working_days`: the whole Art 33 reply period.
pub const MAX_REMINDER_WORKING_DAYS: u32 = 20;

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The settings of one server process.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub log_format: LogFormat,
    pub public_url: Option<String>,
    pub secure_cookies: bool,
    pub secret_key: Option<String>,
    pub demo: bool,
    pub mail_transport: MailTransport,
    pub smtp_url: Option<Secret>,
    pub mail_from: Option<String>,
    pub mail_dir: Option<PathBuf>,
    pub reminder_working_days: u32,
    /// The local rule for 街道/乡镇 (条例第四十九条 names only departments and governments),
    /// as (month, day); `None`: 31 January.
    #[serde(deserialize_with = "month_day_opt")]
    pub report_deadline_grassroots: Option<(u32, u32)>,
    /// Remind organs this many days before their report's last day.
    pub report_reminder_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("gongkai-data"),
            database_url: None,
            log_format: LogFormat::Text,
            public_url: None,
            secure_cookies: false,
            secret_key: None,
            demo: false,
            mail_transport: MailTransport::Off,
            smtp_url: None,
            mail_from: None,
            mail_dir: None,
            reminder_working_days: DEFAULT_REMINDER_WORKING_DAYS,
            report_deadline_grassroots: None,
            report_reminder_days: DEFAULT_REPORT_REMINDER_DAYS,
        }
    }
}

impl Config {
    /// Defaults, overridden by `file` (if given) and then by the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load_with_env(file, |key| std::env::var(key).ok())
    }

    /// Like [`Config::load`] with an explicit environment (tests).
    pub fn load_with_env(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?
            }
            None => Config::default(),
        };
        if let Some(v) = env("GONGKAI_BIND") {
            config.bind = parse_bind(&v)?;
        }
        if let Some(v) = env("GONGKAI_DATA_DIR") {
            config.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env("GONGKAI_DATABASE_URL").filter(|v| !v.trim().is_empty()) {
            config.database_url = Some(v);
        }
        if let Some(v) = env("GONGKAI_LOG_FORMAT") {
            config.log_format = parse_log_format(&v)?;
        }
        if let Some(v) = env("GONGKAI_PUBLIC_URL").filter(|v| !v.trim().is_empty()) {
            config.public_url = Some(v);
        }
        if let Some(v) = env("GONGKAI_SECURE_COOKIES") {
            config.secure_cookies = parse_bool("GONGKAI_SECURE_COOKIES", &v)?;
        }
        if let Some(v) = env("GONGKAI_SECRET_KEY").filter(|v| !v.trim().is_empty()) {
            config.secret_key = Some(v);
        }
        if let Some(v) = env("GONGKAI_DEMO") {
            config.demo = parse_bool("GONGKAI_DEMO", &v)?;
        }
        if let Some(v) = env("GONGKAI_MAIL_TRANSPORT") {
            config.mail_transport = parse_mail_transport(&v)?;
        }
        if let Some(v) = env("GONGKAI_SMTP_URL").filter(|v| !v.trim().is_empty()) {
            config.smtp_url = Some(Secret::new(v));
        }
        if let Some(v) = env("GONGKAI_MAIL_FROM").filter(|v| !v.trim().is_empty()) {
            config.mail_from = Some(v);
        }
        if let Some(v) = env("GONGKAI_MAIL_DIR").filter(|v| !v.trim().is_empty()) {
            config.mail_dir = Some(PathBuf::from(v));
        }
        if let Some(v) = env("GONGKAI_REMINDER_WORKING_DAYS") {
            config.reminder_working_days = parse_reminder_working_days(&v)?;
        }
        if let Some(v) = env("GONGKAI_REPORT_DEADLINE_GRASSROOTS").filter(|v| !v.trim().is_empty())
        {
            config.report_deadline_grassroots = Some(parse_month_day(&v)?);
        }
        if let Some(v) = env("GONGKAI_REPORT_REMINDER_DAYS") {
            config.report_reminder_days = v.trim().parse().map_err(|_| ConfigError::Invalid {
                key: "report_reminder_days",
                value: v.clone(),
                hint: REPORT_REMINDER_HINT,
            })?;
        }
        if config.report_reminder_days > MAX_REPORT_REMINDER_DAYS {
            return Err(ConfigError::Invalid {
                key: "report_reminder_days",
                value: config.report_reminder_days.to_string(),
                hint: REPORT_REMINDER_HINT,
            });
        }
        if config.reminder_working_days > MAX_REMINDER_WORKING_DAYS {
            return Err(ConfigError::Invalid {
                key: "reminder_working_days",
                value: config.reminder_working_days.to_string(),
                hint: REMINDER_DAYS_HINT,
            });
        }
        Ok(config)
    }

    /// The database URL: the configured one, or the SQLite file in the data directory.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("gongkai.db").display()
            ),
        }
    }

    /// True when cookies must carry `Secure` (HTTPS in front of the server).
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies
            || self
                .public_url
                .as_deref()
                .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }
}

/// Default of `report_reminder_days`.
pub const DEFAULT_REPORT_REMINDER_DAYS: u32 = 15;
/// Largest `report_reminder_days`.
pub const MAX_REPORT_REMINDER_DAYS: u32 = 90;
const REPORT_REMINDER_HINT: &str = "应为 0～90 之间的整数（自然日），0 表示不提醒";
const MONTH_DAY_HINT: &str = "应写成 月-日，如 02-20（在 1 月 1 日至 6 月 30 日之间）";

/// Parses a month and day written `MM-DD` (a last day for the report in the first half of the
/// year after the report year).
pub fn parse_month_day(value: &str) -> Result<(u32, u32), ConfigError> {
    let invalid = || ConfigError::Invalid {
        key: "report_deadline_grassroots",
        value: value.to_owned(),
        hint: MONTH_DAY_HINT,
    };
    let (m, d) = value.trim().split_once('-').ok_or_else(invalid)?;
    let (m, d): (u32, u32) = (
        m.trim().parse().map_err(|_| invalid())?,
        d.trim().parse().map_err(|_| invalid())?,
    );
    // Checked against a common year: 02-29 is refused, as it does not exist every year.
    match chrono::NaiveDate::from_ymd_opt(2023, m, d) {
        Some(_) if (1..=6).contains(&m) => Ok((m, d)),
        _ => Err(invalid()),
    }
}

fn month_day_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<(u32, u32)>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => parse_month_day(t)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(e.to_string())),
    }
}

/// Parses `host:port`.
pub fn parse_bind(value: &str) -> Result<SocketAddr, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError::Invalid {
        key: "bind",
        value: value.to_owned(),
        hint: "应写成 IP:端口，例如 127.0.0.1:8080 或 0.0.0.0:8080",
    })
}

/// Parses `text` or `json`.
pub fn parse_log_format(value: &str) -> Result<LogFormat, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(ConfigError::Invalid {
            key: "log_format",
            value: value.to_owned(),
            hint: "只能是 text 或 json",
        }),
    }
}

/// Parses `off`, `file` or `smtp`.
pub fn parse_mail_transport(value: &str) -> Result<MailTransport, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "off" | "" => Ok(MailTransport::Off),
        "file" => Ok(MailTransport::File),
        "smtp" => Ok(MailTransport::Smtp),
        _ => Err(ConfigError::Invalid {
            key: "mail_transport",
            value: value.to_owned(),
            hint: "只能是 off（不发邮件）、smtp（经邮件服务器发送）或 file（写入 mail_dir 目录）",
        }),
    }
}

const REMINDER_DAYS_HINT: &str =
    "应为 0 到 20 之间的整数：在期限前几个工作日提醒（0 表示到期当日才提醒）";

/// Parses the working days before a deadline at which reminders go out.
pub fn parse_reminder_working_days(value: &str) -> Result<u32, ConfigError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= MAX_REMINDER_WORKING_DAYS)
        .ok_or_else(|| ConfigError::Invalid {
            key: "reminder_working_days",
            value: value.to_owned(),
            hint: REMINDER_DAYS_HINT,
        })
}

fn parse_bool(key: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(ConfigError::Invalid {
            key,
            value: value.to_owned(),
            hint: "只能是 true 或 false",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_and_defaults() {
        let dir = std::env::temp_dir().join(format!("gongkai-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("gongkai.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\ndemo = true\n").unwrap();
        let config = Config::load_with_env(Some(&file), |k| {
            (k == "GONGKAI_LOG_FORMAT").then(|| "json".to_owned())
        })
        .unwrap();
        assert_eq!(config.bind.port(), 9000);
        assert!(config.demo);
        assert_eq!(config.log_format, LogFormat::Json);
        std::fs::write(&file, "bnd = 1\n").unwrap();
        let err = Config::load_with_env(Some(&file), |_| None).unwrap_err();
        assert!(err.to_string().contains("配置文件"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mail_keys_come_from_the_environment_and_bad_values_say_what_to_write() {
        let env = |k: &str| match k {
            "GONGKAI_MAIL_TRANSPORT" => Some("SMTP".to_owned()),
            "GONGKAI_SMTP_URL" => Some("smtps://u:pw@mail.example.gov.cn:465".to_owned()),
            "GONGKAI_MAIL_FROM" => Some("公开办 <gk@example.gov.cn>".to_owned()),
            "GONGKAI_REMINDER_WORKING_DAYS" => Some("5".to_owned()),
            _ => None,
        };
        let config = Config::load_with_env(None, env).unwrap();
        assert_eq!(config.mail_transport, MailTransport::Smtp);
        assert_eq!(config.reminder_working_days, 5);
        assert_eq!(
            config.smtp_url.as_ref().map(Secret::expose),
            Some("smtps://u:pw@mail.example.gov.cn:465")
        );
        // The password never shows in debug output (logs, panics).
        assert!(!format!("{config:?}").contains("pw@"));
        assert_eq!(Config::default().reminder_working_days, 3);
        assert_eq!(Config::default().mail_transport, MailTransport::Off);

        let err = Config::load_with_env(None, |k| {
            (k == "GONGKAI_MAIL_TRANSPORT").then(|| "sendmail".to_owned())
        })
        .unwrap_err();
        assert!(err.to_string().contains("mail_transport"), "{err}");
        let err = Config::load_with_env(None, |k| {
            (k == "GONGKAI_REMINDER_WORKING_DAYS").then(|| "21".to_owned())
        })
        .unwrap_err();
        assert!(err.to_string().contains("0 到 20"), "{err}");
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        let config = Config {
            public_url: Some("https://gk.example.gov.cn".into()),
            ..Config::default()
        };
        assert!(config.cookies_secure());
        assert!(!Config::default().cookies_secure());
    }
}
