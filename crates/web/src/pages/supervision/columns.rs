//! The dashboard's columns, defined ONCE: the page, the CSV and the Excel export all render
//! [`COLUMNS`] in this order with the same cell text, so the three cannot disagree.
//!
//! Besides the store's measures, one count comes from the inspections: the overdue
//! rectifications ([`Cell::RectificationsOverdue`], as of today), drilled down under the key
//! [`RECTIFICATIONS_OVERDUE`].

use std::collections::BTreeMap;

use gongkai_store::supervision::{Measure, Period};

use super::report_state::ReportState;
use super::scoring::{CRITERIA, Rate, score_text};

/// What a column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The organ's name (the row header).
    Organ,
    /// A count of the store's measure, linked to its records.
    Count(Measure),
    /// Items published on time ÷ items published, linked to the on-time items.
    OnTimeShare,
    /// The annual report's state, linked to the report.
    Report,
    /// The 考核 score.
    Score,
    /// The rank by score.
    Rank,
    /// The inspections' problems overdue today (逾期未整改).
    RectificationsOverdue,
}

/// One column of the table and the exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The `sort=` key.
    pub key: &'static str,
    pub label: &'static str,
    pub cell: Cell,
}

const fn count(key: &'static str, label: &'static str, measure: Measure) -> Column {
    Column {
        key,
        label,
        cell: Cell::Count(measure),
    }
}

/// The key of the inspections' overdue rectifications (逾期未整改, as of today:
/// `gongkai_store::inspections::overdue::is_overdue`).
pub const RECTIFICATIONS_OVERDUE: &str = "rectifications_overdue";

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column {
        key: "organ",
        label: "机关",
        cell: Cell::Organ,
    },
    count("items_published", "公开信息", Measure::ItemsPublished),
    Column {
        key: "on_time_share",
        label: "按期公开率",
        cell: Cell::OnTimeShare,
    },
    count("items_late", "逾期公开", Measure::ItemsLate),
    count(
        "documents_published",
        "规章和规范性文件",
        Measure::DocumentsPublished,
    ),
    count(
        "documents_uninterpreted",
        "其中未解读",
        Measure::DocumentsUninterpreted,
    ),
    count(
        "applications_received",
        "收到申请",
        Measure::ApplicationsReceived,
    ),
    count("applications_closed", "办结", Measure::ApplicationsClosed),
    count(
        "applications_replied",
        "其中答复",
        Measure::ApplicationsReplied,
    ),
    count("replies_late", "逾期答复", Measure::RepliesLate),
    count("applications_open", "期末未办结", Measure::ApplicationsOpen),
    count(
        "applications_overdue",
        "逾期未答复",
        Measure::ApplicationsOverdue,
    ),
    count("challenges", "复议诉讼", Measure::Challenges),
    count(
        "challenges_corrected",
        "被纠正",
        Measure::ChallengesCorrected,
    ),
    Column {
        key: RECTIFICATIONS_OVERDUE,
        label: "逾期未整改",
        cell: Cell::RectificationsOverdue,
    },
    Column {
        key: "report",
        label: "年度报告",
        cell: Cell::Report,
    },
    Column {
        key: "score",
        label: "考核得分",
        cell: Cell::Score,
    },
    Column {
        key: "rank",
        label: "排名",
        cell: Cell::Rank,
    },
];

/// Everything the columns show of one organ.
#[derive(Debug, Clone)]
pub struct OrganRow {
    pub organ_id: i64,
    pub name: String,
    /// Position in the subtree listing (the order without `sort=`).
    pub position: usize,
    pub counts: BTreeMap<Measure, i64>,
    pub report: ReportState,
    /// The report's page (the organ's report list when none was opened).
    pub report_href: String,
    pub rectifications_overdue: i64,
    pub rates: [Rate; CRITERIA.len()],
    pub score: f64,
    pub rank: usize,
}

impl OrganRow {
    pub fn count(&self, m: Measure) -> i64 {
        self.counts.get(&m).copied().unwrap_or(0)
    }
}

/// The totals of the subtree.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub counts: BTreeMap<Measure, i64>,
    pub reports: BTreeMap<&'static str, usize>,
    pub rectifications_overdue: i64,
}

impl Totals {
    pub fn of(rows: &[OrganRow]) -> Totals {
        let mut t = Totals::default();
        for row in rows {
            for (m, n) in &row.counts {
                *t.counts.entry(*m).or_default() += n;
            }
            t.rectifications_overdue += row.rectifications_overdue;
            *t.reports.entry(row.report.label()).or_default() += 1;
        }
        t
    }

    fn count(&self, m: Measure) -> i64 {
        self.counts.get(&m).copied().unwrap_or(0)
    }
}

/// One rendered cell: its text (the same in the page and the exports), its link, and the
/// number an export writes as a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    pub href: Option<String>,
    pub number: Option<i64>,
}

impl Rendered {
    fn text(text: String) -> Rendered {
        Rendered {
            text,
            href: None,
            number: None,
        }
    }

    fn number(n: i64, href: Option<String>) -> Rendered {
        Rendered {
            text: n.to_string(),
            href,
            number: Some(n),
        }
    }
}

/// Builds the drill-down links of one page.
pub struct Links<'a> {
    pub base: &'a str,
    pub period: &'a Period,
}

impl Links<'_> {
    /// The records behind a count (`organ`: one organ; `None`: the whole subtree).
    pub fn records(&self, measure: Measure, organ: Option<i64>) -> String {
        let organ = organ.map(|o| format!("organ={o}&")).unwrap_or_default();
        format!(
            "{}/records?{organ}measure={}&from={}&to={}",
            self.base,
            measure.key(),
            self.period.from,
            self.period.to
        )
    }

    /// The problems behind a [`Cell::RectificationsOverdue`] count.
    pub fn rectifications_overdue(&self, organ: Option<i64>) -> String {
        let organ = organ.map(|o| format!("organ={o}&")).unwrap_or_default();
        format!(
            "{}/records?{organ}measure={RECTIFICATIONS_OVERDUE}&from={}&to={}",
            self.base, self.period.from, self.period.to
        )
    }
}

/// The on-time share as shown: one decimal percentage, or "—" when nothing was published.
pub fn share_text(on_time: i64, published: i64) -> String {
    if published <= 0 {
        return "—".to_owned();
    }
    #[allow(clippy::cast_precision_loss)]
    let pct = on_time as f64 * 100.0 / published as f64;
    format!("{pct:.1}%")
}

/// A row's cells, in [`COLUMNS`] order.
pub fn render_row(row: &OrganRow, links: &Links<'_>) -> Vec<Rendered> {
    COLUMNS
        .iter()
        .map(|c| match c.cell {
            Cell::Organ => Rendered::text(row.name.clone()),
            Cell::Count(m) => {
                Rendered::number(row.count(m), Some(links.records(m, Some(row.organ_id))))
            }
            Cell::OnTimeShare => Rendered {
                text: share_text(
                    row.count(Measure::ItemsOnTime),
                    row.count(Measure::ItemsPublished),
                ),
                href: Some(links.records(Measure::ItemsOnTime, Some(row.organ_id))),
                number: None,
            },
            Cell::Report => Rendered {
                text: row.report.label().to_owned(),
                href: Some(row.report_href.clone()),
                number: None,
            },
            Cell::Score => Rendered::text(score_text(row.score)),
            Cell::Rank => Rendered::number(i64::try_from(row.rank).unwrap_or(i64::MAX), None),
            Cell::RectificationsOverdue => Rendered::number(
                row.rectifications_overdue,
                Some(links.rectifications_overdue(Some(row.organ_id))),
            ),
        })
        .collect()
}

/// The totals row's cells, in [`COLUMNS`] order.
pub fn render_totals(totals: &Totals, links: &Links<'_>) -> Vec<Rendered> {
    COLUMNS
        .iter()
        .map(|c| match c.cell {
            Cell::Organ => Rendered::text("合计".to_owned()),
            Cell::Count(m) => Rendered::number(totals.count(m), Some(links.records(m, None))),
            Cell::OnTimeShare => Rendered {
                text: share_text(
                    totals.count(Measure::ItemsOnTime),
                    totals.count(Measure::ItemsPublished),
                ),
                href: Some(links.records(Measure::ItemsOnTime, None)),
                number: None,
            },
            Cell::Report => Rendered::text(
                ReportState::ALL
                    .iter()
                    .filter_map(|s| {
                        totals
                            .reports
                            .get(s.label())
                            .map(|n| format!("{}{n}", s.label()))
                    })
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            Cell::Score | Cell::Rank => Rendered::text("—".to_owned()),
            Cell::RectificationsOverdue => Rendered::number(
                totals.rectifications_overdue,
                Some(links.rectifications_overdue(None)),
            ),
        })
        .collect()
}

/// How a column sorts.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum SortKey {
    Number(f64),
    Text(String),
}

fn sort_key(row: &OrganRow, cell: Cell) -> SortKey {
    #[allow(clippy::cast_precision_loss)]
    let n = |v: i64| SortKey::Number(v as f64);
    match cell {
        Cell::Organ => SortKey::Text(row.name.clone()),
        Cell::Count(m) => n(row.count(m)),
        Cell::OnTimeShare => {
            let published = row.count(Measure::ItemsPublished);
            if published == 0 {
                // Nothing published sorts below every share.
                SortKey::Number(-1.0)
            } else {
                #[allow(clippy::cast_precision_loss)]
                let share = row.count(Measure::ItemsOnTime) as f64 / published as f64;
                SortKey::Number(share)
            }
        }
        Cell::Report => n(row.report.order()),
        Cell::Score => SortKey::Number(row.score),
        Cell::Rank => n(i64::try_from(row.rank).unwrap_or(i64::MAX)),
        Cell::RectificationsOverdue => n(row.rectifications_overdue),
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

impl Dir {
    pub fn parse(text: Option<&str>) -> Dir {
        if text == Some("desc") {
            Dir::Desc
        } else {
            Dir::Asc
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }
}

/// The column of a `sort=` key.
pub fn column(key: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.key == key)
}

/// Sorts `rows` by `column` (ties keep the subtree order); `None` keeps the subtree order.
pub fn sort(rows: &mut [OrganRow], column: Option<&Column>, dir: Dir) {
    rows.sort_by_key(|r| r.position);
    let Some(column) = column else { return };
    rows.sort_by(|a, b| {
        let (ka, kb) = (sort_key(a, column.cell), sort_key(b, column.cell));
        let ord = ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal);
        match dir {
            Dir::Asc => ord,
            Dir::Desc => ord.reverse(),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_keys_are_unique_and_every_measure_shown_has_one_column() {
        let mut keys: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), COLUMNS.len());
        assert_eq!(COLUMNS.first().map(|c| c.cell), Some(Cell::Organ));
    }

    #[test]
    fn shares_show_one_decimal_and_a_dash_without_items() {
        assert_eq!(share_text(2, 3), "66.7%");
        assert_eq!(share_text(0, 0), "—");
        assert_eq!(share_text(5, 5), "100.0%");
    }
}
