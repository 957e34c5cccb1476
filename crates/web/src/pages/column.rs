//! The public 政府信息公开 column of an organ (no script): 法定主动公开内容 by 条例第二十条 item,
//! 主题分类 and 公开领域 (条例第十九条、第二十条), the filtered lists, each item's page with its
//! 政府信息公开目录 metadata, and attachment downloads. Only published items are ever shown.
//!
//! Every page costs a fixed handful of queries, run concurrently (`tokio::join!`): no query per
//! line of a list.

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue, X_CONTENT_TYPE_OPTIONS,
};
use axum::response::{Html, IntoResponse, Response};
use gongkai_law::{Art20Item, Genre, ItemState, Validity};
use gongkai_store::{Attachment, Item, ItemSummary, Organ, PublicFilter};

use super::organs::load as organ;
use super::portal::column_links;
use super::{Layout, html};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Lines per page of a list.
pub const PER_PAGE: u32 = 20;
/// Lines of the 最新信息 block of the column page.
const LATEST: u32 = 10;
/// Longest 主题分类 / 公开领域 accepted in a query (the reference terms are at most 100).
const TERM_MAX: usize = 100;

/// What the column frame (`column_nav.html`) needs.
pub struct Frame {
    pub organ_id: i64,
    pub organ_name: String,
    pub column: Vec<(String, String)>,
    pub current: String,
}

impl Frame {
    fn new(organ: &Organ) -> Frame {
        Frame {
            organ_id: organ.id,
            organ_name: organ.name.clone(),
            column: column_links(organ.id),
            current: format!("/organs/{}/proactive", organ.id),
        }
    }
}

/// One line of a list.
pub struct Line {
    pub id: i64,
    pub title: String,
    pub published_on: String,
    pub doc_no: Option<String>,
    /// 失效 / 废止.
    pub badge: Option<&'static str>,
}

fn line(s: &ItemSummary) -> Line {
    Line {
        id: s.id,
        title: s.title.clone(),
        published_on: s.published_on.map(|d| d.to_string()).unwrap_or_default(),
        doc_no: s.doc_no.clone().filter(|d| !d.is_empty()),
        badge: badge(s.validity),
    }
}

fn badge(v: Option<Validity>) -> Option<&'static str> {
    match v {
        Some(v @ (Validity::Expired | Validity::Repealed)) => Some(v.label()),
        _ => None,
    }
}

/// The filters of a list, from the query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub art20: Option<Art20Item>,
    pub topic: Option<String>,
    pub domain: Option<String>,
    pub genre: Option<Genre>,
    pub year: Option<i32>,
    pub page: u32,
}

/// At most 30 characters of a rejected value, to quote it back.
fn quote(v: &str) -> String {
    let mut s: String = v.chars().take(30).collect();
    if v.chars().count() > 30 {
        s.push('…');
    }
    s
}

impl ListQuery {
    /// Parses `art20=3&topic=…&domain=…&genre=normative_document&year=2023&page=2`. Empty values
    /// mean "all" (a filter form submits them); unknown keys are ignored; a bad value is an error
    /// message in Chinese.
    pub fn parse(raw: Option<&str>) -> Result<ListQuery, String> {
        let pairs: Vec<(String, String)> = match raw {
            None => Vec::new(),
            Some(q) => serde_urlencoded::from_str(q).map_err(|_| {
                "网址中的查询条件格式不正确。请从页面上的链接或筛选表单进入。".to_owned()
            })?,
        };
        let mut q = ListQuery {
            page: 1,
            ..ListQuery::default()
        };
        for (key, value) in &pairs {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            match key.as_str() {
                "art20" => {
                    q.art20 = Some(v.parse::<u8>().ok().and_then(Art20Item::new).ok_or_else(
                        || {
                            format!(
                                "“{}”不是条例第二十条的事项：第二十条共有第（一）至第（十五）项，请用 1 至 15 的数字表示。",
                                quote(v)
                            )
                        },
                    )?);
                }
                "topic" | "domain" => {
                    let what = if key == "topic" {
                        "主题分类"
                    } else {
                        "公开领域"
                    };
                    if v.chars().count() > TERM_MAX {
                        return Err(format!("{what}过长（最多 {TERM_MAX} 个字）。"));
                    }
                    let slot = if key == "topic" {
                        &mut q.topic
                    } else {
                        &mut q.domain
                    };
                    *slot = Some(v.to_owned());
                }
                "genre" => {
                    q.genre = Some(Genre::parse(v).map_err(|_| {
                        let all: Vec<&str> = Genre::ALL.iter().map(|g| g.label()).collect();
                        format!(
                            "体裁分类“{}”不存在。可选的体裁分类：{}。",
                            quote(v),
                            all.join("、")
                        )
                    })?);
                }
                "year" => {
                    q.year = Some(
                        v.parse::<i32>()
                            .ok()
                            .filter(|y| (1949..=9999).contains(y))
                            .ok_or_else(|| {
                                format!("年份“{}”无效，请填写四位数字的年份，如 2023。", quote(v))
                            })?,
                    );
                }
                "page" => {
                    q.page = v.parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| {
                        format!("页码“{}”无效，页码是从 1 开始的整数。", quote(v))
                    })?;
                }
                _ => {}
            }
        }
        Ok(q)
    }

    fn filter(&self, organ_id: i64, page: u32, per_page: u32) -> PublicFilter {
        PublicFilter {
            organ_id: Some(organ_id),
            art20_item: self.art20,
            topic: self.topic.clone(),
            domain: self.domain.clone(),
            genre: self.genre,
            year: self.year,
            page,
            per_page,
        }
    }

    /// The list address with these filters at `page`.
    pub fn href(&self, organ_id: i64, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(a) = self.art20 {
            pairs.push(("art20", a.number().to_string()));
        }
        if let Some(t) = &self.topic {
            pairs.push(("topic", t.clone()));
        }
        if let Some(d) = &self.domain {
            pairs.push(("domain", d.clone()));
        }
        if let Some(g) = self.genre {
            pairs.push(("genre", g.key().to_owned()));
        }
        if let Some(y) = self.year {
            pairs.push(("year", y.to_string()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() {
            format!("/organs/{organ_id}/items")
        } else {
            format!("/organs/{organ_id}/items?{qs}")
        }
    }

    /// The filters in words, each with the address of the list without it.
    fn described(&self, organ_id: i64) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(a) = self.art20 {
            let rest = ListQuery {
                art20: None,
                ..self.clone()
            };
            out.push((
                format!("条例第二十条{}{}", a.ordinal(), a.text()),
                rest.href(organ_id, 1),
            ));
        }
        if let Some(t) = &self.topic {
            let rest = ListQuery {
                topic: None,
                ..self.clone()
            };
            out.push((format!("主题分类：{t}"), rest.href(organ_id, 1)));
        }
        if let Some(d) = &self.domain {
            let rest = ListQuery {
                domain: None,
                ..self.clone()
            };
            out.push((format!("公开领域：{d}"), rest.href(organ_id, 1)));
        }
        if let Some(g) = self.genre {
            let rest = ListQuery {
                genre: None,
                ..self.clone()
            };
            out.push((format!("体裁分类：{}", g.label()), rest.href(organ_id, 1)));
        }
        if let Some(y) = self.year {
            let rest = ListQuery {
                year: None,
                ..self.clone()
            };
            out.push((format!("发布年份：{y} 年"), rest.href(organ_id, 1)));
        }
        out
    }
}

// ---------------------------------------------------------------- the column page

/// A navigation line: (label, words, href, count).
pub struct NavLine {
    pub label: String,
    pub text: String,
    pub href: String,
    pub count: i64,
}

#[derive(Template)]
#[template(path = "column_proactive.html")]
struct ProactivePage {
    layout: Layout,
    frame: Frame,
    heading: String,
    art20: Vec<NavLine>,
    topics: Vec<NavLine>,
    domains: Vec<NavLine>,
    genres: Vec<(String, String)>,
    latest: Vec<Line>,
    total: i64,
}

/// `/organs/{id}/proactive`: 法定主动公开内容.
pub async fn proactive(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Html<String>> {
    let items = state.store().items();
    let latest_filter = ListQuery::default().filter(id, 1, LATEST);
    let (o, art20, topics, domains, latest) = tokio::join!(
        organ(&state, id),
        items.art20_counts(id),
        items.term_counts(id, false),
        items.term_counts(id, true),
        items.list_public(&latest_filter),
    );
    let o = o?;
    let (art20, topics, domains, latest) = (art20?, topics?, domains?, latest?);
    let href = |q: ListQuery| q.href(id, 1);
    let art20 = Art20Item::all()
        .map(|a| NavLine {
            label: a.ordinal(),
            text: a.text().to_owned(),
            href: href(ListQuery {
                art20: Some(a),
                ..ListQuery::default()
            }),
            count: art20.iter().find(|(x, _)| *x == a).map_or(0, |(_, n)| *n),
        })
        .collect();
    let terms = |list: Vec<(String, i64)>, domain: bool| -> Vec<NavLine> {
        list.into_iter()
            .map(|(term, count)| {
                let q = if domain {
                    ListQuery {
                        domain: Some(term.clone()),
                        ..ListQuery::default()
                    }
                } else {
                    ListQuery {
                        topic: Some(term.clone()),
                        ..ListQuery::default()
                    }
                };
                NavLine {
                    label: String::new(),
                    text: term,
                    href: href(q),
                    count,
                }
            })
            .collect()
    };
    let genres = Genre::ALL
        .iter()
        .map(|g| {
            (
                g.label().to_owned(),
                href(ListQuery {
                    genre: Some(*g),
                    ..ListQuery::default()
                }),
            )
        })
        .collect();
    let heading = format!("{}法定主动公开内容", o.name);
    html(&ProactivePage {
        layout: Layout::public(heading.clone()),
        frame: Frame::new(&o),
        heading,
        art20,
        topics: terms(topics, false),
        domains: terms(domains, true),
        genres,
        latest: latest.items.iter().map(line).collect(),
        total: latest.total,
    })
}

// ---------------------------------------------------------------- the lists

/// A pagination link: the address, or `None` on the first/last page.
pub struct Pager {
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
}

#[derive(Template)]
#[template(path = "column_list.html")]
struct ListPage {
    layout: Layout,
    frame: Frame,
    heading: String,
    lines: Vec<Line>,
    total: i64,
    page: u32,
    pages: u32,
    pager: Pager,
    active: Vec<(String, String)>,
    /// (number, "（三）text", selected)
    art20_options: Vec<(u8, String, bool)>,
    /// (key, label, selected)
    genre_options: Vec<(&'static str, &'static str, bool)>,
    year: String,
    topic: Option<String>,
    domain: Option<String>,
}

/// `/organs/{id}/items?art20=&topic=&domain=&genre=&year=&page=`.
pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> Response {
    match ListQuery::parse(raw.as_deref()) {
        Ok(q) => match render_list(&state, id, q).await {
            Ok(page) => page.into_response(),
            Err(e) => e.into_response(),
        },
        Err(message) => bad_query(&message),
    }
}

fn bad_query(message: &str) -> Response {
    super::error_page(
        axum::http::StatusCode::BAD_REQUEST,
        "查询条件有误",
        &format!("{message}如需浏览全部信息，请返回本机关的法定主动公开内容页面。"),
    )
}

async fn render_list(state: &AppState, id: i64, q: ListQuery) -> AppResult<Response> {
    let filter = q.filter(id, q.page, PER_PAGE);
    let items = state.store().items();
    let (o, page) = tokio::join!(organ(state, id), items.list_public(&filter));
    let (o, page) = (o?, page?);
    let pages = page.pages();
    if page.total > 0 && q.page > pages {
        return Ok(bad_query(&format!(
            "没有第 {} 页：按当前条件共有 {} 条信息、{} 页。",
            q.page, page.total, pages
        )));
    }
    let current = q.page;
    let link = |p: u32| q.href(id, p);
    let pager = Pager {
        first: (current > 1).then(|| link(1)),
        prev: (current > 1).then(|| link(current - 1)),
        next: (current < pages).then(|| link(current + 1)),
        last: (current < pages).then(|| link(pages)),
    };
    let heading = format!("{}主动公开信息", o.name);
    let title = if current > 1 {
        format!("{heading}（第 {current} 页）")
    } else {
        heading.clone()
    };
    Ok(html(&ListPage {
        layout: Layout::public(title),
        frame: Frame::new(&o),
        heading,
        lines: page.items.iter().map(line).collect(),
        total: page.total,
        page: current,
        pages: pages.max(1),
        pager,
        active: q.described(id),
        art20_options: Art20Item::all()
            .map(|a| {
                (
                    a.number(),
                    format!("{}{}", a.ordinal(), a.text()),
                    q.art20 == Some(a),
                )
            })
            .collect(),
        genre_options: Genre::ALL
            .iter()
            .map(|g| (g.key(), g.label(), q.genre == Some(*g)))
            .collect(),
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
        topic: q.topic.clone(),
        domain: q.domain.clone(),
    })?
    .into_response())
}

// ---------------------------------------------------------------- the item page

pub struct AttachmentLine {
    pub href: String,
    pub file_name: String,
    pub size: String,
}

/// "1.5 MB", "12 KB", "800 字节".
pub fn human_size(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = bytes * 10 / MB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else if bytes >= KB {
        format!("{} KB", (bytes + KB - 1) / KB)
    } else {
        format!("{} 字节", bytes.max(0))
    }
}

#[derive(Template)]
#[template(path = "column_item.html")]
struct ItemPage {
    layout: Layout,
    frame: Frame,
    title: String,
    /// (label, value) rows of the 目录 metadata table.
    metadata: Vec<(&'static str, String)>,
    /// "本文件已于 … 失效".
    validity_note: Option<String>,
    summary: String,
    /// Sanitised by the back office before it was stored (see `item`).
    body_html: String,
    attachments: Vec<AttachmentLine>,
    interpretations: Vec<Line>,
    /// For a 政策解读: the document it interprets (id, title).
    interprets: Option<(i64, String)>,
}

fn published(item: Option<Item>) -> AppResult<Item> {
    item.filter(|i| i.state == ItemState::Published)
        .ok_or(AppError::NotFound)
}

/// `/items/{id}`: one published item with its 政府信息公开目录 metadata.
pub async fn item(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Html<String>> {
    let items = state.store().items();
    let item = published(items.get(id).await?)?;
    let c = &item.content;
    let wants_interpretations = c.genre.is_document();
    let (o, attachments, interpretations, target) = tokio::join!(
        organ(&state, item.organ_id),
        items.attachments(id),
        async {
            if wants_interpretations {
                items.interpretations_of(id).await
            } else {
                Ok(Vec::new())
            }
        },
        async {
            match c.interprets_item_id {
                Some(t) => items.get(t).await,
                None => Ok(None),
            }
        },
    );
    let (o, attachments, interpretations) = (o?, attachments?, interpretations?);
    let interprets = target?
        .filter(|t| t.state == ItemState::Published)
        .map(|t| (t.id, t.content.title));

    let mut metadata: Vec<(&'static str, String)> = vec![
        (
            "索引号",
            item.index_no.clone().unwrap_or_else(|| "—".to_owned()),
        ),
        ("主题分类", c.topic.clone()),
        ("发布机构", o.name.clone()),
        ("成文日期", c.formed_on.to_string()),
        (
            "发布日期",
            item.published_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "文号",
            c.doc_no
                .clone()
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "无".to_owned()),
        ),
    ];
    let mut validity_note = None;
    if let Some(v) = c.validity {
        let text = match (v, item.validity_changed_on) {
            (Validity::Valid, _) => v.label().to_owned(),
            (_, Some(on)) => {
                validity_note = Some(format!("本文件已于 {on} {}，仅供查阅。", v.label()));
                format!("{}（{on} 起）", v.label())
            }
            (_, None) => {
                validity_note = Some(format!("本文件已{}，仅供查阅。", v.label()));
                v.label().to_owned()
            }
        };
        metadata.push(("有效性", text));
    }
    metadata.push(("体裁分类", c.genre.label().to_owned()));
    if let Some(d) = &c.domain {
        metadata.push(("公开领域", d.clone()));
    }
    if let Some(a) = c.art20_item {
        metadata.push((
            "法定主动公开事项",
            format!("条例第二十条{}{}", a.ordinal(), a.text()),
        ));
    }
    metadata.push((
        "主题词",
        if c.keywords.trim().is_empty() {
            "无".to_owned()
        } else {
            c.keywords.clone()
        },
    ));
    metadata.push((
        "公开渠道",
        c.channels
            .iter()
            .map(|ch| ch.label())
            .collect::<Vec<_>>()
            .join("、"),
    ));

    let attachments = attachments
        .iter()
        .map(|a: &Attachment| AttachmentLine {
            href: format!("/items/{}/attachments/{}", id, a.id),
            file_name: a.file_name.clone(),
            size: human_size(a.size_bytes),
        })
        .collect();
    html(&ItemPage {
        layout: Layout::public(c.title.clone()),
        frame: Frame::new(&o),
        title: c.title.clone(),
        metadata,
        validity_note,
        summary: c.summary.clone(),
        body_html: c.body_html.clone(),
        attachments,
        interpretations: interpretations.iter().map(line).collect(),
        interprets,
    })
}

// ---------------------------------------------------------------- downloads

/// RFC 5987 `attr-char`s are sent as they are; everything else is percent-encoded.
fn rfc5987(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `attachment; filename="ascii fallback"; filename*=UTF-8''…`.
pub fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        rfc5987(file_name)
    )
}

/// `/items/{id}/attachments/{attachment_id}`: the stored file, for published items only.
pub async fn attachment(
    State(state): State<AppState>,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let items = state.store().items();
    let (item, file) = tokio::join!(items.get(id), items.attachment(attachment_id));
    let item = published(item?)?;
    let file = file?
        .filter(|a| a.item_id == item.id)
        .ok_or(AppError::NotFound)?;
    let data_dir = state.config().data_dir.clone();
    let sha256 = file.sha256.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        crate::uploads::path_for(&data_dir, &sha256).and_then(|p| std::fs::read(p).ok())
    })
    .await
    .map_err(|e| AppError::Internal(format!("读取附件失败：{e}")))?;
    let Some(bytes) = bytes else {
        tracing::warn!(
            item = id,
            attachment = attachment_id,
            sha256 = %file.sha256,
            "attachment file missing from the uploads directory"
        );
        return Err(AppError::NotFound);
    };
    Ok(download(
        bytes,
        &file.media_type,
        &file.file_name,
        "public, max-age=300",
    ))
}

/// A file download: its type, a UTF-8 file name, no sniffing, and the caching it allows.
pub fn download(
    bytes: Vec<u8>,
    media_type: &str,
    file_name: &str,
    cache_control: &'static str,
) -> Response {
    let media_type = HeaderValue::from_str(media_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(file_name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (CONTENT_TYPE, media_type),
            (CONTENT_DISPOSITION, disposition),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (CACHE_CONTROL, HeaderValue::from_static(cache_control)),
        ],
        Body::from(bytes),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn queries_parse_and_round_trip() {
        let q = ListQuery::parse(Some(
            "art20=3&topic=%E7%BB%BC%E5%90%88&genre=normative_document&year=2023&page=2&x=1",
        ))
        .unwrap();
        assert_eq!(q.art20.map(Art20Item::number), Some(3));
        assert_eq!(q.topic.as_deref(), Some("综合"));
        assert_eq!(q.genre, Some(Genre::NormativeDocument));
        assert_eq!((q.year, q.page), (Some(2023), 2));
        let again = ListQuery::parse(q.href(7, 2).split_once('?').map(|(_, s)| s)).unwrap();
        assert_eq!(again, q);
        assert_eq!(ListQuery::parse(Some("art20=&genre=")).unwrap().page, 1);
        assert_eq!(ListQuery::default().href(7, 1), "/organs/7/items");
    }

    #[test]
    fn bad_values_are_chinese_errors() {
        for bad in ["page=abc", "page=0", "art20=99", "genre=nope", "year=20x3"] {
            let e = ListQuery::parse(Some(bad)).unwrap_err();
            assert!(e.contains('。'), "{bad}: {e}");
        }
    }

    #[test]
    fn downloads_name_the_file_in_utf8() {
        let h = content_disposition("通知 \"2023\".pdf");
        assert!(
            h.starts_with("attachment; filename=\"__ _2023_.pdf\""),
            "{h}"
        );
        assert!(
            h.ends_with("UTF-8''%E9%80%9A%E7%9F%A5%20%222023%22.pdf"),
            "{h}"
        );
        assert_eq!(human_size(1536), "2 KB");
        assert_eq!(human_size(3 * 1024 * 1024 / 2), "1.5 MB");
    }
}
