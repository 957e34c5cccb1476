//! Importing an organ's existing ledger (台账) of already-published items from Excel or CSV.
//!
//! [`parse_ledger`] maps the columns by their Chinese header names (the first non-empty row is the
//! header; the usual variants are accepted, see [`COLUMNS`]) and checks EVERY row before anything
//! is written: on any error it returns all row errors at once, each naming the row as Excel shows
//! it, the column, what was wrong and what to do. Only a ledger without errors becomes
//! [`ImportedItem`]s, which the caller hands to `store.items().import(…)` — one transaction, so the
//! whole file goes in or none of it does.

use gongkai_typeset::escape_html;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use gongkai_docs::table::{Table, TableRow};
use gongkai_law::{Art20Item, Genre, PublicationChannel, Validity};
use gongkai_store::items::{DOC_NO_MAX, KEYWORDS_MAX, SUMMARY_MAX, TITLE_MAX};
use gongkai_store::{Department, ImportedItem, ItemContent};

/// The fields a ledger column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    IndexNo,
    Summary,
    Topic,
    Genre,
    Publisher,
    FormedOn,
    PublishedOn,
    DocNo,
    Validity,
    Keywords,
    Channels,
    Art20,
    Domain,
    Department,
    Body,
}

/// Each field with its canonical header name first, then the variants ledgers use.
pub const COLUMNS: &[(Field, &[&str])] = &[
    (Field::Title, &["名称", "标题", "信息名称", "文件名称"]),
    (Field::IndexNo, &["索引号"]),
    (Field::Summary, &["内容概述", "摘要", "内容摘要"]),
    (Field::Topic, &["主题分类", "主题"]),
    (Field::Genre, &["体裁分类", "体裁", "信息体裁"]),
    (Field::Publisher, &["发布机构", "发文机关", "发布单位"]),
    (Field::FormedOn, &["成文日期", "形成日期", "生成日期"]),
    (
        Field::PublishedOn,
        &["发布日期", "公开日期", "发布时间", "公开时间"],
    ),
    (Field::DocNo, &["文号", "发文字号", "发文文号"]),
    (Field::Validity, &["有效性"]),
    (Field::Keywords, &["主题词", "关键词", "关键字"]),
    (Field::Channels, &["公开渠道", "发布渠道", "公开方式"]),
    (
        Field::Art20,
        &["第二十条事项", "法定主动公开事项", "条例第二十条事项"],
    ),
    (Field::Domain, &["领域", "公开领域"]),
    (Field::Department, &["承办科室", "科室", "责任科室"]),
    (Field::Body, &["正文", "内容", "信息内容"]),
];

/// The columns a ledger must have.
const REQUIRED: &[Field] = &[
    Field::Title,
    Field::Topic,
    Field::Genre,
    Field::FormedOn,
    Field::PublishedOn,
];

impl Field {
    /// The canonical Chinese header name.
    pub fn name(self) -> &'static str {
        COLUMNS
            .iter()
            .find(|(f, _)| *f == self)
            .and_then(|(_, names)| names.first().copied())
            .unwrap_or("")
    }
}

/// The reference lists a ledger is checked against (active 主题分类 and 公开领域 terms).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceSets {
    pub topics: Vec<String>,
    pub domains: Vec<String>,
}

/// The organ the ledger is imported into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerOrgan {
    pub name: String,
    pub departments: Vec<Department>,
}

/// One problem of one row (or of the header), in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row number as Excel shows it (CSV: the line the record starts on).
    pub line: usize,
    /// The column's header as written in the file (or its canonical name).
    pub column: String,
    /// What was wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "第 {} 行，“{}”列：{}",
            self.line, self.column, self.message
        )
    }
}

/// A ledger that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub items: Vec<ImportedItem>,
    /// Things the officer should know that do not stop the import (columns ignored…).
    pub warnings: Vec<String>,
}

/// A ledger that did not pass: every error found, and the warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub errors: Vec<RowError>,
    pub warnings: Vec<String>,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "台账有 {} 处错误，未导入任何信息。请改正后重新导入整份文件：",
            self.errors.len()
        )?;
        for e in &self.errors {
            writeln!(f, "  {e}")?;
        }
        for w in &self.warnings {
            writeln!(f, "提示：{w}")?;
        }
        Ok(())
    }
}

/// Header cell → field: spaces, a required-marker `*` and a note in brackets are ignored
/// (“发布日期（YYYY-MM-DD）*” is 发布日期).
fn field_of(header: &str) -> Option<Field> {
    let mut cleaned = String::new();
    let mut depth = 0u32;
    for c in header.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            '*' | '＊' | ' ' | '\u{3000}' | ':' | '：' => {}
            c if depth == 0 => cleaned.push(c),
            _ => {}
        }
    }
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&cleaned.as_str()))
        .map(|(f, _)| *f)
}

/// A date as ledgers write it: `2023-01-05`, `2023/1/5`, `2023年1月5日`, `2023.1.5`, with an
/// optional time after a space (Excel date-times).
pub fn parse_ledger_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date_part = text.split_whitespace().next()?;
    let normalized: String = date_part
        .replace(['年', '月', '/', '.'], "-")
        .trim_end_matches('日')
        .to_owned();
    let mut parts = normalized.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn parse_genre(text: &str) -> Option<Genre> {
    if let Ok(g) = Genre::parse(text) {
        return Some(g);
    }
    Some(match text.trim() {
        "规范性文件" => Genre::NormativeDocument,
        "解读" | "政策解读材料" => Genre::Interpretation,
        "通知" | "公告" | "通告" => Genre::Notice,
        "计划" | "总结" | "规划计划" => Genre::PlanSummary,
        "统计数据" => Genre::Statistics,
        "人事" | "人事任免" => Genre::Personnel,
        "财政" | "预决算" | "财政预决算" => Genre::Finance,
        "机构职能信息" | "机构设置" => Genre::Institution,
        "其他" | "文件" => Genre::OtherDocument,
        "动态" | "工作信息" => Genre::WorkUpdate,
        _ => return None,
    })
}

fn parse_channel(text: &str) -> Option<PublicationChannel> {
    if let Ok(c) = PublicationChannel::parse(text) {
        return Some(c);
    }
    Some(match text.trim() {
        "信息公开专栏" | "政府信息公开网站" | "公开专栏" => {
            PublicationChannel::Column
        }
        "政府网站" | "门户网" | "政府门户网站" => PublicationChannel::Portal,
        "客户端" => PublicationChannel::MediaApp,
        "微信公众号" | "公众号" => PublicationChannel::WechatAccount,
        "微博" => PublicationChannel::Weibo,
        "公开栏" | "公示栏" => PublicationChannel::BulletinBoard,
        "广播" | "电视" => PublicationChannel::Broadcast,
        _ => return None,
    })
}

fn channel_list() -> String {
    PublicationChannel::ALL
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join("、")
}

fn genre_list() -> String {
    Genre::ALL
        .iter()
        .map(|g| g.label())
        .collect::<Vec<_>>()
        .join("、")
}

/// Normalises the separator of a topic path (`综合政务/政务公开` → `综合政务\政务公开`).
fn match_topic<'a>(text: &str, topics: &'a [String]) -> Option<&'a str> {
    let text: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '／' | '＼' | '>' | '＞' | '-' => '\\',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Some(t) = topics.iter().find(|t| **t == text) {
        return Some(t);
    }
    if text.contains('\\') {
        return None;
    }
    // Only the second level given: accept it when exactly one path ends with it.
    let suffix = format!("\\{text}");
    let mut found = topics.iter().filter(|t| t.ends_with(&suffix));
    match (found.next(), found.next()) {
        (Some(t), None) => Some(t),
        _ => None,
    }
}

/// Checks the form of an existing 索引号 (the store checks it again and keeps it).
fn index_no_ok(text: &str) -> bool {
    let Some((prefix, suffix)) = text.split_once('/') else {
        return false;
    };
    let Some((year, serial)) = suffix.split_once('-') else {
        return false;
    };
    !prefix.is_empty()
        && text.chars().count() <= 40
        && year.len() == 4
        && year.parse::<u32>().is_ok()
        && serial
            .parse::<u32>()
            .is_ok_and(|s| (1..=99_999).contains(&s))
}

/// Plain paragraphs → (escaped HTML `<p>`s, plain text with one paragraph a line).
pub fn body_from_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> (String, String) {
    let paragraphs: Vec<&str> = paragraphs
        .iter()
        .map(|p| p.as_ref().trim())
        .filter(|p| !p.is_empty())
        .collect();
    let html = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", escape_html(p)))
        .collect::<Vec<_>>()
        .join("\n");
    (html, paragraphs.join("\n"))
}

struct Columns {
    by_field: HashMap<Field, (usize, String)>,
}

impl Columns {
    fn cell<'r>(&self, row: &'r TableRow, field: Field) -> &'r str {
        self.by_field
            .get(&field)
            .map_or("", |(i, _)| row.cell(*i).trim())
    }

    fn header(&self, field: Field) -> String {
        self.by_field
            .get(&field)
            .map_or_else(|| field.name().to_owned(), |(_, h)| h.clone())
    }
}

/// Reads the header, checks every row, and returns the items — or every error found.
pub fn parse_ledger(
    table: &Table,
    terms: &ReferenceSets,
    organ: &LedgerOrgan,
) -> Result<Ledger, Rejected> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let Some(header_row) = table.rows.first() else {
        return Err(Rejected {
            errors: vec![RowError {
                line: 1,
                column: "表头".to_owned(),
                message: "文件中没有任何内容。请确认选对了文件，第一行应是表头（名称、主题分类、体裁分类、成文日期、发布日期等）".to_owned(),
            }],
            warnings,
        });
    };

    let mut by_field: HashMap<Field, (usize, String)> = HashMap::new();
    let mut unknown = Vec::new();
    for (i, raw) in header_row.cells.iter().enumerate() {
        let header = raw.trim();
        if header.is_empty() {
            continue;
        }
        match field_of(header) {
            Some(field) => {
                if let Some((_, first)) = by_field.get(&field) {
                    errors.push(RowError {
                        line: header_row.line,
                        column: header.to_owned(),
                        message: format!(
                            "与“{first}”列重复（都表示“{}”）。请删除或改名其中一列",
                            field.name()
                        ),
                    });
                } else {
                    by_field.insert(field, (i, header.to_owned()));
                }
            }
            None if header == "序号" || header == "编号" || header == "备注" => {}
            None => unknown.push(header.to_owned()),
        }
    }
    if !unknown.is_empty() {
        warnings.push(format!(
            "以下列不认识，已忽略：{}。如其中有需要导入的内容，请把表头改为使用说明中的列名",
            unknown.join("、")
        ));
    }
    for field in REQUIRED {
        if !by_field.contains_key(field) {
            let variants = COLUMNS
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, n)| n.join("/"))
                .unwrap_or_default();
            errors.push(RowError {
                line: header_row.line,
                column: field.name().to_owned(),
                message: format!(
                    "表头（第 {} 行）中没有“{}”列。请在第一行加上这一列（可用的列名：{variants}）",
                    header_row.line,
                    field.name()
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(Rejected { errors, warnings });
    }
    let columns = Columns { by_field };
    let data_rows = table.rows.get(1..).unwrap_or_default();
    if data_rows.is_empty() {
        return Err(Rejected {
            errors: vec![RowError {
                line: header_row.line,
                column: "表头".to_owned(),
                message: "表头下面没有数据行。请在表头下逐行填写要导入的信息".to_owned(),
            }],
            warnings,
        });
    }

    let mut seen_index: HashMap<String, usize> = HashMap::new();
    let mut other_publishers: Vec<String> = Vec::new();
    let mut items = Vec::with_capacity(data_rows.len());
    for row in data_rows {
        let mut err = |field: Field, message: String| {
            errors.push(RowError {
                line: row.line,
                column: columns.header(field),
                message,
            });
        };
        let title = columns.cell(row, Field::Title);
        if title.is_empty() {
            err(Field::Title, "名称不能为空。请填写信息的名称".to_owned());
        } else if title.chars().count() > TITLE_MAX {
            err(Field::Title, format!("名称超过 {TITLE_MAX} 个字。请缩短"));
        }

        let topic_text = columns.cell(row, Field::Topic);
        let topic = if topic_text.is_empty() {
            err(
                Field::Topic,
                "主题分类不能为空。请填写主题分类，如“综合政务\\政务公开”".to_owned(),
            );
            None
        } else {
            let found = match_topic(topic_text, &terms.topics);
            if found.is_none() {
                err(
                    Field::Topic,
                    format!(
                        "主题分类“{topic_text}”不在主题分类表中。请按后台“参考数据”中的写法填写，如“综合政务\\政务公开”（一级与二级之间用 \\ 或 / 分隔）"
                    ),
                );
            }
            found
        };

        let genre_text = columns.cell(row, Field::Genre);
        let genre = if genre_text.is_empty() {
            err(
                Field::Genre,
                format!("体裁分类不能为空。请填写以下之一：{}", genre_list()),
            );
            None
        } else {
            let g = parse_genre(genre_text);
            if g.is_none() {
                err(
                    Field::Genre,
                    format!(
                        "体裁分类“{genre_text}”无法识别。请填写以下之一：{}",
                        genre_list()
                    ),
                );
            }
            g
        };

        let mut date = |field: Field| {
            let text = columns.cell(row, field);
            if text.is_empty() {
                err(
                    field,
                    format!("{}不能为空。请按 2023-01-05 的格式填写", field.name()),
                );
                return None;
            }
            let d = parse_ledger_date(text);
            if d.is_none() {
                err(
                    field,
                    format!(
                        "{}“{text}”无法识别。请写成 2023-01-05、2023/1/5 或 2023年1月5日",
                        field.name()
                    ),
                );
            }
            d
        };
        let formed_on = date(Field::FormedOn);
        let published_on = date(Field::PublishedOn);
        if let (Some(f), Some(p)) = (formed_on, published_on)
            && p < f
        {
            err(
                Field::PublishedOn,
                format!(
                    "发布日期 {p} 早于成文日期 {f}。请核对两个日期（发布日期应不早于成文日期）"
                ),
            );
        }

        let index_no = columns.cell(row, Field::IndexNo);
        let index_no = if index_no.is_empty() {
            None
        } else {
            if !index_no_ok(index_no) {
                err(
                    Field::IndexNo,
                    format!(
                        "索引号“{index_no}”格式不对。应为“前段码/年份-5位流水号”，如 11130105MB0000000X/2023-00012；没有索引号的请留空，导入时自动编号"
                    ),
                );
            } else if let Some(first) = seen_index.get(index_no) {
                err(
                    Field::IndexNo,
                    format!("索引号“{index_no}”与第 {first} 行重复。索引号不能重复，请核对"),
                );
            } else {
                seen_index.insert(index_no.to_owned(), row.line);
            }
            Some(index_no.to_owned())
        };

        let summary = columns.cell(row, Field::Summary);
        if summary.chars().count() > SUMMARY_MAX {
            err(
                Field::Summary,
                format!("内容概述超过 {SUMMARY_MAX} 个字。请缩短"),
            );
        }
        let doc_no = columns.cell(row, Field::DocNo);
        if doc_no.chars().count() > DOC_NO_MAX {
            err(Field::DocNo, format!("文号超过 {DOC_NO_MAX} 个字。请核对"));
        }
        let keywords = columns.cell(row, Field::Keywords);
        if keywords.chars().count() > KEYWORDS_MAX {
            err(
                Field::Keywords,
                format!("主题词超过 {KEYWORDS_MAX} 个字。请删减"),
            );
        }

        let validity_text = columns.cell(row, Field::Validity);
        let validity = if validity_text.is_empty() {
            None
        } else {
            let v = Validity::parse(validity_text).ok();
            if v.is_none() {
                err(
                    Field::Validity,
                    format!("有效性“{validity_text}”无法识别。请填写“有效”“失效”或“废止”，或留空"),
                );
            }
            v
        };

        let art20_text = columns.cell(row, Field::Art20);
        let art20_item = if art20_text.is_empty() {
            None
        } else {
            let a = Art20Item::parse(art20_text).ok();
            if a.is_none() {
                err(
                    Field::Art20,
                    format!(
                        "第二十条事项“{art20_text}”无法识别。请填写 1 至 15 的数字或“（三）”这样的项序号，或留空"
                    ),
                );
            }
            a
        };

        let domain_text = columns.cell(row, Field::Domain);
        let domain = if domain_text.is_empty() {
            None
        } else if terms.domains.iter().any(|d| d == domain_text) {
            Some(domain_text.to_owned())
        } else {
            err(
                Field::Domain,
                format!(
                    "领域“{domain_text}”不在公开领域表中。请按后台“参考数据”中的写法填写（如“社会救助”），或留空"
                ),
            );
            None
        };

        let department_text = columns.cell(row, Field::Department);
        let department_id = if department_text.is_empty() {
            None
        } else {
            let d = organ
                .departments
                .iter()
                .find(|d| d.name == department_text)
                .map(|d| d.id);
            if d.is_none() {
                err(
                    Field::Department,
                    format!(
                        "本机关没有“{department_text}”这个科室。请先在后台“科室”中新建，或改为已有科室的名称，或留空"
                    ),
                );
            }
            d
        };

        let channels_text = columns.cell(row, Field::Channels);
        let mut channels = Vec::new();
        for part in channels_text
            .split(['、', '，', ',', ';', '；', '/', '|'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match parse_channel(part) {
                Some(c) => channels.push(c),
                None => err(
                    Field::Channels,
                    format!(
                        "公开渠道“{part}”无法识别。请填写以下之一（多个用“、”分隔）：{}",
                        channel_list()
                    ),
                ),
            }
        }
        if channels.is_empty() {
            channels.push(PublicationChannel::Column);
        }
        channels.sort();
        channels.dedup();

        let publisher = columns.cell(row, Field::Publisher);
        if !publisher.is_empty()
            && publisher != organ.name
            && !other_publishers.iter().any(|p| p == publisher)
        {
            other_publishers.push(publisher.to_owned());
        }

        let body = columns.cell(row, Field::Body);
        let paragraphs: Vec<&str> = body.lines().collect();
        let (body_html, body_text) = body_from_paragraphs(&paragraphs);

        if let (Some(topic), Some(genre), Some(formed_on), Some(published_on)) =
            (topic, genre, formed_on, published_on)
        {
            items.push(ImportedItem {
                content: ItemContent {
                    department_id,
                    title: title.to_owned(),
                    summary: summary.to_owned(),
                    body_html,
                    body_text,
                    genre,
                    topic: topic.to_owned(),
                    domain,
                    art20_item,
                    doc_no: (!doc_no.is_empty()).then(|| doc_no.to_owned()),
                    keywords: keywords.to_owned(),
                    formed_on,
                    validity,
                    interprets_item_id: None,
                    channels,
                },
                published_on,
                index_no,
            });
        }
    }
    if !other_publishers.is_empty() {
        warnings.push(format!(
            "“发布机构”列中有与本机关（{}）不同的名称：{}。信息将导入到本机关，请确认没有选错机关",
            organ.name,
            other_publishers.join("、")
        ));
    }
    if errors.is_empty() {
        Ok(Ledger { items, warnings })
    } else {
        Err(Rejected { errors, warnings })
    }
}

/// The set of names, for quick membership tests by callers.
pub fn names(terms: &[gongkai_store::ReferenceTerm]) -> Vec<String> {
    let mut seen = HashSet::new();
    terms
        .iter()
        .filter(|t| seen.insert(t.name.clone()))
        .map(|t| t.name.clone())
        .collect()
}

/// The active reference lists of the store.
pub async fn reference_sets(store: &gongkai_store::Store) -> gongkai_store::Result<ReferenceSets> {
    use gongkai_store::ReferenceKind;
    let items = store.items();
    Ok(ReferenceSets {
        topics: names(&items.reference_terms(ReferenceKind::Topic, false).await?),
        domains: names(&items.reference_terms(ReferenceKind::Domain, false).await?),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn row(line: usize, cells: &[&str]) -> TableRow {
        TableRow {
            line,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    fn terms() -> ReferenceSets {
        ReferenceSets {
            topics: vec![
                "综合政务\\政务公开".to_owned(),
                "民政、扶贫、救灾\\社会救助".to_owned(),
            ],
            domains: vec!["社会救助".to_owned()],
        }
    }

    fn organ() -> LedgerOrgan {
        LedgerOrgan {
            name: "某街道办事处".to_owned(),
            departments: vec![Department {
                id: 7,
                organ_id: 1,
                name: "党政办公室".to_owned(),
                created_at: chrono::DateTime::UNIX_EPOCH,
            }],
        }
    }

    const HEADER: &[&str] = &[
        "序号",
        "信息名称",
        "索引号",
        "主题分类",
        "体裁",
        "成文日期（必填）",
        "公开日期*",
        "发布渠道",
        "法定主动公开事项",
        "科室",
        "正文",
        "领域",
        "有效性",
        "备忘",
    ];

    #[test]
    fn a_good_ledger_maps_every_column_variant() {
        let table = Table {
            sheet: None,
            rows: vec![
                row(1, HEADER),
                row(
                    2,
                    &[
                        "1",
                        "关于<低保>复核的通知",
                        "",
                        "综合政务/政务公开",
                        "通知公告",
                        "2023/1/5",
                        "2023年1月9日",
                        "官媒客户端、报纸",
                        "（十一）",
                        "党政办公室",
                        "第一段\n\n第二段 & 结尾",
                        "社会救助",
                        "有效",
                    ],
                ),
                row(
                    4,
                    &[
                        "2",
                        "社会救助政策",
                        "11130105MB0000000X/2023-00012",
                        "社会救助",
                        "normative_document",
                        "2023-02-01 00:00:00",
                        "2023.2.3",
                    ],
                ),
            ],
        };
        let ledger = parse_ledger(&table, &terms(), &organ()).unwrap();
        assert_eq!(ledger.items.len(), 2);
        assert!(
            ledger.warnings.iter().any(|w| w.contains("备忘")),
            "{:?}",
            ledger.warnings
        );
        let a = &ledger.items[0];
        assert_eq!(a.content.title, "关于<低保>复核的通知");
        assert_eq!(a.content.topic, "综合政务\\政务公开");
        assert_eq!(a.content.genre, Genre::Notice);
        assert_eq!(
            a.content.formed_on,
            NaiveDate::from_ymd_opt(2023, 1, 5).unwrap()
        );
        assert_eq!(a.published_on, NaiveDate::from_ymd_opt(2023, 1, 9).unwrap());
        assert_eq!(
            a.content.channels,
            vec![PublicationChannel::MediaApp, PublicationChannel::Newspaper]
        );
        assert_eq!(a.content.art20_item.map(Art20Item::number), Some(11));
        assert_eq!(a.content.department_id, Some(7));
        assert_eq!(
            a.content.body_html,
            "<p>第一段</p>\n<p>第二段 &amp; 结尾</p>"
        );
        assert_eq!(a.content.body_text, "第一段\n第二段 & 结尾");
        assert_eq!(a.content.validity, Some(Validity::Valid));
        assert_eq!(a.index_no, None);
        let b = &ledger.items[1];
        assert_eq!(b.content.topic, "民政、扶贫、救灾\\社会救助");
        assert_eq!(b.content.channels, vec![PublicationChannel::Column]);
        assert_eq!(b.index_no.as_deref(), Some("11130105MB0000000X/2023-00012"));
        assert_eq!(b.published_on, NaiveDate::from_ymd_opt(2023, 2, 3).unwrap());
    }

    #[test]
    fn every_error_is_reported_with_row_and_column() {
        let table = Table {
            sheet: None,
            rows: vec![
                row(1, HEADER),
                row(
                    2,
                    &[
                        "1",
                        "",
                        "X/2023-00001",
                        "不存在的分类",
                        "新闻",
                        "2023-13-01",
                        "2023-01-01",
                        "传真",
                    ],
                ),
                row(
                    3,
                    &[
                        "2",
                        "好",
                        "X/2023-00001",
                        "综合政务\\政务公开",
                        "工作动态",
                        "2023-03-02",
                        "2023-03-01",
                        "",
                        "16",
                        "财务科",
                    ],
                ),
            ],
        };
        let rejected = parse_ledger(&table, &terms(), &organ()).unwrap_err();
        let has = |line: usize, column: &str, text: &str| {
            rejected
                .errors
                .iter()
                .any(|e| e.line == line && e.column == column && e.message.contains(text))
        };
        assert!(has(2, "信息名称", "不能为空"), "{rejected}");
        assert!(has(2, "主题分类", "不在主题分类表"), "{rejected}");
        assert!(has(2, "体裁", "新闻"), "{rejected}");
        assert!(has(2, "成文日期（必填）", "无法识别"), "{rejected}");
        assert!(has(2, "发布渠道", "传真"), "{rejected}");
        assert!(has(3, "索引号", "与第 2 行重复"), "{rejected}");
        assert!(has(3, "公开日期*", "早于成文日期"), "{rejected}");
        assert!(has(3, "法定主动公开事项", "16"), "{rejected}");
        assert!(has(3, "科室", "财务科"), "{rejected}");
    }

    #[test]
    fn missing_required_columns_are_named() {
        let table = Table {
            sheet: None,
            rows: vec![row(3, &["名称", "发布日期"]), row(4, &["a", "2023-01-01"])],
        };
        let rejected = parse_ledger(&table, &terms(), &organ()).unwrap_err();
        let columns: Vec<&str> = rejected.errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["主题分类", "体裁分类", "成文日期"]);
        assert!(rejected.errors.iter().all(|e| e.line == 3));
    }

    #[test]
    fn dates_in_the_forms_ledgers_use() {
        let d = NaiveDate::from_ymd_opt(2023, 1, 5);
        for t in [
            "2023-01-05",
            "2023/1/5",
            "2023年1月5日",
            "2023.01.05",
            "2023-01-05 08:00:00",
        ] {
            assert_eq!(parse_ledger_date(t), d, "{t}");
        }
        for t in ["23-1-5", "2023-02-30", "一月五日", "45000", ""] {
            assert_eq!(parse_ledger_date(t), None, "{t}");
        }
    }
}
