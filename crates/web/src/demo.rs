//! `gongkai serve --demo`: a 区政府, its 西市场街道办事处 with the 街道's 科室, and one account per
//! role — seeded once, in one transaction (running it again changes nothing). The organs follow
//! the 新华区西市场街道 2023 annual report in the corpus; their credit codes, telephone numbers
//! and e-mail addresses are invented for the demo (example.gov.cn, check digits computed).

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};
use gongkai_calendar::Calendar;
use gongkai_demo::DemoItem;
use gongkai_law::{Art20Item, Genre, ItemState, PublicationChannel, Validity};
use gongkai_store::{
    Actor, CreditCode, Department, EditorialRights, ImportedItem, ItemContent, NewOrgan, NewUser,
    OrganContact, OrganKind, Password, PublicFilter, Result, Role, RoleGrant, Store, StoreError,
    Username, WorkFilter,
};

/// A demo login printed at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub password: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    /// True: granted on the 区政府 (reaches the 街道 too); false: on the 街道.
    pub on_district: bool,
    /// For the 科室承办人: the department.
    pub department: Option<&'static str>,
}

/// The demo accounts (passwords meet the policy: ≥ 10 characters, three classes).
pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "demo-admin",
        password: "Demo-Admin-2026",
        display_name: "区系统管理员（演示）",
        role: Role::Admin,
        on_district: true,
        department: None,
    },
    DemoAccount {
        username: "demo-officer",
        password: "Demo-Officer-2026",
        display_name: "街道信息公开专员（演示）",
        role: Role::Officer,
        on_district: false,
        department: None,
    },
    DemoAccount {
        username: "demo-editor",
        password: "Demo-Editor-2026",
        display_name: "街道编辑（演示）",
        role: Role::Editor,
        on_district: false,
        department: None,
    },
    DemoAccount {
        username: "demo-reviewer",
        password: "Demo-Reviewer-2026",
        display_name: "街道审核人（演示）",
        role: Role::Reviewer,
        on_district: false,
        department: None,
    },
    DemoAccount {
        username: "demo-handler",
        password: "Demo-Handler-2026",
        display_name: "社会事务办公室承办人（演示）",
        role: Role::Handler,
        on_district: false,
        department: Some("社会事务办公室"),
    },
    DemoAccount {
        username: "demo-supervisor",
        password: "Demo-Supervisor-2026",
        display_name: "区政务公开办监督员（演示）",
        role: Role::Supervisor,
        on_district: true,
        department: None,
    },
];

/// The 街道's departments (科室), from its report's 监督保障 section and the usual 街道 structure.
pub const DEPARTMENTS: &[&str] = &[
    "党政办公室",
    "党建工作办公室",
    "社会事务办公室",
    "城市管理办公室",
    "平安建设办公室",
    "经济发展办公室",
    "纪检监察室",
];

/// Body (first 17 characters) of the invented credit codes: 11 (机关) + 410402 (新华区) + 9.
const DISTRICT_CODE_BODY: &str = "11410402MB0000001";
const SUBDISTRICT_CODE_BODY: &str = "11410402MB0000002";

/// A valid credit code from its first 17 characters (the check character computed).
pub fn code(body: &str) -> Result<CreditCode> {
    let check = CreditCode::check_char_for(body)
        .ok_or_else(|| StoreError::Corrupt(format!("演示信用代码 {body} 无法计算校验位")))?;
    Ok(CreditCode::parse(&format!("{body}{check}"))?)
}

/// Seeds the demo unless it is already there. Returns whether anything was written.
pub async fn seed(store: &Store) -> Result<bool> {
    let district_code = code(DISTRICT_CODE_BODY)?;
    if store
        .organs()
        .find_by_credit_code(&district_code)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    // Hash first: argon2 is slow and must not run inside the write transaction.
    let mut hashed = Vec::new();
    for account in ACCOUNTS {
        let username = Username::parse(account.username)?;
        let password = Password::new(account.password, &username)?;
        let hash = gongkai_store::password::hash_async(&password).await?;
        hashed.push((account, username, password, hash));
    }

    let mut tx = store.begin(&Actor::system()).await?;
    let district = gongkai_store::organs::create(
        &mut tx,
        &NewOrgan {
            parent_id: None,
            name: "新华区人民政府".to_owned(),
            credit_code: Some(district_code),
            kind: OrganKind::Government,
            contact: OrganContact {
                office_name: Some("新华区人民政府办公室（政务公开办公室）".to_owned()),
                address: Some("新华区人民政府行政中心（演示地址）".to_owned()),
                postal_code: Some("467000".to_owned()),
                office_hours: Some(
                    "工作日上午 8:30—12:00，下午 14:30—17:30（法定节假日除外）".to_owned(),
                ),
                phone: Some("0375-0000001（演示）".to_owned()),
                fax: Some("0375-0000002（演示）".to_owned()),
                email: Some("gongkai@xinhua.example.gov.cn".to_owned()),
                website: Some("https://xinhua.example.gov.cn".to_owned()),
            },
        },
    )
    .await?;
    let subdistrict = gongkai_store::organs::create(
        &mut tx,
        &NewOrgan {
            parent_id: Some(district.id),
            name: "新华区西市场街道办事处".to_owned(),
            credit_code: Some(code(SUBDISTRICT_CODE_BODY)?),
            kind: OrganKind::Subdistrict,
            contact: OrganContact {
                office_name: Some("西市场街道党政办公室".to_owned()),
                address: Some("新华区西市场街道办事处便民服务中心（演示地址）".to_owned()),
                postal_code: Some("467000".to_owned()),
                office_hours: Some(
                    "工作日上午 8:30—12:00，下午 14:30—17:30（法定节假日除外）".to_owned(),
                ),
                phone: Some("0375-0000011（演示）".to_owned()),
                fax: Some("0375-0000012（演示）".to_owned()),
                email: Some("xsc@xinhua.example.gov.cn".to_owned()),
                website: Some("https://xinhua.example.gov.cn/xsc".to_owned()),
            },
        },
    )
    .await?;
    let mut departments = Vec::new();
    for name in DEPARTMENTS {
        departments.push(gongkai_store::departments::create(&mut tx, subdistrict.id, name).await?);
    }
    for (account, username, password, hash) in hashed {
        let organ_id = if account.on_district {
            district.id
        } else {
            subdistrict.id
        };
        let user = gongkai_store::users::create(
            &mut tx,
            &NewUser {
                username,
                display_name: account.display_name.to_owned(),
                password,
                organ_id,
            },
            &hash,
        )
        .await?;
        let department_id = account
            .department
            .and_then(|name| departments.iter().find(|d| d.name == name))
            .map(|d| d.id);
        gongkai_store::users::grant_role(
            &mut tx,
            user.id,
            &RoleGrant {
                organ_id,
                role: account.role,
                department_id,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The demo 街道's name.
pub const SUBDISTRICT: &str = "新华区西市场街道办事处";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("演示数据的{what}：{e}"))
}

/// A demo item as an already-published item of an organ whose departments are `departments`.
pub fn imported_item(item: &DemoItem, departments: &[Department]) -> Result<ImportedItem> {
    let genre = Genre::parse(item.genre).map_err(|e| corrupt("体裁", e))?;
    let channels = item
        .channels
        .iter()
        .map(|c| PublicationChannel::parse(c).map_err(|e| corrupt("公开渠道", e)))
        .collect::<Result<Vec<_>>>()?;
    let (body_html, body_text) = crate::item_import::body_from_paragraphs(&item.body_paragraphs);
    Ok(ImportedItem {
        content: ItemContent {
            department_id: departments
                .iter()
                .find(|d| d.name == item.department)
                .map(|d| d.id),
            title: item.title.clone(),
            summary: item.summary.clone(),
            body_html,
            body_text,
            genre,
            topic: item.topic.to_owned(),
            domain: item.domain.map(str::to_owned),
            art20_item: item.art20_item.and_then(Art20Item::new),
            doc_no: item.doc_no.clone(),
            keywords: item.keywords.join("、"),
            formed_on: item.formed_on,
            validity: genre.is_document().then_some(Validity::Valid),
            interprets_item_id: None,
            channels,
        },
        published_on: item.published_on,
        index_no: None,
    })
}

/// The departments `names` of `organ_id`, created when missing (each creation audited).
pub async fn ensure_departments(
    store: &Store,
    actor: &Actor,
    organ_id: i64,
    names: &[&str],
) -> Result<Vec<Department>> {
    let mut departments = store.departments().list(organ_id).await?;
    for &name in names {
        if !departments.iter().any(|d| d.name == name) {
            departments.push(store.departments().create(actor, organ_id, name).await?);
        }
    }
    Ok(departments)
}

async fn count_public(store: &Store, organ_id: i64, genre: Option<Genre>) -> Result<i64> {
    Ok(store
        .items()
        .list_public(&PublicFilter {
            organ_id: Some(organ_id),
            genre,
            page: 1,
            per_page: 1,
            ..PublicFilter::default()
        })
        .await?
        .total)
}

async fn count_work(store: &Store, organ_id: i64, state: ItemState) -> Result<i64> {
    Ok(store
        .items()
        .list_work(&WorkFilter {
            organ_id,
            state: Some(state),
            page: 1,
            per_page: 1,
            ..WorkFilter::default()
        })
        .await?
        .total)
}

/// What [`seed_items`] added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeededItems {
    pub published: usize,
    pub unpublished: usize,
}

/// Fills the demo 街道 with the 348 published items of 2023 ([`gongkai_demo::ximarket_2023`]),
/// their 政策解读 linked to the documents they interpret, and a few items in the editorial
/// workflow around `today` (one of them overdue under Art 26) so the officer's due list has
/// something in it. Gives the 街道 a credit code if it has none (the 索引号 needs one). Each part
/// is added only when the 街道 has nothing of that kind yet, so a second start adds nothing.
pub async fn seed_items(
    store: &Store,
    calendar: &Calendar,
    today: NaiveDate,
) -> Result<SeededItems> {
    let mut seeded = SeededItems::default();
    let Some(organ) = store
        .organs()
        .list()
        .await?
        .into_iter()
        .find(|o| o.name == SUBDISTRICT)
    else {
        return Ok(seeded);
    };
    let system = Actor::system();
    if organ.credit_code.is_none() {
        store
            .organs()
            .update_identity(
                &system,
                organ.id,
                &organ.name,
                Some(&code(SUBDISTRICT_CODE_BODY)?),
            )
            .await?;
    }

    let demo = gongkai_demo::ximarket_2023(calendar);
    let departments = {
        let names: Vec<&str> = demo.iter().map(|d| d.department).collect();
        ensure_departments(store, &system, organ.id, &names).await?
    };
    let (interpretations, others): (Vec<&DemoItem>, Vec<&DemoItem>) = demo
        .iter()
        .partition(|d| d.genre == Genre::Interpretation.key());

    let mut documents: HashMap<String, i64> = HashMap::new();
    if count_public(store, organ.id, None).await? == 0 {
        let items = others
            .iter()
            .map(|d| imported_item(d, &departments))
            .collect::<Result<Vec<_>>>()?;
        let ids = store
            .items()
            .import(
                &system,
                organ.id,
                &items,
                "演示数据（西市场街道 2023 年）",
                calendar,
            )
            .await?;
        seeded.published += ids.len();
        for (item, id) in others.iter().zip(&ids) {
            documents.insert(item.title.clone(), *id);
        }
    } else {
        for d in store.items().interpretable_documents(organ.id).await? {
            documents.insert(d.title, d.id);
        }
    }
    if !interpretations.is_empty()
        && count_public(store, organ.id, Some(Genre::Interpretation)).await? == 0
    {
        let items = interpretations
            .iter()
            .map(|d| {
                let mut item = imported_item(d, &departments)?;
                item.content.interprets_item_id = gongkai_demo::interpreted_title(&d.title)
                    .and_then(|t| documents.get(t))
                    .copied();
                Ok(item)
            })
            .collect::<Result<Vec<_>>>()?;
        let ids = store
            .items()
            .import(
                &system,
                organ.id,
                &items,
                "演示数据（西市场街道 2023 年政策解读）",
                calendar,
            )
            .await?;
        seeded.published += ids.len();
    }

    if count_work(store, organ.id, ItemState::Draft).await? == 0
        && count_work(store, organ.id, ItemState::InReview).await? == 0
    {
        seeded.unpublished = seed_workflow(store, calendar, today, organ.id, &departments).await?;
    }
    Ok(seeded)
}

/// The demo items in the editorial workflow: (title, days before today it was written, submitted
/// for review, department).
const WORKFLOW: &[(&str, u64, bool, &str)] = &[
    (
        "关于开展冬季消防安全隐患排查的通知",
        2,
        false,
        "平安建设办公室",
    ),
    (
        "西市场街道{year}年第四季度政务公开工作情况",
        6,
        true,
        "党政办公室",
    ),
    (
        "关于做好困难群众冬季取暖救助工作的通知",
        9,
        true,
        "社会事务办公室",
    ),
    (
        "西市场街道老旧小区改造项目进展情况公示",
        12,
        false,
        "城市管理办公室",
    ),
    // Written long ago and never published: overdue (Art 26: 20 working days).
    (
        "西市场街道{year}年第三季度财政资金使用情况",
        45,
        false,
        "经济发展办公室",
    ),
];

async fn seed_workflow(
    store: &Store,
    calendar: &Calendar,
    today: NaiveDate,
    organ_id: i64,
    departments: &[Department],
) -> Result<usize> {
    // The demo editor writes them (their author), when the demo accounts exist.
    let actor = match store.users().find_by_username("demo-editor").await? {
        Some(u) => Actor::user(u.id, None),
        None => Actor::system(),
    };
    let rights = EditorialRights {
        can_write: true,
        can_review: false,
    };
    let mut added = 0;
    for (title, days_ago, submit, department) in WORKFLOW {
        let Some(formed_on) = today.checked_sub_days(Days::new(*days_ago)) else {
            continue;
        };
        // A year the calendar does not know: leave the item out rather than fail the start.
        if gongkai_law::proactive_due_date(formed_on, calendar).is_err() {
            continue;
        }
        let title = title.replace("{year}", &formed_on.year().to_string());
        let body = [
            format!("{title}。"),
            "本信息为演示数据，尚未发布。".to_owned(),
        ];
        let (body_html, body_text) = crate::item_import::body_from_paragraphs(&body);
        let content = ItemContent {
            department_id: departments
                .iter()
                .find(|d| d.name == *department)
                .map(|d| d.id),
            title: title.clone(),
            summary: format!("{title}（演示）"),
            body_html,
            body_text,
            genre: Genre::Notice,
            topic: "综合政务\\政务公开".to_owned(),
            domain: None,
            art20_item: None,
            doc_no: None,
            keywords: "演示".to_owned(),
            formed_on,
            validity: None,
            interprets_item_id: None,
            channels: vec![PublicationChannel::Column],
        };
        let item = store
            .items()
            .create(&actor, organ_id, &content, calendar)
            .await?;
        if *submit {
            store.items().submit(&actor, item.id, rights).await?;
        }
        added += 1;
    }
    Ok(added)
}
