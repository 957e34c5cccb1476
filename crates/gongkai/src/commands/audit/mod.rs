//! `gongkai audit FILE…|DIR`: read published annual reports, find their tables and every error.
//!
//! Exit codes: 0 no error findings; 1 error findings; 2 a file could not be read (the others are
//! still audited). Reports wait in a temporary file until the batch is paired by organ and year,
//! and are printed one at a time, so memory does not grow with the number of reports.

mod batch;
mod render;

use crate::cli::{AuditArgs, OutputFormat};
use anyhow::{Context, Result};
use gongkai_report::audit::AuditOptions;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &AuditArgs) -> Result<ExitCode> {
    let files = batch::expand_inputs(&args.inputs)?;
    if files.is_empty() {
        anyhow::bail!("没有找到可审核的报告文件（支持 .txt .html .htm .docx .pdf）");
    }
    let options = AuditOptions {
        organ_kind: args.organ_kind.map(Into::into),
        published_on: args.published_on,
        deadline: None,
    };
    let previous = match &args.previous {
        Some(path) => Some(
            batch::read(path, &AuditOptions::default())
                .map_err(|e| anyhow::anyhow!("上一年度报告 {} 无法读取：{e}", path.display()))?,
        ),
        None => None,
    };
    let explicit = match (&args.previous, &previous) {
        (Some(path), Some(audited)) => Some((path.as_path(), audited)),
        _ => None,
    };

    let single_json = args.format == OutputFormat::Json
        && files.len() == 1
        && args.inputs.iter().all(|p| !p.is_dir());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.format == OutputFormat::Json && !single_json {
        out.write_all(b"[\n")?;
    }
    let mut first = true;
    let summary = batch::audit_all(&files, &options, explicit, |report| {
        match args.format {
            OutputFormat::Json => {
                if !first {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer_pretty(&mut out, &batch::to_json(report))?;
            }
            OutputFormat::Text => writeln!(out, "{}", batch::text(report))?,
        }
        first = false;
        if let Err(message) = &report.audited {
            eprintln!("错误：{} 无法读取：{message}", report.path.display());
        }
        Ok(())
    })?;
    match args.format {
        OutputFormat::Json if single_json => out.write_all(b"\n")?,
        OutputFormat::Json => out.write_all(b"\n]\n")?,
        OutputFormat::Text if summary.len() > 1 => writeln!(out, "{}", summary.text())?,
        OutputFormat::Text => {}
    }
    out.flush()?;
    if let Some(csv) = &args.csv {
        write_csv(csv, &summary)?;
    }
    Ok(if summary.unreadable > 0 {
        ExitCode::from(2)
    } else if summary.with_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_csv(path: &Path, summary: &batch::Summary) -> Result<()> {
    // A UTF-8 BOM so that Excel (the supervisors' tool) opens the Chinese text correctly.
    let mut text = String::from("\u{feff}");
    text.push_str(&summary.csv());
    let tmp = path.with_extension("csv.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

impl From<crate::cli::OrganKindArg> for gongkai_report::checks::OrganKind {
    fn from(arg: crate::cli::OrganKindArg) -> Self {
        use crate::cli::OrganKindArg;
        use gongkai_report::checks::OrganKind;
        match arg {
            OrganKindArg::Department => OrganKind::Department,
            OrganKindArg::Government => OrganKind::Government,
            OrganKindArg::Grassroots => OrganKind::Grassroots,
        }
    }
}
