//! The item form (采编): parsing a submitted form into [`ItemContent`], with every problem named
//! in Chinese, and the body turned into sanitised HTML plus plain text.

use chrono::NaiveDate;
use gongkai_law::{Art20Item, Genre, PublicationChannel, Validity};
use gongkai_store::ItemContent;

use gongkai_typeset::escape_html;

/// The submitted fields, as strings (repeated keys kept: channels, checklist points).
#[derive(Debug, Default, Clone)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn opt(&self, key: &str) -> Option<&str> {
        Some(self.get(key).trim()).filter(|v| !v.is_empty())
    }
}

/// A date typed by a person, in the forms the ledgers use too (2024-03-15, 2024/3/15,
/// 2024年3月15日, 2024.3.15): one reader for both.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, String> {
    crate::item_import::parse_ledger_date(text)
        .ok_or_else(|| format!("{field}“{}”不是有效日期，请写作 2024-03-15", text.trim()))
}

fn parse_id(field: &str, text: &str) -> Result<Option<i64>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("{field}的取值无效，请从列表中选择")),
    }
}

/// The body as typed: HTML (from a pasted document or a later rich-text editor) is cleaned with
/// ammonia's allow-list (no scripts, styles, event handlers, javascript: URLs); plain text becomes
/// escaped paragraphs, one per blank-line-separated block. Returns (html, text).
pub fn body_from_input(input: &str) -> (String, String) {
    let input = input.replace("\r\n", "\n");
    let trimmed = input.trim();
    if trimmed.starts_with('<') {
        let html = ammonia::Builder::default()
            .link_rel(Some("noopener noreferrer"))
            .clean(trimmed)
            .to_string();
        let text = html_to_text(&html);
        (html, text)
    } else {
        let paragraphs: Vec<&str> = trimmed
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let html = paragraphs
            .iter()
            .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
            .collect::<Vec<_>>()
            .join("\n");
        (html, paragraphs.join("\n\n"))
    }
}

/// The text of sanitised HTML: tags dropped, block ends as line breaks, the five entities
/// ammonia emits decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name = tag
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                if matches!(
                    name,
                    "p" | "br" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4"
                ) && !out.ends_with('\n')
                {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// The form's content, or every problem found (not just the first).
pub fn content_from(fields: &Fields) -> Result<ItemContent, Vec<String>> {
    let mut errors = Vec::new();
    fn keep<T>(errors: &mut Vec<String>, r: Result<T, String>) -> Option<T> {
        r.map_err(|e| errors.push(e)).ok()
    }
    let genre = keep(
        &mut errors,
        Genre::parse(fields.get("genre")).map_err(|e| e.to_string()),
    );
    let formed_on = keep(&mut errors, parse_date("成文日期", fields.get("formed_on")));
    let art20 = keep(
        &mut errors,
        match fields.opt("art20_item") {
            None => Ok(None),
            Some(t) => Art20Item::parse(t).map(Some).map_err(|e| e.to_string()),
        },
    );
    let validity = keep(
        &mut errors,
        match fields.opt("validity") {
            None => Ok(None),
            Some(t) => Validity::parse(t).map(Some).map_err(|e| e.to_string()),
        },
    );
    let department_id = keep(
        &mut errors,
        parse_id("承办科室", fields.get("department_id")),
    );
    let interprets = keep(
        &mut errors,
        parse_id("解读的政策文件", fields.get("interprets_item_id")),
    );
    let mut channels = Vec::new();
    for key in fields.all("channels") {
        match PublicationChannel::parse(key) {
            Ok(c) => channels.push(c),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if fields.get("title").trim().is_empty() {
        errors.push("请填写名称（信息标题）".to_owned());
    }
    if fields.get("topic").trim().is_empty() {
        errors.push("请选择主题分类".to_owned());
    }
    if channels.is_empty() {
        errors.push("请至少选择一个公开渠道".to_owned());
    }
    let (
        Some(genre),
        Some(formed_on),
        Some(art20_item),
        Some(validity),
        Some(department_id),
        Some(interprets),
    ) = (genre, formed_on, art20, validity, department_id, interprets)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let (body_html, body_text) = body_from_input(fields.get("body"));
    Ok(ItemContent {
        department_id,
        title: fields.get("title").to_owned(),
        summary: fields.get("summary").to_owned(),
        body_html,
        body_text,
        genre,
        topic: fields.get("topic").to_owned(),
        domain: fields.opt("domain").map(str::to_owned),
        art20_item,
        doc_no: fields.opt("doc_no").map(str::to_owned),
        keywords: fields.get("keywords").to_owned(),
        formed_on,
        validity: validity.or_else(|| genre.is_document().then_some(Validity::Valid)),
        interprets_item_id: interprets,
        channels,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn scripts_and_handlers_never_survive_the_body() {
        let (html, text) = body_from_input(
            "<p onclick=\"x()\">通知<script>alert(1)</script></p><a href=\"javascript:x\">链接</a>",
        );
        assert!(
            !html.contains("script") && !html.contains("onclick") && !html.contains("javascript"),
            "{html}"
        );
        assert!(text.contains("通知"), "{text}");
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        let (html, text) = body_from_input("第一段 <b>\n\n第二段");
        assert_eq!(html, "<p>第一段 &lt;b&gt;</p>\n<p>第二段</p>");
        assert_eq!(text, "第一段 <b>\n\n第二段");
    }

    #[test]
    fn dates_are_read_in_the_forms_people_type() {
        for t in ["2024-03-05", "2024/3/5", "2024年3月5日", "2024.3.5"] {
            assert_eq!(parse_date("成文日期", t).unwrap().to_string(), "2024-03-05");
        }
        assert!(
            parse_date("成文日期", "3月5日")
                .unwrap_err()
                .contains("2024-03-15")
        );
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let errors = content_from(&Fields(vec![("genre".into(), "新闻".into())])).unwrap_err();
        let all = errors.join("\n");
        for needle in ["新闻", "成文日期", "名称", "主题分类", "公开渠道"] {
            assert!(all.contains(needle), "{needle} missing in {all}");
        }
    }
}
