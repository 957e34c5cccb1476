//! One module per subcommand.

mod admin;
mod audit;
mod audit_log;
mod calendar;
mod database;
mod deadline;
mod demo_data;
mod fee;
mod import;
mod reindex;
mod report;
mod serve;

use crate::cli::{Cli, Command};
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(cli: Cli) -> Result<ExitCode> {
    let data_dir = cli.data_dir.clone();
    let default_dir = || {
        data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("gongkai-data"))
    };
    match cli.command {
        Command::Calendar(command) => calendar::run(command, &default_dir())?,
        Command::Deadline(args) => deadline::run(&args, &default_dir())?,
        Command::Fee(args) => fee::run(&args)?,
        Command::Audit(args) => return audit::run(&args),
        Command::Serve(args) => serve::run(&args, data_dir.as_deref())?,
        Command::Migrate(args) => database::migrate(&args, data_dir.as_deref())?,
        Command::Reindex(args) => reindex::run(&args, data_dir.as_deref())?,
        Command::Admin(command) => return admin::run(command, data_dir.as_deref()),
        Command::AuditLog(command) => return audit_log::run(command, data_dir.as_deref()),
        Command::Import(command) => return import::run(command, data_dir.as_deref()),
        Command::DemoData(args) => demo_data::run(&args, data_dir.as_deref())?,
        Command::Report(command) => return report::run(command, data_dir.as_deref()),
    }
    Ok(ExitCode::SUCCESS)
}
