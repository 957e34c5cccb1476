//! Server-rendered pages (askama; every value is HTML-escaped by the template engine — no page
//! accepts rich text yet, so there is nothing to sanitise with ammonia).

pub mod account;
pub mod applications;
pub mod apply;
pub mod audit;
pub mod batch_audits;
pub mod challenges;
pub mod column;
pub mod dashboard;
pub mod departments;
pub mod feeds;
pub mod guide;
pub mod inspections;
pub mod item_import;
pub mod items;
pub mod letter_templates;
pub mod login;
pub mod organs;
pub mod portal;
pub mod reports;
pub mod search;
pub mod supervision;
pub mod users;

use askama::Template;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppResult;
use crate::session::CurrentUser;

/// What the page frame (`base.html`) needs.
pub struct Layout {
    pub title: String,
    /// The logged-in user's display name (shows the back-office navigation).
    pub user: Option<String>,
    /// The session's CSRF token for the logout form.
    pub csrf: String,
    /// Back-office page (changes the brand link).
    pub admin: bool,
    /// A one-line confirmation after a successful form.
    pub notice: Option<String>,
}

impl Layout {
    pub fn public(title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            user: None,
            csrf: String::new(),
            admin: false,
            notice: None,
        }
    }

    pub fn admin(title: impl Into<String>, user: &CurrentUser) -> Layout {
        Layout {
            title: title.into(),
            user: Some(user.user.display_name.clone()),
            csrf: user.csrf_token.clone(),
            admin: true,
            notice: None,
        }
    }

    /// Adds the confirmation named by `code` (from a redirect's `?ok=`); unknown codes show
    /// nothing, so a link cannot put arbitrary text on the page.
    pub fn with_notice(mut self, code: Option<&str>) -> Layout {
        self.notice = code.and_then(notice_text).map(str::to_owned);
        self
    }
}

fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "saved" => "已保存。",
        "weights_saved" => "考核权重已保存，得分和排名已按新权重重新计算。",
        "batch_audited" => "已审核本批报告。无法读取的文件列在下方，不影响其他文件。",
        "batch_rerun" => "已重新审核全部文件；原有的确认、排除结论均已保留。",
        "decision_saved" => "结论已保存；重新审核后仍然保留。",
        "created" => "已新建。",
        "renamed" => "已重命名。",
        "password" => "密码已重置，该用户在所有设备上的登录已失效。",
        "deactivated" => "账号已停用，其登录已全部失效。",
        "reactivated" => "账号已启用。",
        "granted" => "角色已授予。",
        "revoked" => "角色已撤销。",
        "unchanged" => "没有变化（该角色已授予或已撤销）。",
        "email" => "电子邮箱已保存；为空时该用户不再收到到期提醒邮件。",
        "email_unchanged" => "电子邮箱没有变化。",
        "logged_out" => "您已退出登录。",
        "password_changed" => "密码已修改，请用新密码重新登录。",
        "item_created" => "草稿已保存。写完后请“提交审核”。",
        "report_opened" => "年度报告已建立：表格已按办理记录生成，正文已预填，请补写“待填写”处。",
        "report_saved" => "已保存。",
        "report_figures" => "表二中来自其他业务系统的数字已保存。",
        "report_previous" => "上一年度报告的表格已保存，跨年度检查已按其进行。",
        "report_submitted" => "已提交审核，等待审核人审核发布。",
        "report_sent_back" => "已退回修改，退回意见已告知起草人。",
        "report_published" => "年度报告已发布，并在政府信息公开专栏公开。",
        "report_revising" => {
            "已开始更正：修改后请重新提交审核，发布后公开页面将显示新版本和更正原因。"
        }
        "item_saved" => "修改已保存。",
        "item_submitted" => "已提交审核，等待审核人审核。",
        "item_published" => "已审核通过并发布，索引号已生成。",
        "item_rejected" => "已退回修改，作者会在待办中看到退回理由。",
        "item_withheld" => "已决定不予公开，到复查日期会出现在待办中（条例第十八条）。",
        "item_released" => "复查后可以公开，已重新送审。",
        "item_kept" => "复查后继续不予公开，已设定下次复查日期。",
        "item_revised" => "已修订，生成了新版本；历史版本可在下方查看。",
        "item_withdrawn" => "已撤回，公众已看不到该信息。",
        "item_validity" => "有效性已变更。",
        "item_attached" => "附件已上传。",
        "application_created" => {
            "申请已登记，答复期限已按收到申请之日计算（条例第三十一条、第三十三条）。"
        }
        "application_correction" => {
            "补正告知已记录：答复期限在收到补正后的申请之日起重新计算（条例第三十条）。"
        }
        "application_extension" => "延期已记录，请告知申请人（条例第三十三条第二款）。",
        "application_step" => "已记录，答复期限已重新计算。",
        "application_closed" => "已记录，本申请已办结。",
        "application_assigned" => "分办已保存。",
        "application_fee_notice" => {
            "收费通知已记录：申请人自收到通知次日起20个工作日内缴费，期间答复期限暂停（国办函〔2020〕109号）。"
        }
        "application_delivery" => "送达已登记。",
        "application_opinion" => "承办意见已提交。",
        "application_attached" => "身份证明复印件已上传。",
        "application_letter" => "告知书已生成，可下载 Word 或 PDF 文件送达申请人，并登记送达。",
        "inspection_opened" => "检查已开始。请逐条记录检查发现的问题，然后印发通报。",
        "problem_recorded" => "问题已记录。",
        "problem_saved" => "问题已修改。",
        "notice_issued" => {
            "通报已印发并定稿，整改期限已按工作日计算；各机关可在“整改反馈”页面看到本机关的问题。"
        }
        "problem_answered" => "整改情况已反馈，等待监督机关核实销号。",
        "problem_closed" => "已销号（整改到位）。",
        "problem_reopened" => "已退回重新整改，退回理由已告知该机关。",
        "template_saved" => "模板已保存，此后生成的告知书使用新模板；已生成的告知书不变。",
        "template_reset" => "已恢复为系统默认模板。",
        _ => return None,
    })
}

/// Renders a template into an HTML response.
pub fn html<T: Template>(template: &T) -> AppResult<Html<String>> {
    Ok(Html(template.render()?))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    message: &'a str,
}

/// The Chinese error page for `status`.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let page = ErrorPage {
        layout: Layout::public(title),
        message,
    };
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(_) => (
            status,
            [(CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{title}：{message}"),
        )
            .into_response(),
    }
}

/// The 404 page for every unknown address.
pub async fn not_found() -> Response {
    crate::error::AppError::NotFound.into_response()
}

/// Middleware: axum's own rejections (a malformed form, a non-numeric id in the path, a wrong
/// method, a body too large) are short English texts; replace every client error that is not
/// already one of our HTML pages with the Chinese error page.
pub async fn chinese_rejections(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !status.is_client_error() || is_html {
        return response;
    }
    let (title, message) = match status {
        StatusCode::NOT_FOUND => (
            "页面不存在",
            "您要访问的页面不存在或已被删除。请检查网址，或从首页重新进入。",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "不支持的操作方式",
            "此页面不支持这种访问方式。请从页面上的链接或按钮进入，不要直接输入网址提交。",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("提交的内容过大", "提交的内容过大，请减少内容后重试。"),
        _ => (
            "请求无法处理",
            "请求的网址或提交的表单格式不正确。请返回上一页，刷新后重新操作；如网址是手工输入的，请检查是否有误。",
        ),
    };
    error_page(status, title, message)
}
