//! The Chinese texts of every mail the platform sends. Plain text: mail clients in government
//! offices often show HTML mail badly or block it.

use chrono::{Datelike, NaiveDate, Weekday};
use gongkai_law::clock::{MAX_EXTENSION_WORKING_DAYS, REPLY_PERIOD_WORKING_DAYS};

/// "2026年10月9日（星期五）".
pub fn date_cn(d: NaiveDate) -> String {
    let weekday = match d.weekday() {
        Weekday::Mon => "一",
        Weekday::Tue => "二",
        Weekday::Wed => "三",
        Weekday::Thu => "四",
        Weekday::Fri => "五",
        Weekday::Sat => "六",
        Weekday::Sun => "日",
    };
    format!(
        "{}年{}月{}日（星期{weekday}）",
        d.year(),
        d.month(),
        d.day()
    )
}

/// `public_url` + `path`, or `None` when the public address is not configured (a mail cannot
/// carry a relative link).
pub fn link(public_url: Option<&str>, path: &str) -> Option<String> {
    let base = public_url?.trim().trim_end_matches('/');
    (!base.is_empty()).then(|| format!("{base}{path}"))
}

const FOOTER: &str = "\n——\n本邮件由政府信息公开平台自动发送，请勿直接回复。\n";

/// Which deadline a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineKind {
    /// The reply due date to the applicant (条例 Art 33).
    Statutory,
    /// The 科室's internal due date, set when the case was assigned.
    Internal,
}

impl DeadlineKind {
    /// Used in dedup keys and Message-IDs.
    pub fn key(self) -> &'static str {
        match self {
            DeadlineKind::Statutory => "statutory",
            DeadlineKind::Internal => "internal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Statutory => "答复期限",
            DeadlineKind::Internal => "科室内部办理期限",
        }
    }

    /// The rule behind the deadline, quoted in the mail.
    pub fn basis(self) -> String {
        match self {
            DeadlineKind::Statutory => format!(
                "依据：《中华人民共和国政府信息公开条例》第三十三条第二款：行政机关不能当场答复的，应当自收到申请之日起{REPLY_PERIOD_WORKING_DAYS}个工作日内予以答复；需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过{MAX_EXTENSION_WORKING_DAYS}个工作日。征求第三方和其他机关意见所需时间不计算在前款规定的期限内（第三十三条第三款）。"
            ),
            DeadlineKind::Internal => "依据：内部办理期限由信息公开工作机构分办时确定，早于对申请人的答复期限（《中华人民共和国政府信息公开条例》第三十三条），以便按期答复。".to_owned(),
        }
    }
}

/// Whether the deadline is near or already past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// `working_days_left` working days to go (0 = due today).
    DueSoon { working_days_left: i64 },
    /// Past the due date.
    Overdue,
}

impl Stage {
    pub fn key(self) -> &'static str {
        match self {
            Stage::DueSoon { .. } => "due-soon",
            Stage::Overdue => "overdue",
        }
    }
}

/// What a reminder says.
#[derive(Debug, Clone)]
pub struct Reminder<'a> {
    pub recipient_name: &'a str,
    pub organ_name: &'a str,
    pub tracking_no: &'a str,
    pub kind: DeadlineKind,
    pub due_on: NaiveDate,
    pub stage: Stage,
    /// The case page, when `public_url` is configured.
    pub case_link: Option<String>,
}

/// Subject and body of a deadline reminder.
pub fn reminder(r: &Reminder<'_>) -> (String, String) {
    let label = r.kind.label();
    let (subject, status) = match r.stage {
        Stage::DueSoon {
            working_days_left: 0,
        } => (
            format!("【今日到期】依申请公开 {} {label}为今天", r.tracking_no),
            format!("{label}为今天，即 {}。", date_cn(r.due_on)),
        ),
        Stage::DueSoon { working_days_left } => (
            format!(
                "【到期提醒】依申请公开 {} {label}还剩 {working_days_left} 个工作日",
                r.tracking_no
            ),
            format!(
                "{label}为 {}，距今还剩 {working_days_left} 个工作日（按国务院办公厅公布的节假日和调休安排计算）。",
                date_cn(r.due_on)
            ),
        ),
        Stage::Overdue => (
            format!("【已逾期】依申请公开 {} 已超过{label}", r.tracking_no),
            format!(
                "{label}为 {}，现已逾期。请尽快办理，并在系统中记录办理情况。",
                date_cn(r.due_on)
            ),
        ),
    };
    let link = match &r.case_link {
        Some(url) => format!("案件页面：{url}"),
        None => "请登录政府信息公开平台后台，在“依申请公开”中按申请编号查看。".to_owned(),
    };
    let body = format!(
        "{}：\n\n{}收到的政府信息公开申请（申请编号 {}）的{status}\n\n{link}\n\n{}\n{FOOTER}",
        r.recipient_name,
        r.organ_name,
        r.tracking_no,
        r.kind.basis()
    );
    (subject, body)
}

/// What the applicant's confirmation says.
#[derive(Debug, Clone)]
pub struct Confirmation<'a> {
    pub applicant_name: &'a str,
    pub organ_name: &'a str,
    pub tracking_no: &'a str,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub track_link: Option<String>,
}

// The confirmation deliberately does NOT contain the tracking secret (查询密码). The secret is
// shown once on the receipt page and is the only key to the applicant's personal data and the
// reply on the tracking page: an e-mail travels and is stored in plain text on servers we do
// not control, the address is typed by the applicant and never verified (a typo sends the mail
// to a stranger), and putting the secret in the job payload would keep it in plain text in the
// jobs table, while the database otherwise holds only its hash. The mail says where to track
// and how to recover access (ask the office), which is enough to find the case again.
/// Subject and body of the confirmation of receipt (条例 Art 31, online channel).
pub fn confirmation(c: &Confirmation<'_>) -> (String, String) {
    let subject = format!("【已收到】政府信息公开申请 {}", c.tracking_no);
    let due = match c.due_on {
        Some(d) => format!(
            "按《中华人民共和国政府信息公开条例》第三十三条，行政机关应当在 {} 前答复（自收到申请之日起{REPLY_PERIOD_WORKING_DAYS}个工作日；需要补正、征求意见或经批准延期的，期限相应变化，届时另行告知）。",
            date_cn(d)
        ),
        None => "答复期限将在受理后确定。".to_owned(),
    };
    let track = match &c.track_link {
        Some(url) => format!("查询办理进度：{url}"),
        None => {
            "查询办理进度：请在本机关政府信息公开专栏的“查询办理进度”页面输入申请编号和查询密码。"
                .to_owned()
        }
    };
    let body = format!(
        "{}：\n\n{}已于 {} 收到您的政府信息公开申请，申请编号为 {}。\n\n{due}\n\n{track}\n查询密码已在提交成功的页面上显示，为保护您的个人信息，本邮件不包含查询密码。如查询密码遗失，请携申请编号与本机关政府信息公开工作机构联系。\n\n如非本人提交，请忽略本邮件。\n{FOOTER}",
        c.applicant_name,
        c.organ_name,
        date_cn(c.received_on),
        c.tracking_no
    );
    (subject, body)
}

/// What the extension notice says.
#[derive(Debug, Clone)]
pub struct ExtensionNotice<'a> {
    pub applicant_name: &'a str,
    pub organ_name: &'a str,
    pub tracking_no: &'a str,
    pub working_days: u32,
    pub new_due_on: Option<NaiveDate>,
    pub track_link: Option<String>,
}

/// Subject and body of the notice of an extension (条例 Art 33 ¶2: 告知申请人).
pub fn extension_notice(n: &ExtensionNotice<'_>) -> (String, String) {
    let subject = format!("【延期答复告知】政府信息公开申请 {}", n.tracking_no);
    let due = match n.new_due_on {
        Some(d) => format!("延长后的答复期限为 {}。", date_cn(d)),
        None => String::new(),
    };
    let track = match &n.track_link {
        Some(url) => format!("查询办理进度：{url}"),
        None => "您可在本机关政府信息公开专栏的“查询办理进度”页面查看。".to_owned(),
    };
    let body = format!(
        "{}：\n\n您向{}提出的政府信息公开申请（申请编号 {}），因需要延长答复期限，经政府信息公开工作机构负责人同意，答复期限延长 {} 个工作日。{due}\n\n依据：《中华人民共和国政府信息公开条例》第三十三条第二款：需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过{MAX_EXTENSION_WORKING_DAYS}个工作日。\n\n{track}\n{FOOTER}",
        n.applicant_name, n.organ_name, n.tracking_no, n.working_days
    );
    (subject, body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_reminder_names_the_case_the_deadline_the_days_left_and_the_article() {
        let (subject, body) = reminder(&Reminder {
            recipient_name: "张三",
            organ_name: "某街道办事处",
            tracking_no: "YSQ2026ABCDEF",
            kind: DeadlineKind::Statutory,
            due_on: d("2026-10-09"),
            stage: Stage::DueSoon {
                working_days_left: 3,
            },
            case_link: link(
                Some("https://gk.example.gov.cn/"),
                "/admin/organs/2/applications/7",
            ),
        });
        assert!(subject.contains("YSQ2026ABCDEF") && subject.contains("3 个工作日"));
        assert!(body.contains("2026年10月9日（星期五）"), "{body}");
        assert!(body.contains("还剩 3 个工作日"));
        assert!(body.contains("第三十三条"));
        assert!(body.contains("https://gk.example.gov.cn/admin/organs/2/applications/7"));
    }

    #[test]
    fn without_public_url_the_reminder_says_where_to_look_instead_of_a_relative_link() {
        let (_, body) = reminder(&Reminder {
            recipient_name: "李四",
            organ_name: "某局",
            tracking_no: "YSQ2026ABCDEF",
            kind: DeadlineKind::Internal,
            due_on: d("2026-10-09"),
            stage: Stage::Overdue,
            case_link: link(None, "/admin"),
        });
        assert!(body.contains("已逾期") && body.contains("科室内部办理期限"));
        assert!(body.contains("请登录"));
        assert!(!body.contains("http"));
    }

    #[test]
    fn the_confirmation_has_number_dates_and_tracking_but_no_secret() {
        let (subject, body) = confirmation(&Confirmation {
            applicant_name: "王五",
            organ_name: "某区人民政府",
            tracking_no: "YSQ2026ABCDEF",
            received_on: d("2026-09-04"),
            due_on: Some(d("2026-10-09")),
            track_link: link(Some("https://gk.example.gov.cn"), "/track"),
        });
        assert!(subject.contains("YSQ2026ABCDEF"));
        assert!(body.contains("2026年9月4日") && body.contains("2026年10月9日"));
        assert!(body.contains("https://gk.example.gov.cn/track"));
        assert!(body.contains("不包含查询密码"));
    }
}
