//! The public portal (no script): the organ switcher and each organ's 政府信息公开 column — 指南,
//! 制度, 法定主动公开内容, 年报, 依申请公开. The 指南 is generated from the organ's data
//! (条例第十二条).

use askama::Template;
// The periods quoted in the 指南 come from the law crate, which computes them: one source.
use axum::extract::{Path, State};
use axum::response::Html;
use gongkai_law::clock::{
    CONSULTATION_REPLY_WORKING_DAYS, CORRECTION_NOTICE_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS,
    REPLY_PERIOD_WORKING_DAYS,
};
use gongkai_law::proactive::PROACTIVE_DISCLOSURE_WORKING_DAYS;
use gongkai_store::Organ;

use super::organs::load as organ;
use super::organs::tree;
use super::{Layout, html};
use crate::error::AppResult;
use crate::state::AppState;

pub struct TreeItem {
    pub id: i64,
    pub name: String,
    pub depth: usize,
}

#[derive(Template)]
#[template(path = "portal_index.html")]
struct IndexPage {
    layout: Layout,
    organs: Vec<TreeItem>,
}

pub async fn index(State(state): State<AppState>) -> AppResult<Html<String>> {
    let all = state.store().organs().list().await?;
    let organs = tree(&all)
        .into_iter()
        .map(|r| TreeItem {
            id: r.id,
            name: r.name,
            depth: r.depth,
        })
        .collect();
    html(&IndexPage {
        layout: Layout::public("政府信息公开"),
        organs,
    })
}

#[derive(Default)]
pub struct Section {
    pub heading: Option<String>,
    pub paragraphs: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub links: Vec<(String, String)>,
}

fn para(heading: &str, paragraphs: &[&str]) -> Section {
    Section {
        heading: Some(heading.to_owned()),
        paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
        ..Section::default()
    }
}

#[derive(Template)]
#[template(path = "portal_page.html")]
struct ColumnPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    column: Vec<(String, String)>,
    current: String,
    heading: String,
    sections: Vec<Section>,
}

/// The pages of the column: (path suffix, title).
pub(crate) const COLUMN: &[(&str, &str)] = &[
    ("", "本机关首页"),
    ("/guide", "政府信息公开指南"),
    ("/rules", "政府信息公开制度"),
    ("/proactive", "法定主动公开内容"),
    ("/reports", "政府信息公开工作年度报告"),
    ("/apply", "依申请公开"),
];

/// The column navigation of an organ: (href, label).
pub(crate) fn column_links(organ_id: i64) -> Vec<(String, String)> {
    COLUMN
        .iter()
        .map(|(s, t)| (format!("/organs/{organ_id}{s}"), (*t).to_owned()))
        .collect()
}

fn page(organ: &Organ, suffix: &str, sections: Vec<Section>) -> AppResult<Html<String>> {
    let title = COLUMN
        .iter()
        .find(|(s, _)| *s == suffix)
        .map_or("政府信息公开", |(_, t)| *t);
    let heading = if suffix.is_empty() {
        organ.name.clone()
    } else {
        format!("{}{}", organ.name, title)
    };
    html(&ColumnPage {
        layout: Layout::public(heading.clone()),
        organ_id: organ.id,
        organ_name: organ.name.clone(),
        column: column_links(organ.id),
        current: format!("/organs/{}{}", organ.id, suffix),
        heading,
        sections,
    })
}

pub async fn home(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Html<String>> {
    let o = organ(&state, id).await?;
    let children = state.store().organs().children(id).await?;
    let mut sections = vec![para(
        "政府信息公开专栏",
        &[
            "本专栏依据《中华人民共和国政府信息公开条例》设立，集中发布本机关主动公开的政府信息，并受理政府信息公开申请。请从上方栏目进入。",
        ],
    )];
    sections.push(Section {
        heading: Some("法定主动公开内容".to_owned()),
        links: vec![
            (
                format!("/organs/{id}/proactive"),
                "按条例第二十条、主题分类和公开领域浏览".to_owned(),
            ),
            (
                format!("/organs/{id}/items"),
                "全部主动公开信息（按发布日期）".to_owned(),
            ),
            (
                format!("/organs/{id}/feed.xml"),
                "订阅最新信息（Atom 订阅源）".to_owned(),
            ),
        ],
        ..Section::default()
    });
    if !children.is_empty() {
        sections.push(Section {
            heading: Some("下级机关".to_owned()),
            links: children
                .into_iter()
                .map(|c| (format!("/organs/{}", c.id), c.name))
                .collect(),
            ..Section::default()
        });
    }
    page(&o, "", sections)
}

fn or_unset(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "（暂未公布）".to_owned())
}

pub async fn guide(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Html<String>> {
    let o = organ(&state, id).await?;
    let c = &o.contact;
    let office = c
        .office_name
        .clone()
        .unwrap_or_else(|| format!("{}政府信息公开工作机构", o.name));
    let sections = vec![
        para(
            "一、说明",
            &[&format!(
                "为便于公民、法人和其他组织获取{}的政府信息，根据《中华人民共和国政府信息公开条例》第十二条，编制本指南。本指南根据本机关登记的信息自动生成，信息变更后即时更新。",
                o.name
            )],
        ),
        para(
            "二、主动公开",
            &[
                "（一）公开的范围与分类：本机关依照条例第十九条至第二十二条主动公开政府信息，按“机构职能、法规文件、规划计划、财政信息、行政执法、政策解读、工作动态、政府信息公开工作年度报告”等类别编排，每条信息标注索引号、发布机构、成文日期、发布日期和文号。",
                "（二）公开的方式：本机关主动公开的政府信息通过本政府信息公开专栏发布，并视情况通过政府公报、新闻发布会、广播电视、报刊、政务新媒体、政务公开栏等渠道公开（条例第二十三条、第二十四条）。",
                &format!(
                    "（三）公开的时限：属于主动公开范围的政府信息，自形成或者变更之日起 {PROACTIVE_DISCLOSURE_WORKING_DAYS} 个工作日内予以公开；法律、法规对公开期限另有规定的，从其规定（条例第二十六条）。"
                ),
            ],
        ),
        para(
            "三、依申请公开",
            &[
                "（一）申请方式：公民、法人或者其他组织可以向本机关申请获取相关政府信息（条例第二十七条）。申请应当采用书面形式（包括数据电文形式），可以通过信函邮寄、当面提交或互联网在线提交；采用书面形式确有困难的，可以口头提出，由受理机构代为填写申请（条例第二十九条）。",
                "（二）申请内容：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径（条例第二十九条）。",
                &format!(
                    "（三）办理期限：能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 {REPLY_PERIOD_WORKING_DAYS} 个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过 {MAX_EXTENSION_WORKING_DAYS} 个工作日（条例第三十三条）。"
                ),
                "（四）收费：行政机关依申请提供政府信息，不收取费用；但申请人申请公开政府信息的数量、频次明显超过合理范围的，可以收取信息处理费（条例第四十二条，国办函〔2020〕109号）。",
            ],
        ),
        Section {
            heading: Some("四、政府信息公开工作机构".to_owned()),
            facts: vec![
                ("名称".to_owned(), office),
                ("办公地址".to_owned(), or_unset(&c.address)),
                ("邮政编码".to_owned(), or_unset(&c.postal_code)),
                ("办公时间".to_owned(), or_unset(&c.office_hours)),
                ("联系电话".to_owned(), or_unset(&c.phone)),
                ("传真".to_owned(), or_unset(&c.fax)),
                ("电子邮箱".to_owned(), or_unset(&c.email)),
                ("网址".to_owned(), or_unset(&c.website)),
            ],
            ..Section::default()
        },
        para(
            "五、监督和救济",
            &[
                "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（条例第五十一条）。",
            ],
        ),
    ];
    page(&o, "/guide", sections)
}

pub async fn rules(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Html<String>> {
    let o = organ(&state, id).await?;
    let sections = vec![para(
        "本机关的政府信息公开制度",
        &[
            "根据条例第四条、第四十五条，本机关建立健全政府信息公开申请登记、审核、办理、答复、归档的工作制度，以及主动公开信息的采编、审核（含保密审查）、发布制度。",
            "制度文件将在此栏目发布；目前尚未录入。",
        ],
    )];
    page(&o, "/rules", sections)
}

/// The explanation above the online form of `/organs/{id}/apply` (rendered by
/// `pages::apply`).
pub(crate) fn apply_sections(o: &Organ) -> Vec<Section> {
    vec![
        para(
            "您的权利",
            &[
                "除行政机关主动公开的政府信息外，公民、法人或者其他组织可以向地方各级人民政府、对外以自己名义履行行政管理职能的县级以上人民政府部门申请获取相关政府信息（条例第二十七条）。",
                "申请应当以书面形式（包括数据电文形式）提出，写明申请人的姓名或名称、身份证明、联系方式，所需信息的名称、文号或其他特征性描述，以及获取信息的方式和途径；采用书面形式确有困难的，可以口头提出（条例第二十九条）。",
                &format!(
                    "申请内容不明确的，行政机关应当自收到申请之日起 {CORRECTION_NOTICE_WORKING_DAYS} 个工作日内一次性告知需要补正的事项和合理的补正期限（条例第三十条）。"
                ),
                "收到申请之日的确定：当面提交的，以提交之日为准；以邮政快递等需签收方式提交的，以签收之日为准；以平常信函等无需签收方式提交的，以双方确认之日为准；通过互联网渠道或传真提交的，以双方确认之日为准（条例第三十一条）。",
                &format!(
                    "依申请公开的信息公开会损害第三方合法权益的，行政机关应当书面征求第三方的意见，第三方应当自收到征求意见书之日起 {CONSULTATION_REPLY_WORKING_DAYS} 个工作日内提出意见；征求意见所需时间不计算在答复期限内（条例第三十二条）。"
                ),
                &format!(
                    "行政机关收到申请，能够当场答复的应当当场答复；不能当场答复的，应当自收到申请之日起 {REPLY_PERIOD_WORKING_DAYS} 个工作日内予以答复；需要延长的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过 {MAX_EXTENSION_WORKING_DAYS} 个工作日（条例第三十三条）。"
                ),
            ],
        ),
        para(
            "如何提交",
            &[
                "可以填写下方的在线申请表提交（提交后即获得申请编号和查询码，凭其在“申请查询”页面查看办理进度），也可以以信函或当面方式向本机关政府信息公开工作机构提交申请，联系方式见本机关的政府信息公开指南。",
            ],
        ),
        Section {
            links: vec![
                (
                    format!("/organs/{}/guide", o.id),
                    "查看政府信息公开指南".to_owned(),
                ),
                ("/track".to_owned(), "查询申请办理进度".to_owned()),
                ("/guide/apply".to_owned(), "在线申请说明".to_owned()),
            ],
            ..Section::default()
        },
    ]
}
