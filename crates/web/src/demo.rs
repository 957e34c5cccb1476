//! `gongkai serve --demo`: a 区政府, its 西市场街道办事处 with the 街道's 科室, and one account per
//! role — seeded once, in one transaction (running it again changes nothing). The organs follow
//! the 新华区西市场街道 2023 annual report in the corpus; their credit codes, telephone numbers
//! and e-mail addresses are invented for the demo (example.gov.cn, check digits computed).

use gongkai_store::{
    Actor, CreditCode, NewOrgan, NewUser, OrganContact, OrganKind, Password, Result, Role,
    RoleGrant, Store, StoreError, Username,
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

fn code(body: &str) -> Result<CreditCode> {
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
