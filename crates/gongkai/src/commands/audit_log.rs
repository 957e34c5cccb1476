//! `gongkai audit-log verify`: walks the hash chain of the platform's audit log.

use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

use super::database;
use crate::cli::AuditLogCommand;

pub fn run(command: AuditLogCommand, data_dir: Option<&Path>) -> Result<ExitCode> {
    let AuditLogCommand::Verify { db } = command;
    let config = database::config(&db, data_dir)?;
    database::runtime()?.block_on(async {
        let store = database::open(&config, false).await?;
        let report = store.verify_audit_chain().await?;
        store.close().await;
        match report.problem {
            None => {
                println!(
                    "审计日志完整：已校验 {} 条记录，哈希链无断裂、无篡改。",
                    report.checked
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(problem) => {
                println!(
                    "审计日志校验未通过：{}。已校验 {} 条。请保全数据库文件并报告系统管理员。",
                    problem.message(),
                    report.checked
                );
                Ok(ExitCode::from(1))
            }
        }
    })
}
