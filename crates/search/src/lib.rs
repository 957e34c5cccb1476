//! Chinese full-text search for the 政府信息公开 column (`/search?q=…`).
//!
//! tantivy with two analyses of every text field:
//! - **jieba words** (search mode, plus the 政务 user dictionary in `data/user_dict.txt`) — the
//!   precise, boosted signal;
//! - **CJK bigrams** with positions — recall for terms jieba cuts differently, and exact
//!   phrases ("quoted" queries) as substring matches, weighted lower.
//!
//! Title weighs more than body, body more than attachments. The index is a cache: rebuild it
//! from the store with [`SearchIndex::rebuild`]. One writer per index directory (see
//! [`SearchIndex`]).

mod error;
mod highlight;
mod index;
mod query;
mod tokenize;

pub use error::{Result, SearchError};
pub use index::{
    DEFAULT_LIMIT, Hit, IndexOptions, MAX_LIMIT, MAX_OFFSET, SNIPPET_CHARS, SearchDoc, SearchIndex,
    SearchQuery, SearchResults,
};
pub use query::MAX_QUERY_CHARS;
