//! `gongkai audit FILE…|DIR`: read published annual reports, find their tables and every error.
//!
//! Exit codes: 0 no error findings; 1 error findings; 2 a file could not be read (the others are
//! still audited).

mod batch;
mod render;

use crate::cli::{AuditArgs, OutputFormat};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &AuditArgs) -> Result<ExitCode> {
    let files = batch::expand_inputs(&args.inputs)?;
    if files.is_empty() {
        anyhow::bail!("没有找到可审核的报告文件（支持 .txt .html .htm .docx .pdf）");
    }
    let previous = match &args.previous {
        Some(path) => Some(
            batch::read(path)
                .map_err(|e| anyhow::anyhow!("上一年度报告 {} 无法读取：{e}", path.display()))?,
        ),
        None => None,
    };
    let extractions = files.iter().map(|f| batch::read(f)).collect();
    let explicit = match (&args.previous, &previous) {
        (Some(path), Some(extraction)) => Some((path.as_path(), extraction)),
        _ => None,
    };
    let options = gongkai_report::audit::AuditOptions {
        organ_kind: args.organ_kind.map(Into::into),
        published_on: args.published_on,
        deadline: None,
    };
    let reports = batch::check_all(&files, extractions, explicit, &options);

    let mut stdout = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            let mut values: Vec<serde_json::Value> = reports.iter().map(batch::to_json).collect();
            let single = values.len() == 1 && args.inputs.iter().all(|p| !p.is_dir());
            let json = match values.pop() {
                Some(only) if single => only,
                Some(last) => {
                    values.push(last);
                    serde_json::Value::Array(values)
                }
                None => serde_json::Value::Array(Vec::new()),
            };
            writeln!(stdout, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        OutputFormat::Text => {
            for report in &reports {
                writeln!(stdout, "{}", batch::text(report))?;
            }
            if reports.len() > 1 {
                writeln!(stdout, "{}", batch::summary_text(&reports))?;
            }
        }
    }
    if let Some(csv) = &args.csv {
        write_csv(csv, &reports)?;
    }
    for report in &reports {
        if let Err(message) = &report.extraction {
            eprintln!("错误：{} 无法读取：{message}", report.path.display());
        }
    }
    Ok(exit_code(&reports))
}

fn exit_code(reports: &[batch::Checked]) -> ExitCode {
    if reports.iter().any(|r| r.extraction.is_err()) {
        ExitCode::from(2)
    } else if reports
        .iter()
        .any(|r| r.findings.iter().any(|f| f.is_error()))
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn write_csv(path: &Path, reports: &[batch::Checked]) -> Result<()> {
    // A UTF-8 BOM so that Excel (the supervisors' tool) opens the Chinese text correctly.
    let mut text = String::from("\u{feff}");
    text.push_str(&batch::summary_csv(reports));
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
