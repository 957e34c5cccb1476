//! Table 四 of an organ's annual report, counted from the register, with the ids of the cases
//! behind every cell (the drill-down of the report).
//!
//! The rule is the law crate's [`gongkai_law::table4_column`]: a case counts in the year it was
//! filed (申请复议 / 立案), in the column of its result as of 31 December of that year (decided
//! later ⇒ 尚未审结), and not at all where the organ is only the 复议机关 sued as co-defendant
//! (国办公开办函〔2016〕201号). 总计 is the sum of the four columns (30号 table 四 arithmetic).

use gongkai_law::{ChallengeKind, ChallengeResult, table4_column};
use serde::Serialize;

use super::read::year_bounds;
use super::{CHALLENGE_COLUMNS, Challenges, challenge_from_row};
use crate::error::Result;
use crate::items::dyn_query;

/// One cell: its number and the cases it counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table4Cell {
    pub count: u32,
    /// Ids of the challenges counted, ascending.
    pub ids: Vec<i64>,
}

impl Table4Cell {
    fn add(&mut self, id: i64) {
        self.count += 1;
        self.ids.push(id);
    }
}

/// One block: 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 (report-model keys).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table4Block {
    pub upheld: Table4Cell,
    pub corrected: Table4Cell,
    pub other: Table4Cell,
    pub pending: Table4Cell,
    pub total: Table4Cell,
}

impl Table4Block {
    /// The cell of one result column.
    pub fn column(&self, result: ChallengeResult) -> &Table4Cell {
        match result {
            ChallengeResult::Upheld => &self.upheld,
            ChallengeResult::Corrected => &self.corrected,
            ChallengeResult::Other => &self.other,
            ChallengeResult::Pending => &self.pending,
        }
    }

    fn column_mut(&mut self, result: ChallengeResult) -> &mut Table4Cell {
        match result {
            ChallengeResult::Upheld => &mut self.upheld,
            ChallengeResult::Corrected => &mut self.corrected,
            ChallengeResult::Other => &mut self.other,
            ChallengeResult::Pending => &mut self.pending,
        }
    }
}

/// Table 四 of one organ and year: three blocks of five numbers, each with its cases.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table4Tally {
    pub organ_id: i64,
    pub year: i32,
    pub reconsideration: Table4Block,
    pub litigation_direct: Table4Block,
    pub litigation_after_reconsideration: Table4Block,
}

impl Table4Tally {
    /// The block of one kind.
    pub fn block(&self, kind: ChallengeKind) -> &Table4Block {
        match kind {
            ChallengeKind::Reconsideration => &self.reconsideration,
            ChallengeKind::LitigationDirect => &self.litigation_direct,
            ChallengeKind::LitigationAfterReconsideration => &self.litigation_after_reconsideration,
        }
    }

    fn block_mut(&mut self, kind: ChallengeKind) -> &mut Table4Block {
        match kind {
            ChallengeKind::Reconsideration => &mut self.reconsideration,
            ChallengeKind::LitigationDirect => &mut self.litigation_direct,
            ChallengeKind::LitigationAfterReconsideration => {
                &mut self.litigation_after_reconsideration
            }
        }
    }
}

impl Challenges<'_> {
    /// Table 四 of `organ_id` for `year`, counted by the rule above.
    pub async fn tally(&self, organ_id: i64, year: i32) -> Result<Table4Tally> {
        let (first, last) = year_bounds(year);
        // Only the cases filed in the year can count; the law crate decides each one.
        let rows = dyn_query(format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges \
             WHERE organ_id = $1 AND filed_on >= $2 AND filed_on <= $3 ORDER BY id"
        ))
        .bind(organ_id)
        .bind(first)
        .bind(last)
        .fetch_all(self.store.pool())
        .await?;
        let mut tally = Table4Tally {
            organ_id,
            year,
            ..Table4Tally::default()
        };
        for row in &rows {
            let case = challenge_from_row(row)?;
            if let Some(column) = table4_column(&case.facts(), year) {
                let block = tally.block_mut(case.kind);
                block.column_mut(column).add(case.id);
                block.total.add(case.id);
            }
        }
        Ok(tally)
    }
}
