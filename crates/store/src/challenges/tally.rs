//! Table 四 of an organ's annual report, counted from the register, with the ids of the cases
//! behind every cell (the drill-down of the report).
//!
//! The rule is the law crate's [`gongkai_law::table4_column`]: a case counts in the year it was
//! filed (申请复议 / 立案), in the column of its result as of 31 December of that year (decided
//! later ⇒ 尚未审结), and not at all where the organ is only the 复议机关 sued as co-defendant
//! (国办公开办函〔2016〕201号). 总计 is the sum of the four columns (30号 table 四 arithmetic).

use std::collections::BTreeMap;

use gongkai_law::{ChallengeKind, ChallengeResult, table4_column};
use serde::Serialize;

use super::read::year_bounds;
use super::{CHALLENGE_COLUMNS, Challenges, challenge_from_row};
use crate::error::Result;
use crate::items::{ID_CHUNK, ids_query};

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
        let mut by_organ = self.tally_for(&[organ_id], year).await?;
        Ok(by_organ.remove(&organ_id).unwrap_or(Table4Tally {
            organ_id,
            year,
            ..Table4Tally::default()
        }))
    }

    /// [`Challenges::tally`] of several organs at once, one query per [`ID_CHUNK`] organs. Every
    /// organ asked for has a tally (all zeros if it has no case).
    pub async fn tally_for(
        &self,
        organ_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, Table4Tally>> {
        let (first, last) = year_bounds(year);
        let mut out: BTreeMap<i64, Table4Tally> = organ_ids
            .iter()
            .map(|&organ_id| {
                let tally = Table4Tally {
                    organ_id,
                    year,
                    ..Table4Tally::default()
                };
                (organ_id, tally)
            })
            .collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            // Only the cases filed in the year can count; the law crate decides each one.
            let query = ids_query(chunk, |list| {
                format!(
                    "SELECT {CHALLENGE_COLUMNS} FROM challenges \
                     WHERE organ_id IN ({}) AND filed_on >= ${} AND filed_on <= ${} ORDER BY id",
                    list,
                    n + 1,
                    n + 2
                )
            });
            let rows = query
                .bind(first.clone())
                .bind(last.clone())
                .fetch_all(self.store.pool())
                .await?;
            for row in &rows {
                let case = challenge_from_row(row)?;
                let Some(column) = table4_column(&case.facts(), year) else {
                    continue;
                };
                if let Some(tally) = out.get_mut(&case.organ_id) {
                    let block = tally.block_mut(case.kind);
                    block.column_mut(column).add(case.id);
                    block.total.add(case.id);
                }
            }
        }
        Ok(out)
    }
}
