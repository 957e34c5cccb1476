//! The working-day calendar the server computes with: the official years embedded in the binary
//! plus every year imported into `<data-dir>/calendar/` with `gongkai calendar import`.

use gongkai_calendar::Calendar;
use std::fs;
use std::path::{Path, PathBuf};

/// Where imported years live.
pub fn calendar_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("calendar")
}

/// The official calendar plus every year imported into `data_dir`; the error is a Chinese
/// sentence naming the file.
pub fn load_calendar(data_dir: &Path) -> Result<Calendar, String> {
    let mut calendar = Calendar::official();
    let dir = calendar_dir(data_dir);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(calendar); // nothing imported yet
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort(); // later files win for the same year: names carry the import time
    for file in files {
        let text = fs::read_to_string(&file)
            .map_err(|e| format!("无法读取已导入的节假日数据 {}：{e}", file.display()))?;
        calendar.import_year_file(&text).map_err(|e| {
            format!(
                "已导入的节假日数据 {} 无效，请重新导入：{e}",
                file.display()
            )
        })?;
    }
    Ok(calendar)
}
