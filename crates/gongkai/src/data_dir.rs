//! The data directory: where imported holiday years live (`calendar/*.json`).
//!
//! The official calendar (2007–2026) is embedded in the binary; each later year is imported once
//! with `gongkai calendar import` and read back at every start.

use anyhow::{Context, Result};
use gongkai_calendar::Calendar;
use std::fs;
use std::path::{Path, PathBuf};

fn calendar_dir(data_dir: &Path) -> PathBuf {
    gongkai_web::calendar_files::calendar_dir(data_dir)
}

/// The official calendar plus every year imported into `data_dir` (the server loads it the same
/// way).
pub fn load_calendar(data_dir: &Path) -> Result<Calendar> {
    gongkai_web::calendar_files::load_calendar(data_dir).map_err(anyhow::Error::msg)
}

/// Validates `file` and stores it in the data directory. Returns the years it contained.
/// Written to a temporary file and renamed, so an interrupted import leaves nothing half-written.
pub fn import_calendar_file(data_dir: &Path, file: &Path) -> Result<Vec<i32>> {
    let text = fs::read_to_string(file).with_context(|| {
        format!(
            "无法读取文件 {}：请确认路径正确且为 UTF-8 编码的 JSON",
            file.display()
        )
    })?;
    let mut probe = Calendar::empty();
    let years = probe.import_year_file(&text)?;
    let dir = calendar_dir(data_dir);
    fs::create_dir_all(&dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let first = years.first().copied().unwrap_or_default();
    let last = years.last().copied().unwrap_or_default();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.f");
    let name = format!("{first}-{last}-{stamp}.json");
    let tmp = dir.join(format!(".{name}.tmp"));
    fs::write(&tmp, &text).with_context(|| format!("无法写入 {}", tmp.display()))?;
    fs::rename(&tmp, dir.join(&name)).with_context(|| format!("无法保存 {name}"))?;
    Ok(years)
}
