//! Recovering cells that ran together ("640020470" → 64|0|0|2|0|4|70).
//!
//! The text rendering of some web pages drops the boundaries between table cells. The digits are
//! all there, so the cells can be recovered by enumerating the ways to cut the digit strings into
//! the required number of cells, keeping only cuts that are well-formed numbers (no leading zero
//! except "0" itself, at most `max_len` digits) and that satisfy the row's own sums, when it has
//! any. What the sums of several rows then say is the table readers' business
//! (`table3`, `table4`).

/// The enumeration stopped: more than the allowed number of splits or of search steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany;

/// Upper bound on the search steps of one call: keeps a hostile digit string from costing more
/// than a few milliseconds.
const MAX_STEPS: usize = 200_000;

/// What a split must satisfy.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// The number of cells.
    pub cells: usize,
    /// The most digits one cell may have.
    pub max_len: usize,
    /// When given, the cells form consecutive blocks of these sizes (adding up to `cells`) and the
    /// last cell of each block is the sum of the block's other cells (table 三's 总计 column:
    /// `[7]`; table 四's three 总计: `[5, 5, 5]`).
    pub sum_blocks: Option<&'a [usize]>,
    /// Stop with [`TooMany`] beyond this many splits.
    pub max_splits: usize,
}

/// Every way to cut `pieces` into cells under `rules`. Each piece is a digit string printed without
/// a break inside; pieces are separated in the source (a space, a cell border), so a cell never
/// spans two pieces and every piece holds at least one cell.
///
/// Returns the splits in lexicographic order of cell lengths (shorter first cell first). A piece
/// that is not all ASCII digits gives no split.
pub fn splits(pieces: &[&str], rules: Rules<'_>) -> Result<Vec<Vec<u64>>, TooMany> {
    if pieces.is_empty()
        || rules.cells == 0
        || rules.max_len == 0
        || pieces
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Ok(Vec::new());
    }
    // Whether cell k closes a sum block.
    let mut closes = vec![false; rules.cells];
    if let Some(blocks) = rules.sum_blocks {
        if blocks.iter().sum::<usize>() != rules.cells || blocks.iter().any(|b| *b < 2) {
            return Ok(Vec::new());
        }
        let mut end = 0usize;
        for b in blocks {
            end += b;
            if let Some(slot) = closes.get_mut(end - 1) {
                *slot = true;
            }
        }
    }
    // Digits left from the start of each piece to the end.
    let mut left = vec![0usize; pieces.len() + 1];
    for (i, p) in pieces.iter().enumerate().rev() {
        let next = left.get(i + 1).copied().unwrap_or(0);
        if let Some(slot) = left.get_mut(i) {
            *slot = next + p.len();
        }
    }
    let mut search = Search {
        pieces,
        rules,
        closes,
        left,
        cells: Vec::with_capacity(rules.cells),
        out: Vec::new(),
        steps: 0,
        too_many: false,
    };
    search.go(0, 0, 0);
    if search.too_many {
        Err(TooMany)
    } else {
        Ok(search.out)
    }
}

struct Search<'a, 'b> {
    pieces: &'a [&'a str],
    rules: Rules<'b>,
    closes: Vec<bool>,
    left: Vec<usize>,
    cells: Vec<u64>,
    out: Vec<Vec<u64>>,
    steps: usize,
    too_many: bool,
}

impl Search<'_, '_> {
    /// Places cell number `self.cells.len()` at `piece`/`offset`; `sum` is the running sum of the
    /// current block.
    fn go(&mut self, piece: usize, offset: usize, sum: u64) {
        if self.too_many {
            return;
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.too_many = true;
            return;
        }
        let k = self.cells.len();
        let Some(text) = self.pieces.get(piece).map(|p| p.as_bytes()) else {
            if k == self.rules.cells {
                if self.out.len() >= self.rules.max_splits {
                    self.too_many = true;
                } else {
                    self.out.push(self.cells.clone());
                }
            }
            return;
        };
        let cells_left = self.rules.cells.saturating_sub(k);
        let digits_left = self
            .left
            .get(piece)
            .copied()
            .unwrap_or(0)
            .saturating_sub(offset);
        let pieces_left = self.pieces.len() - piece;
        // A block total may be one digit longer than the cells it adds up.
        if cells_left < pieces_left || digits_left > cells_left * (self.rules.max_len + 1) {
            return;
        }
        let here = text.get(offset..).unwrap_or_default();
        let closes = self.closes.get(k).copied().unwrap_or(false);
        if closes {
            // The block's total is fixed by the cells before it: only one length can fit.
            let total = sum.to_string();
            if here.starts_with(total.as_bytes()) {
                self.place(piece, offset, total.len(), sum, 0);
            }
            return;
        }
        let longest = here.len().min(self.rules.max_len);
        for len in 1..=longest {
            if len > 1 && here.first() == Some(&b'0') {
                break;
            }
            let Some(value) = here.get(..len).and_then(parse) else {
                break;
            };
            let next_sum = if self.rules.sum_blocks.is_some() {
                sum.saturating_add(value)
            } else {
                0
            };
            self.place(piece, offset, len, value, next_sum);
        }
    }

    fn place(&mut self, piece: usize, offset: usize, len: usize, value: u64, next_sum: u64) {
        let piece_len = self.pieces.get(piece).map_or(0, |p| p.len());
        self.cells.push(value);
        if offset + len == piece_len {
            self.go(piece + 1, 0, next_sum);
        } else {
            self.go(piece, offset + len, next_sum);
        }
        self.cells.pop();
    }
}

fn parse(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, d| {
        acc.checked_mul(10)?
            .checked_add(u64::from(d.checked_sub(b'0')?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(cells: usize, blocks: Option<&[usize]>) -> Rules<'_> {
        Rules {
            cells,
            max_len: 6,
            sum_blocks: blocks,
            max_splits: 1000,
        }
    }

    #[test]
    fn row_total_pins_a_split() {
        let all = splits(&["640020470"], rules(7, Some(&[7]))).unwrap();
        assert!(all.contains(&vec![64, 0, 0, 2, 0, 4, 70]));
        assert!(all.iter().all(|s| s[..6].iter().sum::<u64>() == s[6]));
    }

    #[test]
    fn pieces_are_hard_boundaries() {
        let all = splits(&["500000", "5"], rules(7, Some(&[7]))).unwrap();
        assert_eq!(all, vec![vec![5, 0, 0, 0, 0, 0, 5]]);
    }

    #[test]
    fn leading_zeros_are_not_numbers() {
        let all = splits(&["0011"], rules(3, None)).unwrap();
        assert_eq!(all, vec![vec![0, 0, 11]]);
    }
}
