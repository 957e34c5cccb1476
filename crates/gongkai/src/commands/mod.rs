//! One module per subcommand.

mod audit;
mod calendar;
mod deadline;
mod fee;

use crate::cli::{Cli, Command};
use anyhow::Result;
use std::process::ExitCode;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Calendar(command) => calendar::run(command, &cli.data_dir)?,
        Command::Deadline(args) => deadline::run(&args, &cli.data_dir)?,
        Command::Fee(args) => fee::run(&args)?,
        Command::Audit(args) => return audit::run(&args),
    }
    Ok(ExitCode::SUCCESS)
}
