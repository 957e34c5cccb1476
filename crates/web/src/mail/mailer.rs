//! The transport mail leaves by, built once at startup from the configuration: a bad setting
//! stops the server with a Chinese message naming the key, instead of failing at the first
//! reminder days later.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::outgoing::{OutgoingMail, id_part};
use crate::config::{Config, MailTransport};
use crate::error::ConfigError;

/// How long one SMTP conversation may take. Well under the job lease (`worker.rs`), so a slow
/// server cannot make the lease run out while the mail is still being sent.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Why one mail was not sent (stored as the job's last error, for the administrator).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("收件人地址“{0}”无效，请在用户管理或申请信息中更正电子邮箱")]
    BadRecipient(String),
    #[error("无法生成邮件：{0}")]
    Build(String),
    #[error("邮件服务器未接收邮件：{0}。请检查 smtp_url 配置和网络；系统会稍后自动重试")]
    Smtp(String),
    #[error("无法写入邮件文件：{0}。请检查 mail_dir 目录的写入权限；系统会稍后自动重试")]
    File(String),
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// Sends [`OutgoingMail`]; cheap to clone (the SMTP connection pool is shared).
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    /// The right-hand side of every Message-ID: the sender's domain.
    id_domain: String,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::File(_, dir) => format!("file {}", dir.display()),
        };
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("transport", &kind)
            .finish()
    }
}

fn mail_error(message: String) -> ConfigError {
    ConfigError::Mail(message)
}

impl Mailer {
    /// The mailer the configuration asks for; `None` when `mail_transport = off`. Checks the
    /// sender, creates the file directory, parses the SMTP URL (without connecting: a mail
    /// server that is down at startup must not stop the disclosure portal). Call it inside the
    /// tokio runtime: the SMTP connection pool starts a task.
    pub fn from_config(config: &Config) -> Result<Option<Mailer>, ConfigError> {
        if config.mail_transport == MailTransport::Off {
            return Ok(None);
        }
        let from_text = config
            .mail_from
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if from_text.is_empty() {
            return Err(mail_error(
                "发送邮件（mail_transport 为 smtp 或 file）时必须设置发件人 mail_from，例如 mail_from = \"某区政务公开办 <gongkai@example.gov.cn>\""
                    .to_owned(),
            ));
        }
        let from: Mailbox = from_text.parse().map_err(|_| {
            mail_error(format!(
                "发件人 mail_from“{from_text}”不是有效的邮箱地址，应写成 gongkai@example.gov.cn 或 \"某区政务公开办 <gongkai@example.gov.cn>\""
            ))
        })?;
        let id_domain = from.email.domain().to_owned();
        let transport = match config.mail_transport {
            MailTransport::Off => return Ok(None),
            MailTransport::File => {
                let dir = config
                    .mail_dir
                    .clone()
                    .unwrap_or_else(|| config.data_dir.join("mail"));
                std::fs::create_dir_all(&dir).map_err(|e| {
                    mail_error(format!(
                        "无法创建邮件目录 mail_dir（{}）：{e}。请检查路径和写入权限",
                        dir.display()
                    ))
                })?;
                Transport::File(AsyncFileTransport::new(&dir), dir)
            }
            MailTransport::Smtp => {
                let Some(url) = config
                    .smtp_url
                    .as_ref()
                    .filter(|u| !u.expose().trim().is_empty())
                else {
                    return Err(mail_error(
                        "mail_transport = smtp 时必须设置邮件服务器地址 smtp_url，例如 smtps://用户名:密码@mail.example.gov.cn:465"
                            .to_owned(),
                    ));
                };
                // The URL carries the password: the message names the problem, never the URL.
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose().trim())
                    .map_err(|e| {
                        mail_error(format!(
                            "邮件服务器地址 smtp_url 无法识别（{e}）。应写成 smtps://用户名:密码@主机:465（SSL），或 smtp://用户名:密码@主机:587?tls=required（STARTTLS）；用户名或密码含 @ : / 等字符时请按 URL 规则转义（如 @ 写成 %40）"
                        ))
                    })?;
                Transport::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build())
            }
        };
        Ok(Some(Mailer {
            from,
            id_domain,
            transport,
        }))
    }

    /// The sender.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// The directory of the file transport, if that is the transport.
    pub fn file_dir(&self) -> Option<&std::path::Path> {
        match &self.transport {
            Transport::File(_, dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    /// Builds the message: plain text, UTF-8, dated `now` (the store's clock), with a
    /// Message-ID from the idempotency id or else from the job id.
    pub fn message(
        &self,
        mail: &OutgoingMail,
        job_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Message, MailError> {
        let to: Mailbox = mail
            .to
            .trim()
            .parse()
            .map_err(|_| MailError::BadRecipient(mail.to.clone()))?;
        let local = match &mail.idempotency_id {
            Some(id) => format!("gongkai.{}", id_part(id)),
            None => format!("gongkai.job.{job_id}"),
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{local}@{}>", self.id_domain)))
            .date(SystemTime::from(now))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// Sends one mail. An `Ok` means the SMTP server accepted it (or the file was written).
    pub async fn send(
        &self,
        mail: &OutgoingMail,
        job_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), MailError> {
        let message = self.message(mail, job_id, now)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Smtp(e.to_string())),
            Transport::File(file, _) => file
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::File(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::config::Secret;

    fn config(transport: MailTransport) -> Config {
        Config {
            mail_transport: transport,
            mail_from: Some("某区政务公开办 <gongkai@example.gov.cn>".into()),
            data_dir: std::env::temp_dir().join(format!("gongkai-mailer-{}", std::process::id())),
            ..Config::default()
        }
    }

    #[test]
    fn mail_off_builds_no_mailer() {
        assert!(Mailer::from_config(&Config::default()).unwrap().is_none());
    }

    #[test]
    fn a_missing_or_invalid_sender_is_a_startup_error_naming_mail_from() {
        let mut c = config(MailTransport::File);
        c.mail_from = None;
        let err = Mailer::from_config(&c).unwrap_err().to_string();
        assert!(err.contains("mail_from"), "{err}");
        c.mail_from = Some("不是地址".into());
        let err = Mailer::from_config(&c).unwrap_err().to_string();
        assert!(
            err.contains("mail_from") && err.contains("不是地址"),
            "{err}"
        );
    }

    // The SMTP pool starts a tokio task when built, as in the server.
    #[tokio::test]
    async fn smtp_needs_a_url_and_a_bad_one_is_refused_without_echoing_the_password() {
        let mut c = config(MailTransport::Smtp);
        let err = Mailer::from_config(&c).unwrap_err().to_string();
        assert!(err.contains("smtp_url"), "{err}");
        c.smtp_url = Some(Secret::new("ftp://user:hunter2@mail.example.gov.cn"));
        let err = Mailer::from_config(&c).unwrap_err().to_string();
        assert!(err.contains("smtp_url"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        c.smtp_url = Some(Secret::new("smtps://user:pw@mail.example.gov.cn:465"));
        assert!(Mailer::from_config(&c).unwrap().is_some());
    }

    #[test]
    fn the_message_id_comes_from_the_idempotency_id_so_a_resend_is_recognisable() {
        let mailer = Mailer::from_config(&config(MailTransport::File))
            .unwrap()
            .unwrap();
        let mail = OutgoingMail {
            to: "zhangsan@example.gov.cn".into(),
            subject: "答复期限提醒".into(),
            body: "正文".into(),
            idempotency_id: Some("reminder.7.statutory.2026-10-09.due-soon.u3".into()),
        };
        let now = Utc::now();
        let a = String::from_utf8(mailer.message(&mail, 1, now).unwrap().formatted()).unwrap();
        let b = String::from_utf8(mailer.message(&mail, 2, now).unwrap().formatted()).unwrap();
        let id = "<gongkai.reminder.7.statutory.2026-10-09.due-soon.u3@example.gov.cn>";
        assert!(a.contains(id), "{a}");
        assert!(b.contains(id), "{b}");
        let bad = OutgoingMail {
            to: "没有地址".into(),
            ..mail
        };
        assert!(matches!(
            mailer.message(&bad, 3, now),
            Err(MailError::BadRecipient(_))
        ));
    }
}
