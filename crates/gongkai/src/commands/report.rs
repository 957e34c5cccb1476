//! `gongkai report build`: the annual report of an organ and year, built from its records by the
//! annual crate (tables 二, 三, 四 with the records behind each cell) and checked by the auditor's
//! catalogue. Errors found by the checks are listed on standard error and make the exit code 1,
//! so a script can refuse to publish.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use gongkai_annual::document::report_document;
use gongkai_annual::workflow::prepare;

use super::database;
use crate::cli::{ReportBuildArgs, ReportCommand, ReportFormatArg};

pub fn run(command: ReportCommand, data_dir: Option<&Path>) -> Result<ExitCode> {
    match command {
        ReportCommand::Build(args) => build(&args, data_dir),
    }
}

fn build(args: &ReportBuildArgs, data_dir: Option<&Path>) -> Result<ExitCode> {
    if !(2008..=2100).contains(&args.year) {
        bail!("年度“{}”不在 2008—2100 之间，请核对", args.year);
    }
    let config = database::config(&args.db, data_dir)?;
    let calendar = crate::data_dir::load_calendar(&config.data_dir)?;
    // The report as stored for the organ and year: the officer's text, the figures from other
    // systems and the explanations of warnings; the pre-filled text when none was saved.
    let prepared = database::runtime()?.block_on(async {
        let store = database::open(&config, false).await?;
        let result = async {
            let organ = store.organs().resolve(&args.organ).await?;
            prepare(&store, &calendar, organ.id, args.year, Default::default()).await
        }
        .await;
        store.close().await;
        result.map_err(anyhow::Error::from)
    })?;
    let report = &prepared.snapshot;
    let bytes = match args.format {
        ReportFormatArg::Docx => gongkai_typeset::to_docx(
            &report_document(report),
            &gongkai_typeset::DocxStyle::default(),
        )?,
        ReportFormatArg::Xlsx => gongkai_annual::xlsx::report_xlsx(report)?,
        ReportFormatArg::Html => {
            gongkai_typeset::to_html_page(&report_document(report))?.into_bytes()
        }
        ReportFormatArg::Pdf => {
            let fonts = gongkai_pdf::Fonts::discover(&[config.data_dir.join("fonts")])?;
            gongkai_pdf::render_pdf(&report_document(report), &fonts)?
        }
        _ => {
            let mut json = serde_json::to_string_pretty(&report.tables)?;
            json.push('\n');
            json.into_bytes()
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &bytes).with_context(|| {
            format!(
                "无法写入 {}：请检查目录是否存在、是否有写入权限",
                path.display()
            )
        })?,
        None => {
            if args.format != ReportFormatArg::Json && std::io::stdout().is_terminal() {
                bail!("docx、pdf、xlsx 是二进制文件，请用 -o 指定输出文件");
            }
            std::io::stdout().lock().write_all(&bytes)?;
        }
    }
    let errors = prepared.errors();
    for f in &errors {
        eprintln!("错误 {}：{}", f.check, f.message);
    }
    for (f, _, explanation) in prepared.warnings() {
        match explanation {
            Some(e) => eprintln!("提示 {}：{}（已说明：{e}）", f.check, f.message),
            None => eprintln!("提示 {}：{}", f.check, f.message),
        }
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
