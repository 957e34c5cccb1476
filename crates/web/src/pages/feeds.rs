//! Machine-readable views of the column: each organ's Atom 1.0 feed of its latest published items
//! (RFC 4287) and the sitemap of the whole site (sitemaps.org protocol 0.9: at most 50,000 URLs
//! a file, else a sitemap index). XML is written by hand with [`push_escaped`].

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HOST};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use gongkai_store::{ItemSummary, PublicFilter};

use super::portal::COLUMN;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Entries of a feed.
const FEED_ENTRIES: u32 = 20;
/// URLs a sitemap file may hold (sitemaps.org).
const SITEMAP_MAX: usize = 50_000;
/// Items of a sitemap part: those with ids in `((n-2)·W, (n-1)·W]` — at most W URLs.
const PART_IDS: i64 = 50_000;
/// Rows read from the store at a time.
const BATCH: u32 = 10_000;

/// Appends `text` to `out` escaped for XML character data and attribute values; characters XML
/// 1.0 does not allow (C0 controls but tab and line ends, U+FFFE, U+FFFF) are dropped.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// The absolute address of the site: `public_url` when configured, else `http://` + the
/// request's Host (only a well-formed host name is taken).
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = state
        .config()
        .public_url
        .as_deref()
        .map(|u| u.trim().trim_end_matches('/'))
        .filter(|u| !u.is_empty())
    {
        return url.to_owned();
    }
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| valid_host(h))
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A 发布日期 as an instant: midnight China time.
fn day_start(d: NaiveDate) -> String {
    format!("{}T00:00:00+08:00", d.format("%Y-%m-%d"))
}

fn xml(content_type: &'static str, body: String) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    push_escaped(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

fn entry(out: &mut String, base: &str, organ_name: &str, item: &ItemSummary) {
    let href = format!("{base}/items/{}", item.id);
    out.push_str("<entry>\n");
    element(out, "id", &href);
    element(out, "title", &item.title);
    out.push_str("<link rel=\"alternate\" type=\"text/html\" href=\"");
    push_escaped(out, &href);
    out.push_str("\"/>\n");
    element(out, "updated", &rfc3339(item.updated_at));
    if let Some(d) = item.published_on {
        element(out, "published", &day_start(d));
    }
    out.push_str("<author>");
    element(out, "name", organ_name);
    out.push_str("</author>\n");
    // The 体裁分类 as an Atom category.
    out.push_str("<category term=\"");
    push_escaped(out, item.genre.key());
    out.push_str("\" label=\"");
    push_escaped(out, item.genre.label());
    out.push_str("\"/>\n");
    let mut summary = String::new();
    if let Some(n) = item.index_no.as_deref() {
        summary.push_str(&format!("索引号：{n}；"));
    }
    if let Some(n) = item.doc_no.as_deref().filter(|n| !n.is_empty()) {
        summary.push_str(&format!("文号：{n}；"));
    }
    summary.push_str(&format!("体裁分类：{}", item.genre.label()));
    if let Some(d) = item.published_on {
        summary.push_str(&format!("；发布日期：{d}"));
    }
    element(out, "summary", &summary);
    out.push_str("</entry>\n");
}

/// `/organs/{id}/feed.xml`: the latest published items of an organ (Atom 1.0).
pub async fn atom(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let items = state.store().items();
    let filter = PublicFilter {
        organ_id: Some(id),
        page: 1,
        per_page: FEED_ENTRIES,
        ..PublicFilter::default()
    };
    let organs = state.store().organs();
    let (organ, page, last) = tokio::join!(
        organs.get(id),
        items.list_public(&filter),
        items.last_published_at(id),
    );
    let organ = organ?.ok_or(AppError::NotFound)?;
    let (page, last) = (page?, last?);
    let base = base_url(&state, &headers);
    let column = format!("{base}/organs/{id}/proactive");
    let mut out = String::with_capacity(1024 + page.items.len() * 800);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    element(&mut out, "id", &column);
    element(&mut out, "title", &format!("{}主动公开信息", organ.name));
    element(
        &mut out,
        "subtitle",
        "依据《中华人民共和国政府信息公开条例》主动公开的政府信息",
    );
    element(
        &mut out,
        "updated",
        &rfc3339(last.unwrap_or_else(|| state.store().now())),
    );
    out.push_str("<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    push_escaped(&mut out, &format!("{base}/organs/{id}/feed.xml"));
    out.push_str("\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    push_escaped(&mut out, &column);
    out.push_str("\"/>\n<author>");
    element(&mut out, "name", &organ.name);
    out.push_str("</author>\n");
    for item in &page.items {
        entry(&mut out, &base, &organ.name, item);
    }
    out.push_str("</feed>\n");
    Ok(xml("application/atom+xml; charset=utf-8", out))
}

fn url(out: &mut String, loc: &str, lastmod: Option<DateTime<Utc>>) {
    out.push_str("<url><loc>");
    push_escaped(out, loc);
    out.push_str("</loc>");
    if let Some(t) = lastmod {
        out.push_str("<lastmod>");
        out.push_str(&rfc3339(t));
        out.push_str("</lastmod>");
    }
    out.push_str("</url>\n");
}

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
    <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// The column pages of every organ.
async fn organ_urls(state: &AppState, base: &str, out: &mut String) -> AppResult<usize> {
    let organs = state.store().organs().list().await?;
    let mut n = 0;
    for o in &organs {
        for (suffix, _) in COLUMN {
            url(out, &format!("{base}/organs/{}{suffix}", o.id), None);
            n += 1;
        }
        url(out, &format!("{base}/organs/{}/items", o.id), None);
        n += 1;
    }
    Ok(n)
}

/// Published items with ids in `(after, until]` (all when `until` is `None`), batch by batch.
async fn item_urls(
    state: &AppState,
    base: &str,
    after: i64,
    until: Option<i64>,
    out: &mut String,
) -> AppResult<usize> {
    let items = state.store().items();
    let mut cursor = after;
    let mut n = 0;
    loop {
        let batch = items.published_stamps(cursor, BATCH).await?;
        let full = batch.len() == BATCH as usize;
        for (id, _, updated) in &batch {
            if until.is_some_and(|u| *id > u) {
                return Ok(n);
            }
            url(out, &format!("{base}/items/{id}"), Some(*updated));
            n += 1;
            cursor = *id;
        }
        if !full {
            return Ok(n);
        }
    }
}

/// `/sitemap.xml`: every column page and every published item, or, when that is more than
/// 50,000 URLs, a sitemap index of `/sitemap-{n}.xml` parts.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = base_url(&state, &headers);
    let count = PublicFilter {
        page: 1,
        per_page: 1,
        ..PublicFilter::default()
    };
    let published = state.store().items().list_public(&count).await?.total;
    let mut out = String::from(URLSET_OPEN);
    let organs = organ_urls(&state, &base, &mut out).await?;
    if organs + usize::try_from(published).unwrap_or(usize::MAX) <= SITEMAP_MAX {
        item_urls(&state, &base, 0, None, &mut out).await?;
        out.push_str(URLSET_CLOSE);
        return Ok(xml("application/xml; charset=utf-8", out));
    }
    // The index: part 1 holds the column pages, part n ≥ 2 the items with ids in
    // ((n-2)·W, (n-1)·W]; only parts that hold something are listed, with their last change.
    let mut parts: Vec<(i64, DateTime<Utc>)> = Vec::new();
    let items = state.store().items();
    let mut cursor = 0;
    loop {
        let batch = items.published_stamps(cursor, BATCH).await?;
        for (id, _, updated) in &batch {
            let part = (id - 1) / PART_IDS + 2;
            match parts.last_mut() {
                Some((p, t)) if *p == part => *t = (*t).max(*updated),
                _ => parts.push((part, *updated)),
            }
            cursor = *id;
        }
        if batch.len() < BATCH as usize {
            break;
        }
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut part = |n: i64, lastmod: Option<DateTime<Utc>>| {
        index.push_str("<sitemap><loc>");
        push_escaped(&mut index, &format!("{base}/sitemap-{n}.xml"));
        index.push_str("</loc>");
        if let Some(t) = lastmod {
            index.push_str("<lastmod>");
            index.push_str(&rfc3339(t));
            index.push_str("</lastmod>");
        }
        index.push_str("</sitemap>\n");
    };
    part(1, None);
    for (n, t) in &parts {
        part(*n, Some(*t));
    }
    index.push_str("</sitemapindex>\n");
    Ok(xml("application/xml; charset=utf-8", index))
}

/// `/sitemap-{n}.xml`: one part of the sitemap index.
pub async fn sitemap_part(
    State(state): State<AppState>,
    Path(part): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let n: i64 = part
        .strip_suffix(".xml")
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=1_000_000).contains(n))
        .ok_or(AppError::NotFound)?;
    let base = base_url(&state, &headers);
    let mut out = String::from(URLSET_OPEN);
    if n == 1 {
        organ_urls(&state, &base, &mut out).await?;
    } else {
        let after = (n - 2) * PART_IDS;
        let found = item_urls(&state, &base, after, Some(after + PART_IDS), &mut out).await?;
        if found == 0 {
            return Err(AppError::NotFound);
        }
    }
    out.push_str(URLSET_CLOSE);
    Ok(xml("application/xml; charset=utf-8", out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(text: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text);
        out
    }

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            escape("A&B <c> \"d\" 'e'\u{1}\u{FFFF}中"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;中"
        );
        assert!(valid_host("gk.example.gov.cn:8080"));
        assert!(!valid_host("evil\"><x"));
    }
}
