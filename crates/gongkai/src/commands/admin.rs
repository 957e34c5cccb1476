//! `gongkai admin …`: accounts from the command line (the first administrator of a new site,
//! a forgotten password). Writes are audited as the system actor.

use anyhow::{Context, Result, bail};
use gongkai_store::{
    Actor, CreditCode, NewOrgan, NewUser, OrganContact, Password, RoleGrant, Store, Username,
};
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use super::database;
use crate::cli::AdminCommand;

/// Environment variable that can carry the new password (scripts, containers).
const PASSWORD_ENV: &str = "GONGKAI_NEW_PASSWORD";

pub fn run(command: AdminCommand, data_dir: Option<&Path>) -> Result<ExitCode> {
    let db = match &command {
        AdminCommand::CreateOrgan { db, .. }
        | AdminCommand::CreateUser { db, .. }
        | AdminCommand::ResetPassword { db, .. }
        | AdminCommand::ListUsers { db, .. } => db,
    };
    let config = database::config(db, data_dir)?;
    database::runtime()?.block_on(async {
        let store = database::open(&config, false).await?;
        let result = execute(&store, command).await;
        store.close().await;
        result?;
        Ok(ExitCode::SUCCESS)
    })
}

async fn execute(store: &Store, command: AdminCommand) -> Result<()> {
    match command {
        AdminCommand::CreateOrgan {
            name,
            kind,
            credit_code,
            parent,
            ..
        } => {
            let parent_id = match parent {
                Some(p) => Some(store.organs().resolve(&p).await?.id),
                None => None,
            };
            let credit_code = credit_code
                .as_deref()
                .map(|c| CreditCode::parse(c.trim()))
                .transpose()?;
            let organ = store
                .organs()
                .create(
                    &Actor::system(),
                    &NewOrgan {
                        parent_id,
                        name,
                        credit_code,
                        kind,
                        contact: OrganContact::default(),
                    },
                )
                .await?;
            println!(
                "已新建机关：{}（{}，编号 {}）。",
                organ.name,
                organ.kind.label(),
                organ.id
            );
        }
        AdminCommand::CreateUser {
            organ,
            username,
            role,
            display_name,
            ..
        } => {
            let organ = store.organs().resolve(&organ).await?;
            let name = Username::parse(&username)?;
            let raw = read_password(&format!("请输入 {username} 的密码："))?;
            let password = Password::new(&raw, &name)?;
            let hash = gongkai_store::password::hash_async(&password).await?;
            let mut tx = store.begin(&Actor::system()).await?;
            let user = gongkai_store::users::create(
                &mut tx,
                &NewUser {
                    username: name,
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    password,
                    organ_id: organ.id,
                },
                &hash,
            )
            .await?;
            gongkai_store::users::grant_role(
                &mut tx,
                user.id,
                &RoleGrant {
                    organ_id: organ.id,
                    role,
                    department_id: None,
                },
            )
            .await?;
            tx.commit().await?;
            println!(
                "已新建账号 {}（{}），角色：{}。",
                user.username.as_str(),
                organ.name,
                role.label()
            );
        }
        AdminCommand::ResetPassword { username, .. } => {
            let user = store
                .users()
                .find_by_username(&username)
                .await?
                .with_context(|| {
                    format!("用户名“{username}”不存在，请用 `gongkai admin list-users` 查看")
                })?;
            let raw = read_password(&format!("请输入 {username} 的新密码："))?;
            store
                .users()
                .set_password(&Actor::system(), user.id, &raw)
                .await?;
            println!("已重置 {username} 的密码，该账号在所有设备上的登录已失效。");
        }
        AdminCommand::ListUsers { organ, .. } => {
            let organs = match organ {
                Some(o) => vec![store.organs().resolve(&o).await?],
                None => store.organs().list().await?,
            };
            for organ in organs {
                let users = store.users().list(organ.id).await?;
                println!("{}（{} 个账号）", organ.name, users.len());
                for u in users {
                    let roles: Vec<String> = store
                        .users()
                        .roles(u.id)
                        .await?
                        .iter()
                        .map(|g| g.role.label().to_owned())
                        .collect();
                    println!(
                        "  {:<20} {:<16} {} {}",
                        u.username.as_str(),
                        u.display_name,
                        if u.active { "正常" } else { "已停用" },
                        roles.join("、")
                    );
                }
            }
        }
    }
    Ok(())
}

/// The password: from GONGKAI_NEW_PASSWORD, else typed at the terminal without echo (twice),
/// else one line of standard input (pipes).
fn read_password(prompt: &str) -> Result<String> {
    if let Ok(p) = std::env::var(PASSWORD_ENV)
        && !p.is_empty()
    {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt).context("无法读取密码")?;
        let second = rpassword::prompt_password("请再次输入：").context("无法读取密码")?;
        if first != second {
            bail!("两次输入的密码不一致，请重新运行命令");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("无法从标准输入读取密码")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        bail!("没有收到密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行以便输入");
    }
    Ok(line)
}
