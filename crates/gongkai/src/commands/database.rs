//! Opening the database for the administration commands: the same configuration keys as
//! `serve` (file, `GONGKAI_*` variables, flags), and `gongkai migrate`.

use anyhow::{Context, Result};
use gongkai_store::Store;
use gongkai_web::Config;
use std::path::Path;

use crate::cli::DbArgs;

/// The configuration: file and environment, then the flags.
pub fn config(args: &DbArgs, data_dir: Option<&Path>) -> Result<Config> {
    let mut config = Config::load(args.config.as_deref())?;
    if let Some(dir) = data_dir {
        config.data_dir = dir.to_path_buf();
    }
    if let Some(url) = &args.database_url {
        config.database_url = Some(url.clone());
    }
    Ok(config)
}

/// A runtime for the async store.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}

/// Connects and migrates. The SQLite file must already exist (created by `serve` or `migrate`)
/// unless `create` is true, so a mistyped --data-dir does not silently start an empty database.
pub async fn open(config: &Config, create: bool) -> Result<Store> {
    if config.database_url.is_none() {
        let file = config.data_dir.join("gongkai.db");
        if create {
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("无法创建数据目录 {}", config.data_dir.display()))?;
        } else if !file.exists() {
            anyhow::bail!(
                "数据库文件 {} 不存在。请先运行 `gongkai migrate` 或 `gongkai serve`，或用 --data-dir / --database-url 指定已有的数据库",
                file.display()
            );
        }
    }
    let store = Store::connect(&config.effective_database_url()).await?;
    store.migrate().await?;
    Ok(store)
}

pub fn migrate(args: &DbArgs, data_dir: Option<&Path>) -> Result<()> {
    let config = config(args, data_dir)?;
    runtime()?.block_on(async {
        let store = open(&config, true).await?;
        store.close().await;
        println!("数据库迁移完成：{}", describe(&config));
        Ok(())
    })
}

/// Where the data is, for messages (a PostgreSQL URL is shown without its password).
pub fn describe(config: &Config) -> String {
    match &config.database_url {
        Some(url) => match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!("{}://…@{}", &url[..scheme], &url[at + 1..])
            }
            _ => url.clone(),
        },
        None => config.data_dir.join("gongkai.db").display().to_string(),
    }
}
