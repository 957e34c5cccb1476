//! `/search`: full-text search over every published item (no script: a GET form with the
//! filters as selects). The index is this server's (`indexer.rs`); results link to `/items/{id}`.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Html;
use chrono::Datelike;
use gongkai_law::{Genre, Validity};
use gongkai_search::{MAX_OFFSET, MAX_QUERY_CHARS, SearchQuery};
use gongkai_store::Organ;

use super::{Layout, html};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Results per page.
pub const PER_PAGE: usize = 20;
/// Deepest page served (the search crate stops collecting hits beyond [`MAX_OFFSET`]).
const MAX_PAGE: usize = MAX_OFFSET / PER_PAGE + 1;
/// First year offered in the year filter (the 条例 took effect on 1 May 2008).
const FIRST_YEAR: i32 = 2008;

/// One result line. `title_html` and `snippet_html` are rendered with `|safe`: the search crate
/// builds them from the stored plain text with every character HTML-escaped
/// (`gongkai-search` `highlight::render` → `escape_html`) and adds nothing but `<mark>` and
/// `</mark>` around matches — no markup from the item can get through.
struct Line {
    href: String,
    title_html: String,
    snippet_html: String,
    organ_name: String,
    published_on: String,
    doc_no: Option<String>,
    genre: &'static str,
    validity: Option<&'static str>,
}

struct Pager {
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    max_chars: usize,
    organ_options: Vec<(i64, String, bool)>,
    genre_options: Vec<(&'static str, &'static str, bool)>,
    year_options: Vec<(i32, bool)>,
    validity_options: Vec<(&'static str, &'static str, bool)>,
    /// Nothing asked yet: show the form and the tips only.
    blank: bool,
    /// The index is still being built after start.
    building: bool,
    total: usize,
    page: usize,
    pages: usize,
    lines: Vec<Line>,
    pager: Pager,
}

/// The request, checked.
#[derive(Debug, Default)]
struct Params {
    q: String,
    organ: Option<i64>,
    genre: Option<Genre>,
    year: Option<i32>,
    validity: Option<Validity>,
    page: usize,
}

impl Params {
    fn parse(raw: Option<&str>, organs: &[Organ], this_year: i32) -> Result<Params, AppError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| {
                AppError::BadRequest("搜索网址的格式不正确，请从搜索框重新搜索。".into())
            })?;
        let mut p = Params {
            page: 1,
            ..Params::default()
        };
        for (key, value) in pairs {
            let v = value.trim();
            if v.is_empty() && key != "q" {
                continue;
            }
            match key.as_str() {
                "q" => {
                    if v.chars().count() > MAX_QUERY_CHARS {
                        return Err(AppError::BadRequest(format!(
                            "搜索词过长：最多 {MAX_QUERY_CHARS} 个字，请精简后重新搜索。"
                        )));
                    }
                    v.clone_into(&mut p.q);
                }
                "organ" => {
                    let id = v
                        .parse::<i64>()
                        .ok()
                        .filter(|id| organs.iter().any(|o| o.id == *id));
                    p.organ = Some(id.ok_or_else(|| {
                        AppError::BadRequest("所选发布机构不存在，请在列表中重新选择。".into())
                    })?);
                }
                "genre" => {
                    p.genre = Some(Genre::parse(v).map_err(|_| {
                        AppError::BadRequest("所选体裁分类不存在，请在列表中重新选择。".into())
                    })?);
                }
                "year" => {
                    let year = v
                        .parse::<i32>()
                        .ok()
                        .filter(|y| (FIRST_YEAR..=this_year + 1).contains(y));
                    p.year = Some(year.ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "发布年份应为 {FIRST_YEAR} 至 {this_year} 之间的四位数字，请重新选择。"
                        ))
                    })?);
                }
                "validity" => {
                    p.validity = Some(Validity::parse(v).map_err(|_| {
                        AppError::BadRequest("所选有效性不存在，请在列表中重新选择。".into())
                    })?);
                }
                "page" => {
                    let page = v
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_PAGE).contains(n));
                    p.page = page.ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "页码应为 1 至 {MAX_PAGE} 之间的数字；结果太多时请增加搜索词或筛选条件。"
                        ))
                    })?;
                }
                // Unknown keys (tracking parameters, old links) are ignored.
                _ => {}
            }
        }
        Ok(p)
    }

    fn is_blank(&self) -> bool {
        self.q.is_empty()
            && self.organ.is_none()
            && self.genre.is_none()
            && self.year.is_none()
            && self.validity.is_none()
    }

    /// `/search?…` for this request on `page`.
    fn href(&self, page: usize) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(o) = self.organ {
            pairs.push(("organ", o.to_string()));
        }
        if let Some(g) = self.genre {
            pairs.push(("genre", g.key().to_owned()));
        }
        if let Some(y) = self.year {
            pairs.push(("year", y.to_string()));
        }
        if let Some(v) = self.validity {
            pairs.push(("validity", v.key().to_owned()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if query.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{query}")
        }
    }
}

/// The organ and every organ below it.
fn subtree(organs: &[Organ], root: i64) -> Vec<i64> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for o in organs {
        if let Some(parent) = o.parent_id {
            children.entry(parent).or_default().push(o.id);
        }
    }
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(children.get(&id).into_iter().flatten().copied());
        }
    }
    let mut ids: Vec<i64> = seen.into_iter().collect();
    ids.sort_unstable();
    ids
}

/// `GET /search?q=…&organ=…&genre=…&year=…&validity=…&page=…`.
pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<Html<String>> {
    let organs = state.store().organs().list().await?;
    let this_year = state.today().year();
    let params = Params::parse(raw.as_deref(), &organs, this_year)?;
    let blank = params.is_blank();
    let search = state.search();
    let (total, hits) = if blank {
        (0, Vec::new())
    } else {
        let results = search
            .search(SearchQuery {
                text: params.q.clone(),
                organ_ids: params.organ.map(|id| subtree(&organs, id)),
                genre: params.genre.map(|g| g.key().to_owned()),
                year: params.year,
                validity: params.validity.map(|v| v.key().to_owned()),
                offset: (params.page - 1) * PER_PAGE,
                limit: PER_PAGE,
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        (results.total, results.hits.clone())
    };
    let pages = total.div_ceil(PER_PAGE).clamp(1, MAX_PAGE);
    let lines = hits
        .into_iter()
        .map(|h| Line {
            href: format!("/items/{}", h.item_id),
            title_html: h.title_html,
            snippet_html: h.snippet_html,
            organ_name: h.organ_name,
            published_on: h.published_at.chars().take(10).collect(),
            doc_no: h.doc_no.filter(|d| !d.trim().is_empty()),
            genre: Genre::parse(&h.genre).map_or("", Genre::label),
            validity: Validity::parse(&h.validity).ok().map(Validity::label),
        })
        .collect();
    let pager = Pager {
        prev: (params.page > 1).then(|| params.href(params.page - 1)),
        next: (params.page < pages).then(|| params.href(params.page + 1)),
    };
    let mut organ_options: Vec<(i64, String, bool)> = organs
        .iter()
        .map(|o| (o.id, o.name.clone(), params.organ == Some(o.id)))
        .collect();
    organ_options.sort_by(|a, b| a.1.cmp(&b.1));
    let page = SearchPage {
        layout: Layout::public(if params.q.is_empty() {
            "搜索".to_owned()
        } else {
            format!("搜索：{}", params.q)
        }),
        max_chars: MAX_QUERY_CHARS,
        organ_options,
        genre_options: Genre::ALL
            .iter()
            .map(|g| (g.key(), g.label(), params.genre == Some(*g)))
            .collect(),
        year_options: (FIRST_YEAR..=this_year)
            .rev()
            .map(|y| (y, params.year == Some(y)))
            .collect(),
        validity_options: Validity::ALL
            .iter()
            .map(|v| (v.key(), v.label(), params.validity == Some(*v)))
            .collect(),
        blank,
        building: !search.is_ready(),
        total,
        page: params.page,
        pages,
        lines,
        pager,
        q: params.q,
    };
    html(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let p = Params::parse(
            Some("q=%E8%80%81%E6%97%A7&genre=notice&year=2024&page=2"),
            &[],
            2026,
        )
        .unwrap_or_default();
        assert_eq!(p.q, "老旧");
        assert_eq!(p.genre, Some(Genre::Notice));
        assert_eq!(p.year, Some(2024));
        assert_eq!(p.page, 2);
        assert_eq!(
            p.href(3),
            "/search?q=%E8%80%81%E6%97%A7&genre=notice&year=2024&page=3"
        );
        for bad in [
            "genre=novel",
            "year=1999",
            "year=abc",
            "page=0",
            "organ=5",
            "validity=x",
        ] {
            assert!(Params::parse(Some(bad), &[], 2026).is_err(), "{bad}");
        }
        let long = format!("q={}", "字".repeat(MAX_QUERY_CHARS + 1));
        assert!(Params::parse(Some(&long), &[], 2026).is_err());
        assert!(Params::parse(Some("genre=&year=&q="), &[], 2026).is_ok_and(|p| p.is_blank()));
    }
}
