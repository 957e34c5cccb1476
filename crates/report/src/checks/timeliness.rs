//! Timeliness (D-*): the statutory publication date of the annual report
//! (条例 Art 49, legal-rules.md §A.5).

use super::{CheckInput, OrganKind, date_label, ids, not_assessable};
use crate::finding::{Finding, Severity};

fn basis(kind: Option<OrganKind>, configured: bool) -> &'static str {
    if configured {
        return "该期限为所配置的当地规定";
    }
    match kind {
        Some(OrganKind::Department) => {
            "依据《政府信息公开条例》第四十九条第一款，县级以上人民政府部门应于每年1月31日前公布本部门上一年度的年度报告"
        }
        Some(OrganKind::Government) => {
            "依据《政府信息公开条例》第四十九条第二款，县级以上地方人民政府的年度报告应于每年3月31日前公布"
        }
        Some(OrganKind::Grassroots) => {
            "条例未规定街道办事处、乡镇的期限，默认按1月31日（参照第四十九条第一款）；如当地另有规定，请配置当地期限"
        }
        None => {
            "依据《政府信息公开条例》第四十九条，政府部门的年度报告应于每年1月31日前、人民政府的应于每年3月31日前公布"
        }
    }
}

/// D-PUBLISHED-LATE (warning): published after the statutory date — 31 January of the next
/// year for departments (and, by default, 街道/乡镇), 31 March for governments; a configured
/// date (`CheckInput::deadline`) overrides both. The date itself counts as in time; no weekend
/// roll-over (UNCONFIRMED in the statute, legal-rules.md §A.5).
pub fn check_published_late(input: &CheckInput) -> Vec<Finding> {
    let Some(published) = input.published_on else {
        return vec![not_assessable(
            ids::D_PUBLISHED_LATE,
            "未提供报告的发布日期，无法核对是否在法定期限内公布。",
        )];
    };
    let Some(year) = input.tables.year else {
        return vec![not_assessable(
            ids::D_PUBLISHED_LATE,
            "报告年度不详，无法确定法定公布期限。",
        )];
    };
    let deadline = input
        .deadline
        .or_else(|| input.organ_kind.and_then(|k| k.statutory_deadline(year)));
    let Some(deadline) = deadline else {
        // Kind unknown: late for every kind after 31 March, in time for every kind by 31 January.
        let (Some(earliest), Some(latest)) = (
            OrganKind::Department.statutory_deadline(year),
            OrganKind::Government.statutory_deadline(year),
        ) else {
            return Vec::new();
        };
        if published > latest {
            return vec![late(input, published, latest, None, false)];
        }
        if published > earliest {
            return vec![
                not_assessable(
                    ids::D_PUBLISHED_LATE,
                    format!(
                        "{}报告于{}发布：如发布机关为政府部门或街道办事处、乡镇，已晚于{}的期限；如为县级以上人民政府，则在{}的期限内。请指明发布机关的类型后再核对。",
                        input.year_label(),
                        date_label(published),
                        date_label(earliest),
                        date_label(latest)
                    ),
                )
                .with_values(earliest, published),
            ];
        }
        return Vec::new();
    };
    if published > deadline {
        vec![late(
            input,
            published,
            deadline,
            input.organ_kind,
            input.deadline.is_some(),
        )]
    } else {
        Vec::new()
    }
}

fn late(
    input: &CheckInput,
    published: chrono::NaiveDate,
    deadline: chrono::NaiveDate,
    kind: Option<OrganKind>,
    configured: bool,
) -> Finding {
    let days = (published - deadline).num_days();
    Finding::new(
        ids::D_PUBLISHED_LATE,
        Severity::Warning,
        format!(
            "{}报告于{}发布，晚于公布期限{}（逾期{days}天）。{}。按国办公开办函〔2021〕30号，未按时公布年度报告的，依照条例第四十七条追究责任。",
            input.year_label(),
            date_label(published),
            date_label(deadline),
            basis(kind, configured)
        ),
    )
    .with_values(deadline, published)
}
