//! The stylesheet and the user guide pages, compiled into the binary (nothing is fetched: 政务内网
//! machines are often offline).

use askama::Template;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};

use super::{Layout, html};
use crate::error::{AppError, AppResult};

const CSS: &str = include_str!("../../static/app.css");

/// The guide pages the back office links to: (slug, title, Markdown text).
const GUIDES: &[(&str, &str, &str)] = &[
    (
        "platform",
        "使用说明：运行平台、角色与安全",
        include_str!("../../../../docs/guide/platform.md"),
    ),
    (
        "proactive",
        "使用说明：主动公开的采编、审核与发布",
        include_str!("../../../../docs/guide/proactive.md"),
    ),
    (
        "batch-audit",
        "使用说明：批量审核年度报告（监督检查）",
        include_str!("../../../../docs/guide/batch-audit.md"),
    ),
    (
        "supervision",
        "使用说明：监督保障看板（考核排名）",
        include_str!("../../../../docs/guide/supervision.md"),
    ),
    (
        "inspections",
        "使用说明：检查、通报与整改（监督检查）",
        include_str!("../../../../docs/guide/inspections.md"),
    ),
    (
        "import",
        "使用说明：导入信息台账",
        include_str!("../../../../docs/guide/import.md"),
    ),
    (
        "column",
        "使用说明：政府信息公开专栏",
        include_str!("../../../../docs/guide/column.md"),
    ),
    (
        "apply",
        "使用说明：在线申请政府信息公开与查询办理进度",
        include_str!("../../../../docs/guide/apply.md"),
    ),
    (
        "applications",
        "使用说明：依申请公开的登记、办理与答复期限",
        include_str!("../../../../docs/guide/applications.md"),
    ),
    (
        "challenges",
        "使用说明：行政复议、行政诉讼登记与年度报告表四",
        include_str!("../../../../docs/guide/challenges.md"),
    ),
    (
        "annual-report",
        "使用说明：政府信息公开工作年度报告",
        include_str!("../../../../docs/guide/annual-report.md"),
    ),
    (
        "letters",
        "使用说明：告知书的生成与模板",
        include_str!("../../../../docs/guide/letters.md"),
    ),
    (
        "mail",
        "使用说明：邮件与到期提醒",
        include_str!("../../../../docs/guide/mail.md"),
    ),
    (
        "index",
        "使用说明：目录",
        include_str!("../../../../docs/guide/README.md"),
    ),
];

pub async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// One `## ` section of a guide page (its heading is also the link anchor, e.g. `#角色`).
pub struct Block {
    pub heading: Option<&'static str>,
    pub text: String,
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    layout: Layout,
    blocks: Vec<Block>,
}

/// Splits Markdown into sections at `## ` headings; the text stays plain (escaped) text.
fn blocks(markdown: &'static str) -> Vec<Block> {
    let mut blocks = vec![Block {
        heading: None,
        text: String::new(),
    }];
    for line in markdown.lines() {
        if line.starts_with("# ") {
            continue; // the page title is the <h1>
        }
        if let Some(h) = line.strip_prefix("## ") {
            blocks.push(Block {
                heading: Some(h.trim()),
                text: String::new(),
            });
        } else if let Some(b) = blocks.last_mut() {
            b.text.push_str(line);
            b.text.push('\n');
        }
    }
    for b in &mut blocks {
        b.text = b.text.trim().to_owned();
    }
    blocks.retain(|b| b.heading.is_some() || !b.text.is_empty());
    blocks
}

pub async fn page(Path(slug): Path<String>) -> AppResult<Html<String>> {
    let (_, title, text) = GUIDES
        .iter()
        .find(|(s, _, _)| *s == slug)
        .ok_or(AppError::NotFound)?;
    html(&GuidePage {
        layout: Layout::public(*title),
        blocks: blocks(text),
    })
}
