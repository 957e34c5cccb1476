//! Overdue rectifications (逾期未整改), for the organs' pages and the supervisor's dashboard.
//!
//! # The rule
//!
//! A problem is overdue on `today` when its 通报 has been issued, `today` is after the last day of
//! the rectification period (the deadline day itself still counts as in time), and the next step
//! is the organ's: the problem is 待整改 (never answered) or 退回重新整改 (sent back and not answered
//! again). So:
//!
//! - a problem answered on or before the deadline is not overdue while the supervisor checks it;
//! - a problem answered after the deadline stops being overdue once answered (the late answer is
//!   visible in its history);
//! - a problem sent back after the deadline is overdue at once, until the organ answers again —
//!   reopening does not grant a new period;
//! - a closed (已销号) problem is never overdue.
//!
//! [`is_overdue`] is the rule; [`OVERDUE_SQL`] is the same rule for queries (a unit test checks
//! that they agree state by state).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::read::{
    ORGAN_PROBLEM_FROM, OrganProblem, organ_problem_columns, organ_problem_from_row,
};
use super::{Inspections, ProblemState};
use crate::error::Result;
use crate::items::{ID_CHUNK, date_text, ids_query};

/// Is a problem in `state`, whose 通报 set the deadline `deadline_on` (`None`: no 通报 yet),
/// overdue on `today`? See the module documentation.
pub fn is_overdue(state: ProblemState, deadline_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    match deadline_on {
        Some(deadline) => today > deadline && state.awaits_organ(),
        None => false,
    }
}

/// [`is_overdue`] as a condition on `inspection_problems p JOIN inspections i`, with today's
/// date bound at `${n}` (written where the caller puts it).
pub(crate) fn overdue_sql(today_param: usize) -> String {
    format!(
        "i.deadline_on IS NOT NULL AND i.deadline_on < ${today_param} \
         AND p.state IN ('pending', 'reopened')"
    )
}

/// The condition with today at `$1` (documentation and tests).
pub const OVERDUE_SQL: &str = "i.deadline_on IS NOT NULL AND i.deadline_on < $1 \
     AND p.state IN ('pending', 'reopened')";

impl Inspections<'_> {
    /// Overdue problems per organ on `today` ([`is_overdue`]), one grouped query per
    /// [`ID_CHUNK`] organs; every organ asked for has an entry (0 when none).
    pub async fn overdue_for(
        &self,
        organ_ids: &[i64],
        today: NaiveDate,
    ) -> Result<BTreeMap<i64, u64>> {
        let mut out: BTreeMap<i64, u64> = organ_ids.iter().map(|id| (*id, 0)).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            let mut query = ids_query(chunk, |list| {
                format!(
                    "SELECT p.organ_id AS organ_id, COUNT(*) AS n FROM inspection_problems p \
                     JOIN inspections i ON i.id = p.inspection_id \
                     WHERE p.organ_id IN ({}) AND {} GROUP BY p.organ_id",
                    list,
                    overdue_sql(n + 1)
                )
            });
            query = query.bind(date_text(today));
            for row in query.fetch_all(self.store.pool()).await? {
                let organ_id: i64 = sqlx::Row::try_get(&row, "organ_id")?;
                let count: i64 = sqlx::Row::try_get(&row, "n")?;
                out.insert(organ_id, u64::try_from(count).unwrap_or(0));
            }
        }
        Ok(out)
    }

    /// The overdue problems of `organ_ids` on `today` (the dashboard's drill-down), by deadline,
    /// organ and problem.
    pub async fn overdue_list(
        &self,
        organ_ids: &[i64],
        today: NaiveDate,
    ) -> Result<Vec<OrganProblem>> {
        let mut out = Vec::new();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            let mut query = ids_query(chunk, |list| {
                format!(
                    "SELECT {} {ORGAN_PROBLEM_FROM} AND p.organ_id IN ({}) AND {}",
                    organ_problem_columns(),
                    list,
                    overdue_sql(n + 1)
                )
            });
            query = query.bind(date_text(today));
            for row in query.fetch_all(self.store.pool()).await? {
                out.push(organ_problem_from_row(&row)?);
            }
        }
        out.sort_by(|a, b| {
            (a.deadline_on, a.problem.organ_id, a.problem.id).cmp(&(
                b.deadline_on,
                b.problem.organ_id,
                b.problem.id,
            ))
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn overdue_only_after_the_deadline_day_and_only_while_the_organ_owes_an_answer() {
        let deadline = Some(d("2026-10-16"));
        for state in ProblemState::ALL {
            assert!(!is_overdue(state, deadline, d("2026-10-16")), "{state:?}");
            assert!(!is_overdue(state, None, d("2027-01-01")), "{state:?}");
            let expected = matches!(state, ProblemState::Pending | ProblemState::Reopened);
            assert_eq!(is_overdue(state, deadline, d("2026-10-17")), expected);
            // The SQL names exactly the states the rule names.
            assert_eq!(
                OVERDUE_SQL.contains(&format!("'{}'", state.key())),
                expected,
                "{state:?}"
            );
        }
        assert_eq!(overdue_sql(1), OVERDUE_SQL);
    }
}
