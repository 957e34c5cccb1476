//! The table-二 figures from other systems, imported from a spreadsheet (CSV or XLSX read by the
//! docs crate): one row per figure — 项目 (行政许可, 行政处罚, 行政强制, 行政事业性收费), 数值, and
//! optionally 来源. A header row is recognised and skipped. Figures the file does not name keep
//! their current value; a row without a source takes the file as its source.

use gongkai_store::ReportFigures;
use gongkai_store::annual_reports::FigureKey;

/// One spreadsheet row: its line number (as Excel shows it) and its cells.
pub type SheetRow<'a> = (usize, &'a [String]);

fn is_header(cells: &[String]) -> bool {
    cells
        .first()
        .is_some_and(|c| matches!(c.trim(), "项目" | "信息内容" | "名称" | "指标"))
}

/// Applies the rows to `current`. Errors name the line and say what to fix; nothing is applied
/// when there is any.
pub fn apply_rows(
    current: &ReportFigures,
    rows: &[SheetRow<'_>],
    file_name: &str,
) -> Result<(ReportFigures, Vec<FigureKey>), Vec<String>> {
    let mut out = current.clone();
    let mut seen: Vec<FigureKey> = Vec::new();
    let mut errors = Vec::new();
    for (line, cells) in rows {
        if is_header(cells) {
            continue;
        }
        let name = cells.first().map_or("", |c| c.trim());
        let Some(key) = FigureKey::from_name(name) else {
            errors.push(format!(
                "第 {line} 行：“{name}”不是表二中来自其他系统的项目，请写作“行政许可”“行政处罚”“行政强制”或“行政事业性收费”"
            ));
            continue;
        };
        if seen.contains(&key) {
            errors.push(format!(
                "第 {line} 行：“{}”出现了不止一次，请只保留一行",
                key.label()
            ));
            continue;
        }
        let value = cells.get(1).map_or("", |c| c.trim());
        if value.is_empty() {
            errors.push(format!(
                "第 {line} 行：“{}”没有数值，请在第二列填写（没有的填 0）",
                key.label()
            ));
            continue;
        }
        let source = cells
            .get(2)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map_or_else(|| format!("导入文件 {file_name}"), str::to_owned);
        let entry = out.get_mut(key);
        entry.value = value.to_owned();
        entry.source = source;
        seen.push(key);
    }
    if seen.is_empty() && errors.is_empty() {
        errors.push(
            "文件中没有找到任何项目：请每行写一项，第一列为项目名称（如“行政许可”），第二列为数值，第三列为来源".to_owned(),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The store's own rules (whole numbers, 万元 with ≤ 4 decimals), with the line unknown here:
    // the message names the figure.
    match out.cleaned() {
        Ok(clean) => Ok((clean, seen)),
        Err(e) => Err(vec![e.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
        data.iter()
            .enumerate()
            .map(|(i, r)| (i + 1, r.iter().map(|c| (*c).to_owned()).collect()))
            .collect()
    }

    fn apply(
        current: &ReportFigures,
        data: &[&[&str]],
    ) -> Result<(ReportFigures, Vec<FigureKey>), Vec<String>> {
        let owned = rows(data);
        let refs: Vec<SheetRow<'_>> = owned.iter().map(|(l, c)| (*l, c.as_slice())).collect();
        apply_rows(current, &refs, "2025年表二.xlsx")
    }

    #[test]
    fn rows_set_the_figures_they_name_with_their_sources() {
        let (f, seen) = apply(
            &ReportFigures::default(),
            &[
                &["项目", "数值", "来源"],
                &["行政许可", "125", "区政务服务平台"],
                &["行政事业性收费（万元）", "7730.28"],
            ],
        )
        .unwrap();
        assert_eq!(seen, vec![FigureKey::Licensing, FigureKey::Fees]);
        assert_eq!(f.licensing.value, "125");
        assert_eq!(f.licensing.source, "区政务服务平台");
        assert_eq!(f.fees.value, "7730.28");
        assert_eq!(f.fees.source, "导入文件 2025年表二.xlsx");
        assert!(!f.penalty.is_entered());
    }

    #[test]
    fn a_bad_file_changes_nothing_and_says_which_line() {
        let errors = apply(
            &ReportFigures::default(),
            &[&["行政许可", "十二"], &["行政复议", "1"]],
        )
        .unwrap_err();
        assert!(errors.iter().any(|e| e.contains("第 2 行")), "{errors:?}");
        let errors = apply(&ReportFigures::default(), &[&["行政许可", "-3", "系统"]]).unwrap_err();
        assert!(errors[0].contains("行政许可"), "{errors:?}");
    }
}
