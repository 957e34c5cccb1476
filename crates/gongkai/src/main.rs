//! `gongkai` — 政府信息公开工作平台的命令行入口。Thin: parses arguments and calls the crates.

mod cli;
mod commands;
mod data_dir;
mod usage_error;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(err) => return usage_error::report(err),
    };
    match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            // One line in Chinese: what was wrong and what to do (the error's own message).
            eprintln!("错误：{err:#}");
            ExitCode::from(2)
        }
    }
}
