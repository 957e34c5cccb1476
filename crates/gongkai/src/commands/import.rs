//! `gongkai import items --organ … FILE`: imports an organ's ledger (台账) of already-published
//! items from Excel or CSV. Every row is checked first; on any error the whole report is printed
//! and nothing is imported (exit code 1). Otherwise all items go in in one transaction.

use anyhow::{Context, Result};
use gongkai_store::Actor;
use gongkai_web::item_import::{LedgerOrgan, parse_ledger, reference_sets};
use std::path::Path;
use std::process::ExitCode;

use super::database;
use crate::cli::{ImportCommand, ImportItemsArgs};

pub fn run(command: ImportCommand, data_dir: Option<&Path>) -> Result<ExitCode> {
    match command {
        ImportCommand::Items(args) => items(&args, data_dir),
    }
}

fn items(args: &ImportItemsArgs, data_dir: Option<&Path>) -> Result<ExitCode> {
    let config = database::config(&args.db, data_dir)?;
    let calendar = crate::data_dir::load_calendar(&config.data_dir)?;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("无法读取文件 {}：请确认路径正确", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let table = gongkai_docs::read_table(&bytes, &file_name)?;
    database::runtime()?.block_on(async {
        let store = database::open(&config, false).await?;
        let result = async {
            let organ = store.organs().resolve(&args.organ).await?;
            let terms = reference_sets(&store).await?;
            let ledger_organ = LedgerOrgan {
                name: organ.name.clone(),
                departments: store.departments().list(organ.id).await?,
            };
            let ledger = match parse_ledger(&table, &terms, &ledger_organ) {
                Ok(ledger) => ledger,
                Err(rejected) => {
                    eprint!("{file_name}：{rejected}");
                    return Ok(ExitCode::from(1));
                }
            };
            for w in &ledger.warnings {
                eprintln!("提示：{w}");
            }
            if args.dry_run {
                println!(
                    "校验通过：{} 条信息都可以导入{}（--dry-run，未导入）",
                    ledger.items.len(),
                    organ.name
                );
                return Ok(ExitCode::SUCCESS);
            }
            let ids = store
                .items()
                .import(
                    &Actor::system(),
                    organ.id,
                    &ledger.items,
                    &format!("命令行导入 {file_name}"),
                    &calendar,
                )
                .await
                .with_context(|| "未导入任何信息。请改正后重新导入整份文件".to_owned())?;
            println!("已导入 {} 条（{}，{file_name}）", ids.len(), organ.name);
            Ok(ExitCode::SUCCESS)
        }
        .await;
        store.close().await;
        result
    })
}
