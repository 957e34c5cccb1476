//! clap's errors in Chinese: one line saying what was wrong and how to get help.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::process::ExitCode;

pub fn report(err: clap::Error) -> ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Help and version are not errors: print them as clap formats them.
            let _ = err.print();
            return if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        _ => {}
    }
    eprintln!(
        "错误：{}。用 `gongkai --help` 或 `gongkai 子命令 --help` 查看用法。",
        describe(&err)
    );
    ExitCode::from(2)
}

fn context(err: &clap::Error, kind: ContextKind) -> String {
    match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn describe(err: &clap::Error) -> String {
    let arg = context(err, ContextKind::InvalidArg);
    let value = context(err, ContextKind::InvalidValue);
    match err.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            // The validator's own (Chinese) reason comes as the error's source.
            let reason = std::error::Error::source(err)
                .map(|s| s.to_string())
                .unwrap_or_else(|| {
                    let valid = context(err, ContextKind::ValidValue);
                    if valid.is_empty() {
                        String::new()
                    } else {
                        format!("可选值：{valid}")
                    }
                });
            format!("参数 {arg} 的值“{value}”无效：{reason}")
        }
        ErrorKind::UnknownArgument => format!("不认识的参数 {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "不认识的子命令“{}”",
                context(err, ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能与 {} 同时使用",
            context(err, ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要写成 {arg}=值"),
        _ => "命令行参数有误".to_string(),
    }
}
