//! `gongkai fee …`: the 信息处理费 of 国办函〔2020〕109号.

use crate::cli::{FeeArgs, OutputFormat};
use anyhow::Result;
use gongkai_law::{per_page_fee, per_piece_total};

pub fn run(args: &FeeArgs) -> Result<()> {
    // clap guarantees exactly one of the two standards (109号 第三条：每件申请只适用一种标准).
    let breakdown = match (args.per_piece, args.pages) {
        (Some(count), _) => per_piece_total(count)?,
        (None, Some(pages)) => per_page_fee(pages)?,
        (None, None) => anyhow::bail!("请给出 --per-piece 件数 或 --pages 页数"),
    };
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&breakdown)?),
        OutputFormat::Text => {
            println!("{}", breakdown.total);
            for line in breakdown.lines() {
                println!("  {line}");
            }
        }
    }
    Ok(())
}
