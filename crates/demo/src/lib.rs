//! Realistic demo items (主动公开的政府信息) for the demo 街道, 新华区西市场街道办事处 (石家庄市新华区).
//!
//! Pure and deterministic: no IO, no clock, no randomness from outside — the same calendar gives
//! the same items on every call.
//!
//! - [`ximarket_2023`]: the 348 items of 2023 as described in the 街道's real annual report
//!   (`/work/shared/corpus/xinhua-ximarket-2023.txt`): 20 in the 政府信息公开专栏 and 328 工作动态
//!   through 官媒客户端 and newspapers, with a cluster of late publications (the report's
//!   "专职人员调整、产假、离职" weakness) and one 行政规范性文件 left without a 政策解读.
//! - [`bulk`]: an endless-variety generator for benchmarks, all genres, any range of years.
//!
//! Names of people, estates and every count are fictional.

mod data;
mod fill;
mod rng;

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use gongkai_calendar::Calendar;

use crate::data::{
    COMMUNITIES, DEPARTMENTS, ESTATES, GENERIC_CLOSERS, GENERIC_DETAILS, GENERIC_TAILS,
    GENERIC_TITLES, GENRE_TEXTS, GenreText, THEMES, Theme,
};
use crate::fill::{Ctx, Subject, fill};
use crate::rng::Rng;

/// One item of published government information (主动公开), as the demo data knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoItem {
    /// 名称.
    pub title: String,
    /// 内容概述, one sentence.
    pub summary: String,
    /// 3–6 paragraphs of 80–250 characters.
    pub body_paragraphs: Vec<String>,
    /// One of [`GENRES`].
    pub genre: &'static str,
    /// 主题分类 path, one of [`TOPICS`].
    pub topic: &'static str,
    /// 基层政务公开 domain, one of [`DOMAINS`].
    pub domain: Option<&'static str>,
    /// 条例第二十条 item (1..=15).
    pub art20_item: Option<u8>,
    /// Keys from [`CHANNELS`], at least one.
    pub channels: Vec<&'static str>,
    /// 承办科室, one of [`DEPARTMENTS`](crate::DEPARTMENT_NAMES).
    pub department: &'static str,
    /// 文号, e.g. "西市场办〔2023〕12号"; serials unique per year.
    pub doc_no: Option<String>,
    /// 成文日期, a working day.
    pub formed_on: NaiveDate,
    /// 发布日期, a working day on or after `formed_on`.
    pub published_on: NaiveDate,
    /// 主题词, 1–3.
    pub keywords: Vec<String>,
}

/// Genre keys (体裁).
pub const GENRES: [&str; 11] = [
    "regulation",
    "normative_document",
    "other_document",
    "interpretation",
    "work_update",
    "notice",
    "plan_summary",
    "statistics",
    "personnel",
    "finance",
    "institution",
];

/// Channel keys (公开渠道).
pub const CHANNELS: [&str; 10] = [
    "column",
    "portal",
    "media_app",
    "newspaper",
    "wechat_account",
    "weibo",
    "wechat_group",
    "bulletin_board",
    "broadcast",
    "other",
];

/// 主题分类 paths.
pub const TOPICS: [&str; 18] = [
    "综合政务\\政务公开",
    "综合政务\\应急管理",
    "综合政务\\其他",
    "国务院组织机构\\其他",
    "城乡建设、环境保护\\城乡建设（含住房）",
    "城乡建设、环境保护\\环境监测、保护与治理",
    "民政、扶贫、救灾\\社会救助",
    "民政、扶贫、救灾\\其他",
    "劳动、人事、监察\\就业",
    "劳动、人事、监察\\人事工作",
    "公安、安全、司法\\司法",
    "公安、安全、司法\\公共安全",
    "市场监管、安全生产监管\\安全生产监管",
    "卫生、体育\\卫生",
    "文化、广电、新闻出版\\文化",
    "财政、金融、审计\\财政",
    "科技、教育\\教育",
    "人口与计划生育、妇女儿童工作\\其他",
];

/// 基层政务公开 domains.
pub const DOMAINS: [&str; 15] = [
    "社会救助",
    "养老服务",
    "就业",
    "城乡规划",
    "安全生产",
    "生态环境",
    "公共文化服务",
    "公共法律服务",
    "医疗卫生",
    "救灾",
    "市政服务",
    "财政预决算",
    "住房保障",
    "退役军人服务",
    "户籍管理",
];

/// 承办科室 of the demo 街道.
pub const DEPARTMENT_NAMES: [&str; 7] = DEPARTMENTS;

/// The document title a 政策解读 interprets: `"《X》政策解读"` → `Some("X")`.
pub fn interpreted_title(title: &str) -> Option<&str> {
    title.strip_prefix('《')?.strip_suffix("》政策解读")
}

/// Working days of `years`, ascending. Days the calendar cannot answer for (years it does not
/// know) are skipped; when it knows none of them, Monday–Friday stands in.
fn working_days(calendar: &Calendar, years: RangeInclusive<i32>) -> Vec<NaiveDate> {
    let collect = |weekdays_only: bool| {
        let mut out = Vec::new();
        for year in years.clone() {
            let Some(mut date) = NaiveDate::from_ymd_opt(year, 1, 1) else {
                continue;
            };
            while date.year() == year {
                let working = if weekdays_only {
                    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
                } else {
                    matches!(calendar.is_working_day(date), Ok(true))
                };
                if working {
                    out.push(date);
                }
                match date.succ_opt() {
                    Some(next) => date = next,
                    None => break,
                }
            }
        }
        out
    };
    let days = collect(false);
    if days.is_empty() { collect(true) } else { days }
}

const GRIDS: [&str; 12] = [
    "第一网格",
    "第二网格",
    "第三网格",
    "第四网格",
    "第五网格",
    "第六网格",
    "第七网格",
    "第八网格",
    "第九网格",
    "第十网格",
    "第十一网格",
    "第十二网格",
];

/// How much variety titles get: the 2023 demo reads like the real column, bulk varies more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variety {
    Demo,
    Bulk,
}

fn grid(rng: &mut Rng, percent: u32) -> &'static str {
    if rng.chance(percent) {
        rng.pick_str(&GRIDS)
    } else {
        ""
    }
}

fn make_ctx(rng: &mut Rng, theme: &Theme, date: NaiveDate, variety: Variety) -> Ctx {
    let (grid_percent, street, community) = match variety {
        Variety::Demo => (15, 60, 30),
        Variety::Bulk => (45, 5, 25),
    };
    let r = rng.below(100) as u32;
    let subject = if r < street {
        Subject::Street
    } else if r < street + community {
        Subject::Community
    } else {
        Subject::Grid
    };
    let c = rng.below(COMMUNITIES.len());
    let c2 = (c + 1 + rng.below(COMMUNITIES.len() - 1)) % COMMUNITIES.len();
    // The event usually happened on the day of writing or a day or two before.
    let back = rng.below(3) as u64;
    let event = date
        .checked_sub_days(Days::new(back))
        .filter(|d| d.year() == date.year())
        .unwrap_or(date);
    Ctx {
        community: COMMUNITIES.get(c).copied().unwrap_or("西三庄社区"),
        community2: COMMUNITIES.get(c2).copied().unwrap_or("柏林庄社区"),
        grid: grid(rng, grid_percent),
        subject,
        subject_grid: rng.pick_str(&GRIDS),
        estate: rng.pick_str(&ESTATES),
        object: rng.pick_str(theme.objects),
        partner: rng.pick_str(theme.partners),
        activity: theme.activity,
        policy: theme.policy,
        department: theme.department,
        year: date.year(),
        month: event.month(),
        day: event.day(),
        quarter: date.month0() / 3 + 1,
        doc_title: String::new(),
    }
}

const MIN_PARA: usize = 80;
const MAX_PARA: usize = 250;

/// Appends `tpl` to `para` (of `len` chars) when the result stays within [`MAX_PARA`].
fn try_append(
    para: &mut String,
    len: &mut usize,
    tpl: &str,
    ctx: &Ctx,
    rng: &mut Rng,
    scratch: &mut String,
) -> bool {
    scratch.clear();
    let n = fill(scratch, tpl, ctx, rng);
    if *len + n > MAX_PARA {
        return false;
    }
    para.push_str(scratch);
    *len += n;
    true
}

/// Picks an unused index of `0..len` (bit set in `used`), or `None` when all are used.
fn pick_unused(rng: &mut Rng, len: usize, used: &mut u64) -> Option<usize> {
    let len = len.min(64);
    if len == 0 || used.count_ones() as usize >= len {
        return None;
    }
    let mut i = rng.below(len);
    while *used & (1 << i) != 0 {
        i = (i + 1) % len;
    }
    *used |= 1 << i;
    Some(i)
}

/// Tops a paragraph up to [`MIN_PARA`] chars with short generic tails.
fn top_up(para: &mut String, len: &mut usize, ctx: &Ctx, rng: &mut Rng, scratch: &mut String) {
    let mut used = 0u64;
    while *len < MIN_PARA {
        let Some(i) = pick_unused(rng, GENERIC_TAILS.len(), &mut used) else {
            break;
        };
        let tail = GENERIC_TAILS.get(i).copied().unwrap_or("");
        try_append(para, len, tail, ctx, rng, scratch);
    }
}

/// Body and summary of a work update.
fn work_update_body(theme: &Theme, ctx: &Ctx, rng: &mut Rng) -> (String, Vec<String>) {
    // 3..=6 paragraphs, fewer when the theme has little to say.
    let target = (3 + rng.below(4)).min(3 + theme.details.len() / 2);
    let mut paras = Vec::with_capacity(target);
    let mut scratch = String::with_capacity(512);

    let mut opener = String::with_capacity(512);
    let mut len = fill(&mut opener, rng.pick_str(theme.openers), ctx, rng);
    let summary = opener.clone();
    let mut used_generic = 0u64;
    if len < MIN_PARA
        && let Some(i) = pick_unused(rng, GENERIC_DETAILS.len(), &mut used_generic)
    {
        try_append(
            &mut opener,
            &mut len,
            GENERIC_DETAILS.get(i).copied().unwrap_or(""),
            ctx,
            rng,
            &mut scratch,
        );
    }
    top_up(&mut opener, &mut len, ctx, rng, &mut scratch);
    paras.push(opener);

    // Middle paragraphs: theme details first, generic ones when they run out.
    let mut used_theme = 0u64;
    for _ in 0..target.saturating_sub(2) {
        let mut para = String::with_capacity(512);
        let mut len = 0;
        let mut tries = 0;
        while tries < 6 {
            tries += 1;
            let tpl = if let Some(i) = pick_unused(rng, theme.details.len(), &mut used_theme) {
                theme.details.get(i).copied().unwrap_or("")
            } else if let Some(i) = pick_unused(rng, GENERIC_DETAILS.len(), &mut used_generic) {
                GENERIC_DETAILS.get(i).copied().unwrap_or("")
            } else {
                break;
            };
            if !try_append(&mut para, &mut len, tpl, ctx, rng, &mut scratch) {
                break;
            }
            if len >= 120 || (len >= MIN_PARA && rng.chance(80)) {
                break;
            }
        }
        if len >= MIN_PARA {
            paras.push(para);
        } else if len > 0 {
            top_up(&mut para, &mut len, ctx, rng, &mut scratch);
            if len >= MIN_PARA {
                paras.push(para);
            }
        }
    }

    let mut closer = String::with_capacity(512);
    let mut len = fill(&mut closer, rng.pick_str(theme.closers), ctx, rng);
    let mut used_closers = 0u64;
    while len < MIN_PARA {
        let Some(i) = pick_unused(rng, GENERIC_CLOSERS.len(), &mut used_closers) else {
            break;
        };
        let tpl = GENERIC_CLOSERS.get(i).copied().unwrap_or("");
        try_append(&mut closer, &mut len, tpl, ctx, rng, &mut scratch);
    }
    top_up(&mut closer, &mut len, ctx, rng, &mut scratch);
    paras.push(closer);
    (summary, paras)
}

fn keywords(rng: &mut Rng, theme: &Theme) -> Vec<String> {
    let mut out = Vec::with_capacity(3);
    for (i, k) in theme.keywords.iter().take(3).enumerate() {
        if i == 0 || rng.chance(50) {
            out.push((*k).to_string());
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Dates {
    formed: NaiveDate,
    published: NaiveDate,
}

fn work_update(
    rng: &mut Rng,
    theme: &Theme,
    dates: Dates,
    channels: Vec<&'static str>,
    variety: Variety,
) -> DemoItem {
    let ctx = make_ctx(rng, theme, dates.formed, variety);
    let mut title = String::with_capacity(96);
    let generic = match variety {
        Variety::Demo => 10,
        Variety::Bulk => 30,
    };
    let tpl = if rng.chance(generic) {
        rng.pick_str(GENERIC_TITLES)
    } else {
        rng.pick_str(theme.titles)
    };
    fill(&mut title, tpl, &ctx, rng);
    let (summary, body_paragraphs) = work_update_body(theme, &ctx, rng);
    DemoItem {
        title,
        summary,
        body_paragraphs,
        genre: "work_update",
        topic: theme.topic,
        domain: theme.domain,
        art20_item: theme.art20,
        channels,
        department: theme.department,
        doc_no: None,
        formed_on: dates.formed,
        published_on: dates.published,
        keywords: keywords(rng, theme),
    }
}

fn genre_text(genre: &str) -> &'static GenreText {
    GENRE_TEXTS
        .iter()
        .find(|g| g.genre == genre)
        .unwrap_or(&GENRE_TEXTS[0])
}

/// One paragraph per template, lengthened with the genre's short extras when it comes out short.
fn genre_body(text: &GenreText, ctx: &Ctx, rng: &mut Rng) -> Vec<String> {
    let mut paras: Vec<String> = Vec::with_capacity(text.paragraphs.len());
    let mut scratch = String::with_capacity(512);
    let mut used = 0u64;
    for tpl in text.paragraphs {
        let mut para = String::with_capacity(512);
        let mut len = fill(&mut para, tpl, ctx, rng);
        while len < MIN_PARA {
            let Some(i) = pick_unused(rng, text.extras.len(), &mut used) else {
                break;
            };
            let extra = text.extras.get(i).copied().unwrap_or("");
            try_append(&mut para, &mut len, extra, ctx, rng, &mut scratch);
        }
        top_up(&mut para, &mut len, ctx, rng, &mut scratch);
        paras.push(para);
    }
    paras
}

/// Classification of a non-work-update item.
#[derive(Debug, Clone, Copy)]
struct Class {
    topic: &'static str,
    domain: Option<&'static str>,
    art20: Option<u8>,
    department: &'static str,
}

fn class_for(genre: &str, theme: &Theme) -> Class {
    let of_theme = Class {
        topic: theme.topic,
        domain: theme.domain,
        art20: theme.art20,
        department: theme.department,
    };
    match genre {
        "regulation" | "normative_document" => Class {
            art20: Some(1),
            ..of_theme
        },
        "statistics" => Class {
            art20: Some(4),
            ..of_theme
        },
        "plan_summary" => Class {
            art20: None,
            ..of_theme
        },
        "personnel" => Class {
            topic: "劳动、人事、监察\\人事工作",
            domain: None,
            art20: None,
            department: "党政综合办公室",
        },
        "finance" => Class {
            topic: "财政、金融、审计\\财政",
            domain: Some("财政预决算"),
            art20: Some(7),
            department: "党政综合办公室",
        },
        "institution" => Class {
            topic: "国务院组织机构\\其他",
            domain: None,
            art20: Some(2),
            department: "党政综合办公室",
        },
        _ => of_theme,
    }
}

struct DocSpec<'a> {
    genre: &'static str,
    theme: &'a Theme,
    dates: Dates,
    channels: Vec<&'static str>,
    /// Fixed title template (else one of the genre's).
    title: Option<&'static str>,
    summary: Option<&'static str>,
    class: Option<Class>,
    doc_title: String,
    doc_no: Option<String>,
    variety: Variety,
    body: Option<&'static [&'static str]>,
}

fn document(rng: &mut Rng, spec: DocSpec<'_>) -> DemoItem {
    let text = genre_text(spec.genre);
    let class = spec
        .class
        .unwrap_or_else(|| class_for(spec.genre, spec.theme));
    let mut ctx = make_ctx(rng, spec.theme, spec.dates.formed, spec.variety);
    ctx.department = class.department;
    ctx.doc_title = spec.doc_title;
    let mut title = String::with_capacity(96);
    fill(
        &mut title,
        spec.title.unwrap_or_else(|| rng.pick_str(text.titles)),
        &ctx,
        rng,
    );
    let mut summary = String::with_capacity(160);
    fill(
        &mut summary,
        spec.summary.unwrap_or_else(|| rng.pick_str(text.summaries)),
        &ctx,
        rng,
    );
    let body_paragraphs = match spec.body {
        Some(paragraphs) => genre_body(
            &GenreText {
                paragraphs,
                ..*text
            },
            &ctx,
            rng,
        ),
        None => genre_body(text, &ctx, rng),
    };
    let keywords = match spec.genre {
        "finance" => vec!["预决算".to_string(), "财政信息".to_string()],
        "institution" => vec!["机构职能".to_string()],
        "personnel" => vec!["人事信息".to_string()],
        "interpretation" => vec!["政策解读".to_string(), spec.theme.policy.to_string()],
        _ if class.topic == "综合政务\\政务公开" => {
            vec!["政务公开".to_string(), "政府信息公开".to_string()]
        }
        _ => keywords(rng, spec.theme),
    };
    DemoItem {
        title,
        summary,
        body_paragraphs,
        genre: spec.genre,
        topic: class.topic,
        domain: class.domain,
        art20_item: class.art20,
        channels: spec.channels,
        department: class.department,
        doc_no: spec.doc_no,
        formed_on: spec.dates.formed,
        published_on: spec.dates.published,
        keywords,
    }
}

fn theme_named(activity: &str) -> &'static Theme {
    THEMES
        .iter()
        .find(|t| t.activity == activity)
        .unwrap_or(&THEMES[0])
}

fn pick_theme(rng: &mut Rng, month: u32) -> &'static Theme {
    let active = |t: &Theme| t.months == 0 || t.months & (1 << (month.saturating_sub(1) % 16)) != 0;
    let total: u32 = THEMES.iter().filter(|t| active(t)).map(|t| t.weight).sum();
    let mut r = rng.below(total as usize) as u32;
    for theme in THEMES.iter().filter(|t| active(t)) {
        if r < theme.weight {
            return theme;
        }
        r -= theme.weight;
    }
    &THEMES[0]
}

fn doc_no(year: i32, serial: u32) -> String {
    format!("西市场办〔{year}〕{serial}号")
}

/// Index of the first of `days` on or after `date` (clamped to the last).
fn index_on_or_after(days: &[NaiveDate], date: NaiveDate) -> usize {
    days.partition_point(|d| *d < date)
        .min(days.len().saturating_sub(1))
}

fn dates_at(days: &[NaiveDate], formed: usize, lag: usize) -> Option<Dates> {
    let formed_on = *days.get(formed)?;
    let published_on = *days
        .get(formed + lag)
        .or_else(|| days.last())
        .filter(|d| **d >= formed_on)?;
    Some(Dates {
        formed: formed_on,
        published: published_on,
    })
}

/// A normal publication lag in working days: mostly the same or next day, at most 10.
fn normal_lag(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=34 => 0,
        35..=59 => 1,
        60..=74 => 2,
        75..=91 => rng.range(3, 5) as usize,
        _ => rng.range(6, 10) as usize,
    }
}

/// One of the 20 items of the 政府信息公开专栏, 2023.
struct ColumnSpec {
    month: u32,
    day: u32,
    lag: usize,
    genre: &'static str,
    theme: &'static str,
    title: &'static str,
    summary: &'static str,
    class: Option<Class>,
    channels: &'static [&'static str],
    numbered: bool,
    /// Paragraph templates replacing the genre's.
    body: Option<&'static [&'static str]>,
}

const LEADERSHIP_BODY: &[&str] = &[
    "街道党工委书记主持党工委全面工作，负责党的建设、意识形态、党风廉政建设和干部队伍建设，分管党政综合办公室。街道办事处主任主持办事处全面工作，负责经济发展、财政预决算和政务公开工作，任政务公开工作领导小组组长。",
    "党工委副书记负责组织、宣传、统战、群团和“五星”支部创建工作，分管社区建设办公室，联系{c}、{c2}。人大工委主任负责人大代表联络和民生实事项目监督工作。",
    "办事处副主任（城市管理）负责城市管理、人居环境整治、城市更新和综合行政执法工作，分管城市管理办公室和综合行政执法队，负责经济发展办公室日常工作。",
    "办事处副主任（平安建设）负责安全生产、应急管理、信访和综治工作，分管平安建设办公室；办事处副主任（民生保障）负责社会救助、养老、就业、退役军人服务和卫生健康工作，分管公共服务办公室。",
];

const ANNUAL_REPORT_BODY: &[&str] = &[
    "一、总体情况。{y1}年，{org}依照《中华人民共和国政府信息公开条例》规定，严格落实政府信息采选、编辑、审核、公开工作流程，依托政府信息公开专栏、官媒客户端、报纸和社区微信群等渠道主动公开政府信息。",
    "二、主动公开政府信息情况。本年度街道围绕机构设置、领导分工、民生保障、文化宣传等内容在政府信息公开专栏公开信息，通过官媒客户端和报纸发布“五星”支部创建、人居环境整治等工作动态。",
    "三、收到和处理政府信息公开申请情况。{y1}年度街道未收到政府信息公开申请，无上年结转申请，未发生政府信息公开行政复议、行政诉讼，未收取信息处理费。",
    "四、存在的主要问题及改进情况。政务公开专职人员业务能力有待提升，政策解读形式较为单一。下一步，街道将定期开展业务培训，完善信息报送和审核机制，提升公开时效和质量。",
];

const OPEN: Class = Class {
    topic: "综合政务\\政务公开",
    domain: None,
    art20: None,
    department: "党政综合办公室",
};

const CULTURE: Class = Class {
    topic: "文化、广电、新闻出版\\文化",
    domain: Some("公共文化服务"),
    art20: None,
    department: "公共服务办公室",
};

/// Title of the 街道's 实施办法 of 2023 that has a 政策解读. The 街道 publishes its 实施办法 as
/// 其他文件: its 2023 report counts no 行政规范性文件 (table 二), and the demo reproduces that report.
pub const XIMARKET_2023_INTERPRETED: &str = "西市场街道困难群众临时救助实施办法";
/// Title of the 街道's 其他文件 of 2023 published without a 政策解读.
pub const XIMARKET_2023_UNINTERPRETED: &str = "西市场街道居家养老服务补贴管理暂行规定";

const COLUMN_2023: [ColumnSpec; 20] = [
    ColumnSpec {
        month: 1,
        day: 9,
        lag: 2,
        genre: "plan_summary",
        theme: "政务公开",
        title: "西市场街道办事处{y1}年政府信息公开工作年度报告",
        summary: "报告{y1}年西市场街道办事处主动公开、依申请公开、政府信息管理和平台建设等情况。",
        class: Some(OPEN),
        channels: &["column"],
        numbered: false,
        body: Some(ANNUAL_REPORT_BODY),
    },
    ColumnSpec {
        month: 2,
        day: 8,
        lag: 1,
        genre: "institution",
        theme: "“五星”支部创建",
        title: "西市场街道办事处机构设置及主要职责",
        summary: "公开西市场街道办事处内设机构和主要职责。",
        class: None,
        channels: &["column"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 2,
        day: 9,
        lag: 1,
        genre: "personnel",
        theme: "“五星”支部创建",
        title: "西市场街道办事处领导班子成员分工",
        summary: "公开西市场街道党工委、办事处领导班子成员的工作分工。",
        class: Some(Class {
            topic: "劳动、人事、监察\\人事工作",
            domain: None,
            art20: Some(2),
            department: "党政综合办公室",
        }),
        channels: &["column"],
        numbered: false,
        body: Some(LEADERSHIP_BODY),
    },
    ColumnSpec {
        month: 2,
        day: 10,
        lag: 1,
        genre: "institution",
        theme: "“五星”支部创建",
        title: "西市场街道办事处办公地址、办公时间和联系方式",
        summary: "公开西市场街道办事处及便民服务中心的办公地址、办公时间和联系方式。",
        class: None,
        channels: &["column", "bulletin_board"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 2,
        day: 20,
        lag: 2,
        genre: "other_document",
        theme: "政务公开",
        title: "西市场街道{y}年政务公开工作要点",
        summary: "明确{y}年西市场街道政务公开工作的重点任务和责任分工。",
        class: Some(OPEN),
        channels: &["column"],
        numbered: true,
        body: None,
    },
    ColumnSpec {
        month: 2,
        day: 27,
        lag: 3,
        genre: "finance",
        theme: "社会救助",
        title: "西市场街道办事处{y}年部门预算",
        summary: "公开西市场街道办事处{y}年部门预算收支情况和“三公”经费预算。",
        class: None,
        channels: &["column"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 3,
        day: 14,
        lag: 1,
        genre: "other_document",
        theme: "社会救助",
        title: XIMARKET_2023_INTERPRETED,
        summary: "规范西市场街道困难群众临时救助的对象范围、申请审核和资金发放，自印发之日起施行。",
        class: None,
        channels: &["column", "bulletin_board"],
        numbered: true,
        body: None,
    },
    ColumnSpec {
        month: 3,
        day: 17,
        lag: 1,
        genre: "interpretation",
        theme: "社会救助",
        title: "《西市场街道困难群众临时救助实施办法》政策解读",
        summary: "解读《西市场街道困难群众临时救助实施办法》的制定背景、主要内容和办理程序。",
        class: None,
        channels: &["column"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 3,
        day: 28,
        lag: 2,
        genre: "other_document",
        theme: "社会救助",
        title: "西市场街道城乡低保、特困供养政策明白纸",
        summary: "告知居民低保、特困供养的申请条件、所需材料和办理流程。",
        class: None,
        channels: &["column", "wechat_group"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 4,
        day: 11,
        lag: 2,
        genre: "other_document",
        theme: "就业援助",
        title: "西市场街道就业援助政策及服务指南",
        summary: "汇总就业困难人员认定、公益性岗位安置和社会保险补贴等就业援助政策。",
        class: None,
        channels: &["column", "wechat_group"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 4,
        day: 20,
        lag: 3,
        genre: "plan_summary",
        theme: "新时代文明实践",
        title: "西市场街道{y}年新时代文明实践活动安排",
        summary: "公布{y}年西市场街道新时代文明实践所、站的主要活动安排。",
        class: Some(CULTURE),
        channels: &["column"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 5,
        day: 16,
        lag: 2,
        genre: "other_document",
        theme: "防汛",
        title: "西市场街道{y}年防汛应急预案",
        summary: "明确西市场街道防汛组织体系、预警响应、人员转移和物资保障。",
        class: None,
        channels: &["column"],
        numbered: true,
        body: None,
    },
    ColumnSpec {
        month: 6,
        day: 12,
        lag: 4,
        genre: "notice",
        theme: "新时代文明实践",
        title: "西市场街道关于开展“我们的节日·端午”系列文化活动的公告",
        summary: "公告端午节期间西市场街道各社区文化活动的时间、地点和参与方式。",
        class: Some(CULTURE),
        channels: &["column", "wechat_group"],
        numbered: true,
        body: None,
    },
    ColumnSpec {
        month: 7,
        day: 18,
        lag: 6,
        genre: "statistics",
        theme: "社会救助",
        title: "西市场街道{y}年上半年民生保障工作情况统计",
        summary: "公布{y}年上半年西市场街道低保、临时救助、就业援助等民生保障数据。",
        class: None,
        channels: &["column"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 8,
        day: 9,
        lag: 5,
        genre: "finance",
        theme: "社会救助",
        title: "西市场街道办事处{y1}年部门决算",
        summary: "公开西市场街道办事处{y1}年部门决算收支情况和“三公”经费支出。",
        class: None,
        channels: &["column"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 8,
        day: 29,
        lag: 3,
        genre: "other_document",
        theme: "养老服务",
        title: XIMARKET_2023_UNINTERPRETED,
        summary: "规定西市场街道居家养老服务补贴的对象、标准、申请和发放程序，自印发之日起施行。",
        class: None,
        channels: &["column"],
        numbered: true,
        body: None,
    },
    ColumnSpec {
        month: 9,
        day: 12,
        lag: 4,
        genre: "notice",
        theme: "健康服务",
        title: "关于做好{y}—{yn}年度城乡居民基本医疗保险集中征缴工作的通知",
        summary: "通知辖区居民城乡居民基本医疗保险集中征缴的时间、标准和缴费方式。",
        class: None,
        channels: &["column", "wechat_group"],
        numbered: true,
        body: None,
    },
    ColumnSpec {
        month: 10,
        day: 24,
        lag: 3,
        genre: "notice",
        theme: "养老服务",
        title: "关于开展{y}年度高龄老人津贴年审工作的公告",
        summary: "公告高龄老人津贴年审的对象、时间和所需材料。",
        class: None,
        channels: &["column", "bulletin_board"],
        numbered: true,
        body: None,
    },
    ColumnSpec {
        month: 11,
        day: 15,
        lag: 5,
        genre: "personnel",
        theme: "就业援助",
        title: "西市场街道{y}年公益性岗位招聘公告",
        summary: "公告西市场街道公益性岗位招聘的岗位数量、招聘条件和报名方式。",
        class: None,
        channels: &["column"],
        numbered: false,
        body: None,
    },
    ColumnSpec {
        month: 12,
        day: 12,
        lag: 4,
        genre: "plan_summary",
        theme: "新时代文明实践",
        title: "西市场街道{y}年文化惠民活动工作总结",
        summary: "总结{y}年西市场街道开展文化惠民和新时代文明实践活动的情况。",
        class: Some(CULTURE),
        channels: &["column"],
        numbered: false,
        body: None,
    },
];

/// Months (formed_on) in which the staff changes made publication late.
const LATE_MONTHS: [(u32, usize); 2] = [(6, 6), (9, 6)];

/// Relative weight of a day for work updates: fewer around 春节 and 国庆 and at the very end of
/// the year, and slightly fewer in the summer of the staff changes.
fn day_weight(date: NaiveDate) -> usize {
    match (date.month(), date.day()) {
        (1, 16..) | (2, 1..=3) => 3,
        (9, 25..) | (10, 1..=13) => 3,
        (12, 25..) => 5,
        (6 | 7, _) => 7,
        _ => 10,
    }
}

/// The 348 items the 街道 published in 2023: 20 in the 政府信息公开专栏 and 328 工作动态 through
/// 官媒客户端 and newspapers. Deterministic; sorted by publication date.
pub fn ximarket_2023(calendar: &Calendar) -> Vec<DemoItem> {
    const YEAR: i32 = 2023;
    const WORK_UPDATES: usize = 328;
    let days = working_days(calendar, YEAR..=YEAR);
    if days.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng::new(2023_0348);
    let mut items: Vec<DemoItem> = Vec::with_capacity(348);
    let mut titles: HashSet<String> = HashSet::with_capacity(400);

    // 政府信息公开专栏.
    let mut serial = rng.range(1, 3);
    for spec in &COLUMN_2023 {
        let Some(date) = NaiveDate::from_ymd_opt(YEAR, spec.month, spec.day) else {
            continue;
        };
        let idx = index_on_or_after(&days, date);
        let Some(dates) = dates_at(&days, idx, spec.lag) else {
            continue;
        };
        let doc_no = spec.numbered.then(|| {
            serial += rng.range(2, 6);
            doc_no(YEAR, serial)
        });
        let theme = theme_named(spec.theme);
        let doc_title = interpreted_title(spec.title).unwrap_or("").to_string();
        let item = document(
            &mut rng,
            DocSpec {
                genre: spec.genre,
                theme,
                dates,
                channels: spec.channels.to_vec(),
                title: Some(spec.title),
                summary: Some(spec.summary),
                class: spec.class,
                doc_title,
                doc_no,
                variety: Variety::Demo,
                body: spec.body,
            },
        );
        titles.insert(item.title.clone());
        items.push(item);
    }

    // 工作动态: formed days drawn by weight, then sorted.
    let cumulative: Vec<usize> = days
        .iter()
        .scan(0usize, |acc, d| {
            *acc += day_weight(*d);
            Some(*acc)
        })
        .collect();
    let total = cumulative.last().copied().unwrap_or(0);
    let mut formed: Vec<usize> = (0..WORK_UPDATES)
        .map(|_| {
            let r = rng.below(total);
            cumulative.partition_point(|c| *c <= r)
        })
        .collect();
    formed.sort_unstable();

    let mut lags: Vec<usize> = (0..WORK_UPDATES).map(|_| normal_lag(&mut rng)).collect();
    for (month, count) in LATE_MONTHS {
        let mut candidates: Vec<usize> = formed
            .iter()
            .enumerate()
            .filter(|(_, d)| days.get(**d).is_some_and(|d| d.month() == month))
            .map(|(i, _)| i)
            .collect();
        for _ in 0..count {
            if candidates.is_empty() {
                break;
            }
            let i = candidates.swap_remove(rng.below(candidates.len()));
            if let Some(lag) = lags.get_mut(i) {
                *lag = rng.range(21, 34) as usize;
            }
        }
    }

    for (idx, lag) in formed.iter().zip(&lags) {
        let Some(dates) = dates_at(&days, *idx, *lag) else {
            continue;
        };
        let channels = match rng.below(100) {
            0..=54 => vec!["media_app"],
            55..=79 => vec!["newspaper"],
            _ => vec!["media_app", "newspaper"],
        };
        let mut theme = pick_theme(&mut rng, dates.formed.month());
        let mut item = work_update(&mut rng, theme, dates, channels.clone(), Variety::Demo);
        let mut tries = 0;
        while titles.contains(&item.title) && tries < 60 {
            tries += 1;
            if tries % 10 == 0 {
                theme = pick_theme(&mut rng, dates.formed.month());
            }
            item = work_update(&mut rng, theme, dates, channels.clone(), Variety::Demo);
        }
        titles.insert(item.title.clone());
        items.push(item);
    }

    items.sort_by(|a, b| {
        (a.published_on, a.formed_on, &a.title).cmp(&(b.published_on, b.formed_on, &b.title))
    });
    items
}

/// Genres of [`bulk`] with weights (per mille); interpretations follow normative documents.
const BULK_GENRES: [(&str, usize); 10] = [
    ("work_update", 655),
    ("notice", 100),
    ("other_document", 55),
    ("normative_document", 25),
    ("plan_summary", 55),
    ("statistics", 40),
    ("personnel", 25),
    ("finance", 30),
    ("institution", 10),
    ("regulation", 5),
];

const WORK_CHANNELS: [&[&str]; 7] = [
    &["media_app"],
    &["newspaper"],
    &["media_app", "newspaper"],
    &["wechat_account"],
    &["portal", "wechat_account"],
    &["wechat_account", "weibo"],
    &["column", "portal"],
];

const DOC_CHANNELS: [&[&str]; 6] = [
    &["column"],
    &["column", "portal"],
    &["column", "bulletin_board"],
    &["column", "wechat_group"],
    &["portal"],
    &["column", "broadcast"],
];

struct Bulk {
    rng: Rng,
    days: Vec<NaiveDate>,
    count: usize,
    produced: usize,
    /// Last 文号 serial per year.
    serials: HashMap<i32, u32>,
    pending: Option<DemoItem>,
    /// Hashes of the titles produced so far.
    seen: HashSet<u64>,
}

/// FNV-1a: a stable hash, so that the output never depends on the standard library's hasher.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Bulk {
    fn next_doc_no(&mut self, year: i32) -> String {
        let step = self.rng.range(1, 3);
        let serial = self.serials.entry(year).or_insert(0);
        *serial += step;
        doc_no(year, *serial)
    }

    /// An item whose title has not been produced yet, when a few attempts find one.
    fn generate(&mut self) -> Option<DemoItem> {
        let mut item = self.generate_once()?;
        for _ in 0..6 {
            if self.seen.insert(fnv1a(&item.title)) {
                break;
            }
            self.pending = None;
            item = self.generate_once()?;
        }
        if let Some(pending) = &self.pending {
            self.seen.insert(fnv1a(&pending.title));
        }
        Some(item)
    }

    fn generate_once(&mut self) -> Option<DemoItem> {
        let n = self.days.len();
        // Spread the items over the days in order, with a little jitter.
        let base = (self.produced as u128 * n as u128 / self.count.max(1) as u128) as usize;
        let idx = (base + self.rng.below(3)).min(n.checked_sub(1)?);
        let lag = if self.rng.chance(3) {
            self.rng.range(21, 40) as usize
        } else {
            normal_lag(&mut self.rng)
        };
        let dates = dates_at(&self.days, idx, lag)?;
        let month = dates.formed.month();
        let theme = pick_theme(&mut self.rng, month);
        let mut r = self.rng.below(1000);
        let mut genre = "work_update";
        for (g, w) in BULK_GENRES {
            if r < w {
                genre = g;
                break;
            }
            r -= w;
        }
        if genre == "work_update" {
            let channels = self
                .rng
                .pick(&WORK_CHANNELS)
                .copied()
                .unwrap_or(&["media_app"]);
            return Some(work_update(
                &mut self.rng,
                theme,
                dates,
                channels.to_vec(),
                Variety::Bulk,
            ));
        }
        let doc_no = matches!(genre, "normative_document" | "notice" | "other_document")
            .then(|| self.next_doc_no(dates.formed.year()));
        let channels = self.rng.pick(&DOC_CHANNELS).copied().unwrap_or(&["column"]);
        let item = document(
            &mut self.rng,
            DocSpec {
                genre,
                theme,
                dates,
                channels: channels.to_vec(),
                title: None,
                summary: None,
                class: None,
                doc_title: String::new(),
                doc_no,
                variety: Variety::Bulk,
                body: None,
            },
        );
        if genre == "normative_document" && self.rng.chance(70) {
            let lag = self.rng.range(1, 5) as usize;
            let formed = self.days.partition_point(|d| *d < item.published_on);
            if let Some(dates) = dates_at(&self.days, formed, lag) {
                self.pending = Some(document(
                    &mut self.rng,
                    DocSpec {
                        genre: "interpretation",
                        theme,
                        dates,
                        channels: item.channels.clone(),
                        title: None,
                        summary: None,
                        class: None,
                        doc_title: item.title.clone(),
                        doc_no: None,
                        variety: Variety::Bulk,
                        body: None,
                    },
                ));
            }
        }
        Some(item)
    }
}

impl Iterator for Bulk {
    type Item = DemoItem;

    fn next(&mut self) -> Option<DemoItem> {
        if self.produced >= self.count {
            return None;
        }
        let item = match self.pending.take() {
            Some(item) => item,
            None => self.generate()?,
        };
        self.produced += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.count - self.produced.min(self.count);
        if self.days.is_empty() {
            (0, Some(0))
        } else {
            (left, Some(left))
        }
    }
}

/// `count` items of all genres dated on working days of `years`, for benchmarks. Deterministic
/// for a `seed`; items come in (roughly) chronological order. Years the calendar does not know are
/// skipped (Monday–Friday stands in when it knows none); an empty range yields nothing.
pub fn bulk(
    count: usize,
    seed: u64,
    years: RangeInclusive<i32>,
    calendar: &Calendar,
) -> impl Iterator<Item = DemoItem> {
    let days = working_days(calendar, years);
    Bulk {
        rng: Rng::new(seed),
        days,
        count,
        produced: 0,
        serials: HashMap::new(),
        pending: None,
        seen: HashSet::with_capacity(count.min(1 << 20)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::OLD_ESTATE;

    #[test]
    fn the_old_estate_theme_is_where_the_tests_expect_it() {
        assert_eq!(THEMES[OLD_ESTATE].activity, "老旧小区改造");
    }

    #[test]
    fn no_theme_text_but_the_old_estate_one_says_old_estate() {
        for (i, t) in THEMES.iter().enumerate() {
            if i == OLD_ESTATE {
                assert!(t.titles.iter().all(|s| s.contains("老旧小区改造")));
                continue;
            }
            for s in t
                .titles
                .iter()
                .chain(t.openers)
                .chain(t.details)
                .chain(t.closers)
            {
                assert!(!s.contains("老旧小区改造"), "{s}");
            }
        }
    }

    #[test]
    fn interpreted_title_extracts_the_document() {
        assert_eq!(interpreted_title("《甲办法》政策解读"), Some("甲办法"));
        assert_eq!(interpreted_title("甲办法"), None);
    }
}
